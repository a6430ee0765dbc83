package org.openfoundry.predictions;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.rle.BinaryMask;
import org.openfoundry.rle.RleMask;
import tools.jackson.databind.JsonNode;

/** Reads masks: COCO RLE {@code {"size": [h, w], "counts": ...}}, or a base64 0/1 PNG. */
final class Masks {
  static final String SHAPE =
      "{\"size\": [height, width], \"counts\": \"<COCO compressed RLE>\" or [run lengths]}";

  /** The most pixels of a PNG mask (an 8192 x 8192 image), checked before it is decoded. */
  static final long MAX_PNG_PIXELS = 64L * 1024 * 1024;

  private Masks() {}

  static Optional<RleMask> rle(JsonNode node, String path, ParseRun run) {
    if (node == null || !node.isObject() || !node.has("size") || !node.has("counts")) {
      run.error(path, "expected a mask " + SHAPE + ", got " + Values.describe(node));
      return Optional.empty();
    }
    Optional<int[]> size = size(node.get("size"), path + ".size", run);
    if (size.isEmpty()) {
      return Optional.empty();
    }
    int height = size.get()[0];
    int width = size.get()[1];
    JsonNode counts = node.get("counts");
    Optional<RleMask> mask;
    try {
      mask = decode(height, width, counts, path + ".counts", run);
    } catch (FoundryException invalid) {
      run.error(path + ".counts", invalid.getMessage());
      return Optional.empty();
    }
    return mask.filter(found -> fitsImage(found, path + ".size", run));
  }

  /**
   * A mask given as {@code {"png": base64}}: a single-channel PNG whose non-zero pixels are set.
   * Its size is read from the header before any pixel is decoded, so that a small file claiming a
   * huge image is refused instead of filling the memory.
   */
  static Optional<RleMask> png(JsonNode node, String path, ParseRun run) {
    if (!node.isString()) {
      run.error(path, "expected a base64 PNG string, got " + Values.describe(node));
      return Optional.empty();
    }
    BufferedImage image;
    try {
      image = decodePng(Base64.getDecoder().decode(node.stringValue()), path, run);
    } catch (IllegalArgumentException | IOException unreadable) {
      run.error(path, "expected a base64 PNG: " + unreadable.getMessage());
      return Optional.empty();
    }
    if (image == null) {
      return Optional.empty();
    }
    Raster raster = image.getRaster();
    BinaryMask bits = new BinaryMask(image.getHeight(), image.getWidth());
    int[] pixel = new int[raster.getNumBands()];
    for (int row = 0; row < image.getHeight(); row++) {
      for (int column = 0; column < image.getWidth(); column++) {
        raster.getPixel(column, row, pixel);
        bits.set(row, column, anySet(pixel));
      }
    }
    RleMask mask = RleMask.of(bits);
    return fitsImage(mask, path, run) ? Optional.of(mask) : Optional.empty();
  }

  /** The decoded image, or null with the problem recorded when it is not one or is too large. */
  private static BufferedImage decodePng(byte[] bytes, String path, ParseRun run)
      throws IOException {
    try (ImageInputStream stream =
        ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers =
          stream == null ? Collections.emptyIterator() : ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        run.error(path, "expected a base64 PNG, got bytes that are not an image");
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PNG_PIXELS) {
          run.error(
              path,
              "a "
                  + reader.getWidth(0)
                  + " x "
                  + reader.getHeight(0)
                  + " PNG mask has more than "
                  + MAX_PNG_PIXELS
                  + " pixels, the most one may have");
          return null;
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    }
  }

  /** An empty mask is kept, since it is what the model said, but it is worth a warning. */
  static RleMask warnIfEmpty(RleMask mask, String path, ParseRun run) {
    if (mask.area() == 0) {
      run.warning(path, "mask has no pixels set");
    }
    return mask;
  }

  private static boolean anySet(int[] pixel) {
    for (int sample : pixel) {
      if (sample != 0) {
        return true;
      }
    }
    return false;
  }

  private static Optional<RleMask> decode(
      int height, int width, JsonNode counts, String path, ParseRun run) {
    if (counts.isString()) {
      return Optional.of(RleMask.fromCompressed(height, width, counts.stringValue()));
    }
    if (!counts.isArray()) {
      run.error(
          path,
          "expected a compressed RLE string or a list of run lengths, got "
              + Values.describe(counts));
      return Optional.empty();
    }
    int[] runs = new int[counts.size()];
    for (int index = 0; index < runs.length; index++) {
      OptionalInt length = Values.offset(counts.get(index), path + "[" + index + "]", run);
      if (length.isEmpty()) {
        return Optional.empty();
      }
      if (length.getAsInt() < 0) {
        run.error(path + "[" + index + "]", "expected a run length >= 0, got " + length.getAsInt());
        return Optional.empty();
      }
      runs[index] = length.getAsInt();
    }
    return Optional.of(new RleMask(height, width, runs));
  }

  private static Optional<int[]> size(JsonNode node, String path, ParseRun run) {
    if (node == null || !node.isArray() || node.size() != 2) {
      run.error(path, "expected [height, width], got " + Values.describe(node));
      return Optional.empty();
    }
    OptionalInt height = Values.offset(node.get(0), path + "[0]", run);
    OptionalInt width = Values.offset(node.get(1), path + "[1]", run);
    if (height.isEmpty() || width.isEmpty()) {
      return Optional.empty();
    }
    if (height.getAsInt() <= 0 || width.getAsInt() <= 0) {
      run.error(
          path,
          "expected a positive [height, width], got ["
              + height.getAsInt()
              + ", "
              + width.getAsInt()
              + "]");
      return Optional.empty();
    }
    if ((long) height.getAsInt() * width.getAsInt() > MAX_PNG_PIXELS) {
      // Every accepted mask must be drawable, for PNG export and pixel checks, in bounded memory
      // and time: a few bytes of counts can describe a mask of billions of pixels.
      run.error(
          path,
          "mask size ["
              + height.getAsInt()
              + ", "
              + width.getAsInt()
              + "] has more than "
              + MAX_PNG_PIXELS
              + " pixels, the most a mask may have");
      return Optional.empty();
    }
    return Optional.of(new int[] {height.getAsInt(), width.getAsInt()});
  }

  private static boolean fitsImage(RleMask mask, String path, ParseRun run) {
    Optional<ImageSize> image = run.context().imageSize();
    if (image.isEmpty()
        || (image.get().height() == mask.height() && image.get().width() == mask.width())) {
      return true;
    }
    run.error(
        path,
        "mask size ["
            + mask.height()
            + ", "
            + mask.width()
            + "] (height, width) disagrees with the "
            + image.get()
            + " image, which is ["
            + image.get().height()
            + ", "
            + image.get().width()
            + "]");
    return false;
  }
}
