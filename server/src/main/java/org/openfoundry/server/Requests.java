package org.openfoundry.server;

import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openfoundry.json.Surrogates;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reading request bodies: content types (415), size limits (413) and JSON parsing (400). */
public final class Requests {
  public static final String JSON = "application/json";

  private Requests() {}

  /** The request's media type, lower-case and without parameters; empty when absent. */
  public static Optional<String> mediaType(Context ctx) {
    String header = ctx.header("Content-Type");
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    int semicolon = header.indexOf(';');
    String type = semicolon < 0 ? header : header.substring(0, semicolon);
    return Optional.of(type.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * Throws 415 unless the request's media type is one of {@code accepted}; a request without a
   * content type counts as the first accepted type.
   */
  public static String requireMediaType(Context ctx, List<String> accepted) {
    Optional<String> type = mediaType(ctx);
    if (type.isEmpty()) {
      return accepted.getFirst();
    }
    if (!accepted.contains(type.get())) {
      throw new FoundryException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "this route accepts " + String.join(" or ", accepted) + ", not " + type.get(),
          List.of(
              Problem.error(
                  "Content-Type", "expected one of " + accepted + ", got " + type.get())));
    }
    return type.get();
  }

  /** The body as a JSON object: 415 for another content type, 400 when it is not an object. */
  public static ObjectNode jsonObject(Context ctx) {
    requireMediaType(ctx, List.of(JSON));
    if (ctx.bodyAsBytes().length == 0) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "expected a JSON object in the request body, got an empty body",
          List.of(Problem.error("", "expected a JSON object, got an empty body")));
    }
    JsonNode body = ctx.bodyAsClass(JsonNode.class);
    if (!(body instanceof ObjectNode object)) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "expected a JSON object in the request body",
          List.of(Problem.error("", "expected a JSON object, got " + Json.describe(body))));
    }
    // Half of a character ("\ud800") would be stored as "?": refused, at its path.
    Surrogates.firstUnpaired("", object)
        .ifPresent(
            problem -> {
              throw new FoundryException(
                  ErrorCode.INVALID_INPUT,
                  problem.path() + ": " + problem.message(),
                  List.of(problem));
            });
    return object;
  }

  /**
   * The body as a stream that fails with 413 past {@code limit} bytes; a declared Content-Length
   * over the limit is refused before anything is read.
   */
  public static InputStream limitedBody(Context ctx, long limit) {
    refuseDeclaredOver(ctx, limit);
    return new LimitedInputStream(ctx.bodyInputStream(), limit);
  }

  /**
   * The whole body, copied to a new file in {@code folder} while its size is checked, so that a
   * body over the limit (413) or cut off by its client fails before anything acts on any of it. The
   * caller deletes the file; a copy that fails leaves none behind.
   */
  public static Path spooledBody(Context ctx, long limit, Path folder) {
    Path file;
    try {
      file = Files.createTempFile(folder, "body-", ".part");
    } catch (IOException failed) {
      throw new UncheckedIOException(
          "cannot make a file in " + folder + " to hold the body", failed);
    }
    try (InputStream body = limitedBody(ctx, limit)) {
      Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException failed) {
      deleteQuietly(file);
      throw new UncheckedIOException("cannot read the request body", failed);
    } catch (RuntimeException failed) {
      deleteQuietly(file);
      throw failed;
    }
  }

  /** Deletes a file made by {@link #spooledBody}; one that cannot be deleted is left, not fatal. */
  public static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // The body is read in full or refused already; a file left behind only takes room.
    }
  }

  /** Throws 413 when the declared Content-Length is over the limit; reads nothing. */
  public static void refuseDeclaredOver(Context ctx, long limit) {
    if (declaredLength(ctx) > limit) {
      throw tooLarge(limit);
    }
  }

  private static long declaredLength(Context ctx) {
    String header = ctx.header("Content-Length");
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException malformed) {
      return -1;
    }
  }

  static FoundryException tooLarge(long limit) {
    return new FoundryException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "the request body is larger than this route accepts (" + limit + " bytes)");
  }

  /** Counts what is read and fails once more than the limit has come through. */
  private static final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int next = super.read();
      if (next >= 0) {
        counted(1);
      }
      return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read > 0) {
        counted(read);
      }
      return read;
    }

    @Override
    public long skip(long wanted) throws IOException {
      long skipped = super.skip(wanted);
      counted(skipped);
      return skipped;
    }

    private void counted(long bytes) {
      count += bytes;
      if (count > limit) {
        throw tooLarge(limit);
      }
    }
  }
}
