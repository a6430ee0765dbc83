package org.openfoundry.export;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Tool;
import org.openfoundry.predictions.Box;
import org.openfoundry.predictions.Checklist;
import org.openfoundry.predictions.EntitySpan;
import org.openfoundry.predictions.FreeText;
import org.openfoundry.predictions.ImageSize;
import org.openfoundry.predictions.Line;
import org.openfoundry.predictions.Mask;
import org.openfoundry.predictions.Point;
import org.openfoundry.predictions.Polygon;
import org.openfoundry.predictions.Prediction;
import org.openfoundry.predictions.Radio;
import org.openfoundry.predictions.Vertex;
import org.openfoundry.rle.BoundingBox;
import tools.jackson.core.JsonGenerator;

/**
 * Writes predictions as one COCO results document: {@code images} (one per row, named by global key
 * or id), {@code categories} (the ontology's rectangle, mask and polygon tools, numbered from 1 in
 * ontology order, so the same ontology always gives the same ids) and {@code annotations} ({@code
 * bbox}, RLE or polygon {@code segmentation}, {@code area}, {@code score}, {@code iscrowd}). Rows
 * are read once, so an export of a run still in progress numbers its images and annotations from
 * the same rows: the images go out as they are read, the annotations to a temporary file that
 * follows them. Other predictions (points, lines, entity spans, answers) have no COCO form and are
 * counted as skipped.
 */
public final class CocoExporter {
  private static final Set<FeatureKind> OBJECT_KINDS =
      EnumSet.of(FeatureKind.RECTANGLE, FeatureKind.RASTER_SEGMENTATION, FeatureKind.POLYGON);

  private final Map<String, Integer> categoryIds = new LinkedHashMap<>();
  private final Map<String, FeatureKind> categoryKinds = new LinkedHashMap<>();

  public CocoExporter(Ontology ontology) {
    requireNonNull(ontology, "ontology is null");
    for (Tool tool : ontology.tools()) {
      if (OBJECT_KINDS.contains(tool.kind())) {
        categoryIds.put(tool.name(), categoryIds.size() + 1);
        categoryKinds.put(tool.name(), tool.kind());
      }
    }
  }

  /**
   * Writes the whole document and flushes; the writer stays open. A failure part of the way leaves
   * the document unfinished, never closed into one that looks whole.
   */
  public ExportSummary export(RowSource rows, Writer out) {
    Path annotationsFile = null;
    try {
      annotationsFile = Files.createTempFile("coco-annotations", ".json");
      try (JsonGenerator json = Json.generator(out)) {
        json.writeStartObject();
        json.writeArrayPropertyStart("images");
        Counts counts;
        try (BufferedWriter annotationsOut =
                Files.newBufferedWriter(annotationsFile, StandardCharsets.UTF_8);
            JsonGenerator annotations = Json.generator(annotationsOut)) {
          annotations.writeStartArray();
          counts = imagesAndAnnotations(rows, json, annotations);
          annotations.writeEndArray();
        }
        json.writeEndArray();
        categories(json);
        json.writeName("annotations");
        copyRawValue(annotationsFile, json);
        json.writeEndObject();
        json.flush();
        return new ExportSummary(counts.images(), counts.written(), counts.skipped());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the COCO export's annotations could not be kept", e);
    } finally {
      if (annotationsFile != null) {
        try {
          Files.deleteIfExists(annotationsFile);
        } catch (IOException e) {
          // A temporary file: the system's cleaning takes it if this could not.
        }
      }
    }
  }

  /** Writes the annotations kept in {@code file}, one JSON array, as the value just named. */
  private static void copyRawValue(Path file, JsonGenerator json) throws IOException {
    char[] buffer = new char[64 * 1024];
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int read = in.read(buffer);
      // The first part as the value, so that the generator knows one was written; the rest raw.
      json.writeRawValue(buffer, 0, Math.max(read, 0));
      while ((read = in.read(buffer)) > 0) {
        json.writeRaw(buffer, 0, read);
      }
    }
  }

  private Counts imagesAndAnnotations(
      RowSource rows, JsonGenerator images, JsonGenerator annotations) {
    long imageId = 0;
    long annotationId = 0;
    long skipped = 0;
    try (Stream<ExportRow> stream = rows.open()) {
      for (ExportRow row : (Iterable<ExportRow>) stream::iterator) {
        imageId++;
        image(row, imageId, images);
        for (Prediction prediction : row.predictions()) {
          Integer categoryId = categoryIds.get(prediction.feature());
          boolean written =
              categoryId != null
                  && annotation(prediction, annotationId + 1, imageId, categoryId, annotations);
          if (written) {
            annotationId++;
          } else {
            skipped++;
          }
        }
      }
    }
    return new Counts(imageId, annotationId, skipped);
  }

  private static void image(ExportRow row, long imageId, JsonGenerator json) {
    json.writeStartObject();
    json.writeNumberProperty("id", imageId);
    DataRowRef dataRow = row.dataRow();
    json.writeStringProperty("file_name", dataRow.globalKey().orElse(dataRow.id()));
    json.writeStringProperty("data_row_id", dataRow.id());
    Optional<ImageSize> size = row.imageSize().or(() -> maskSize(row.predictions()));
    if (size.isPresent()) {
      json.writeNumberProperty("width", size.get().width());
      json.writeNumberProperty("height", size.get().height());
    }
    json.writeEndObject();
  }

  /** A mask covers its whole image, so its size is the image's when the row does not say. */
  private static Optional<ImageSize> maskSize(List<Prediction> predictions) {
    return predictions.stream()
        .filter(Mask.class::isInstance)
        .map(prediction -> ((Mask) prediction).mask())
        .filter(mask -> mask.width() > 0 && mask.height() > 0)
        .map(mask -> new ImageSize(mask.width(), mask.height()))
        .findFirst();
  }

  private void categories(JsonGenerator json) {
    json.writeArrayPropertyStart("categories");
    categoryIds.forEach(
        (name, id) -> {
          json.writeStartObject();
          json.writeNumberProperty("id", id);
          json.writeStringProperty("name", name);
          json.writeStringProperty("supercategory", categoryKinds.get(name).word());
          json.writeEndObject();
        });
    json.writeEndArray();
  }

  private record Counts(long images, long written, long skipped) {}

  /** Writes one annotation; false when the prediction has no COCO form. */
  private static boolean annotation(
      Prediction prediction, long id, long imageId, int categoryId, JsonGenerator json) {
    Optional<Shape> shape = shape(prediction);
    if (shape.isEmpty()) {
      return false;
    }
    json.writeStartObject();
    json.writeNumberProperty("id", id);
    json.writeNumberProperty("image_id", imageId);
    json.writeNumberProperty("category_id", categoryId);
    double[] box = shape.get().box();
    json.writeArrayPropertyStart("bbox");
    for (double value : box) {
      Json.number(json, value);
    }
    json.writeEndArray();
    shape.get().segmentation().write(json);
    Json.numberProperty(json, "area", shape.get().area());
    if (prediction.score().isPresent()) {
      json.writeNumberProperty("score", prediction.score().getAsDouble());
    }
    json.writeNumberProperty("iscrowd", 0);
    json.writeEndObject();
    return true;
  }

  /** A prediction's box, area and segmentation writer, when it has a COCO form. */
  private record Shape(double[] box, double area, Segmentation segmentation) {}

  @FunctionalInterface
  private interface Segmentation {
    void write(JsonGenerator json);
  }

  private static Optional<Shape> shape(Prediction prediction) {
    return switch (prediction) {
      case Box box ->
          Optional.of(
              new Shape(
                  new double[] {box.left(), box.top(), box.width(), box.height()},
                  box.area(),
                  json -> {}));
      case Mask mask -> {
        BoundingBox bounds = mask.mask().boundingBox().orElse(new BoundingBox(0, 0, 0, 0));
        yield Optional.of(
            new Shape(
                new double[] {bounds.left(), bounds.top(), bounds.width(), bounds.height()},
                mask.mask().area(),
                json -> {
                  json.writeObjectPropertyStart("segmentation");
                  json.writeArrayPropertyStart("size");
                  json.writeNumber(mask.mask().height());
                  json.writeNumber(mask.mask().width());
                  json.writeEndArray();
                  json.writeStringProperty("counts", mask.mask().compressed());
                  json.writeEndObject();
                }));
      }
      case Polygon polygon ->
          Optional.of(
              new Shape(
                  bounds(polygon.vertices()),
                  polygon.area(),
                  json -> {
                    json.writeArrayPropertyStart("segmentation");
                    json.writeStartArray();
                    for (Vertex vertex : polygon.vertices()) {
                      Json.number(json, vertex.x());
                      Json.number(json, vertex.y());
                    }
                    json.writeEndArray();
                    json.writeEndArray();
                  }));
      case Point point -> Optional.empty();
      case Line line -> Optional.empty();
      case EntitySpan span -> Optional.empty();
      case Radio radio -> Optional.empty();
      case Checklist checklist -> Optional.empty();
      case FreeText text -> Optional.empty();
    };
  }

  private static double[] bounds(List<Vertex> vertices) {
    double left = Double.MAX_VALUE;
    double top = Double.MAX_VALUE;
    double right = 0;
    double bottom = 0;
    for (Vertex vertex : vertices) {
      left = Math.min(left, vertex.x());
      top = Math.min(top, vertex.y());
      right = Math.max(right, vertex.x());
      bottom = Math.max(bottom, vertex.y());
    }
    return new double[] {left, top, right - left, bottom - top};
  }
}
