package org.openfoundry.server.files;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.TreeReader;
import org.openfoundry.server.Access;
import org.openfoundry.server.Requests;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code POST /api/v1/files} stores an upload (the raw body with its content type, or the {@code
 * file} part of a multipart form); {@code GET /files/{name}} serves it to whoever holds a valid
 * signed URL, with no API key.
 */
public final class FilesResource implements Resource {
  private static final long MULTIPART_OVERHEAD = 64 * 1024;

  private final FileStore store;
  private final UrlSigner signer;
  private final long maxUploadBytes;

  public FilesResource(FileStore store, UrlSigner signer, long maxUploadBytes) {
    this.store = requireNonNull(store, "store is null");
    this.signer = requireNonNull(signer, "signer is null");
    this.maxUploadBytes = maxUploadBytes;
  }

  /** The answer to an upload: how rows refer to the file, and a signed URL to look at it now. */
  record Uploaded(String name, String contentType, long size, String rowData, String url) {}

  @Override
  public void register(Routes routes) {
    routes.post("/api/v1/files", Access.MEMBER, this::upload);
    routes.get("/files/{name}", Access.PUBLIC, this::serve);
  }

  private void upload(Context ctx) {
    String type =
        Requests.mediaType(ctx)
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "an upload needs a Content-Type: the file's type, or multipart/form-data",
                        List.of(
                            Problem.error(
                                "Content-Type", "expected one of " + FileStore.acceptedTypes()))));
    FileStore.StoredFile stored;
    if (type.equals("multipart/form-data")) {
      stored = fromMultipart(ctx);
    } else {
      stored = store.save(Requests.limitedBody(ctx, maxUploadBytes), type);
    }
    ctx.status(201)
        .json(
            new Uploaded(
                stored.name(),
                stored.contentType(),
                stored.size(),
                stored.rowData(),
                signer.sign(stored.name()).toString()));
  }

  private FileStore.StoredFile fromMultipart(Context ctx) {
    // The form's own fields and boundaries are small; refuse an oversized form before parsing it.
    Requests.refuseDeclaredOver(ctx, maxUploadBytes + MULTIPART_OVERHEAD);
    UploadedFile part = filePart(ctx);
    if (part == null) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "the multipart form has no file part",
          List.of(Problem.error("file", "expected a part named \"file\"")));
    }
    refuseUnsafeName(part.filename());
    if (part.size() > maxUploadBytes) {
      throw new FoundryException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "the file is larger than uploads may be (" + maxUploadBytes + " bytes)");
    }
    String partType = part.contentType() == null ? "" : part.contentType();
    int semicolon = partType.indexOf(';');
    try (InputStream content = part.content()) {
      return store.save(
          content, (semicolon < 0 ? partType : partType.substring(0, semicolon)).trim());
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
  }

  /** The form's {@code file} part; a form the server cannot parse is the sender's mistake. */
  private static UploadedFile filePart(Context ctx) {
    try {
      return ctx.uploadedFile("file");
    } catch (Exception unreadable) {
      // The rest of the body was not read: say so, so that no client sends its next request on a
      // connection the server is about to close.
      ctx.header("Connection", "close");
      Throwable cause = unreadable;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "the multipart form cannot be read",
          List.of(
              Problem.error(
                  "file",
                  "expected a well-formed multipart form (a part's headers hold no control"
                      + " characters), got one the server refused: "
                      + cause.getMessage())));
    }
  }

  /**
   * The store names files itself and never uses the one sent; a name that tries to leave a folder
   * is refused all the same, so that whoever sent it learns it was not taken.
   */
  static void refuseUnsafeName(String filename) {
    if (filename == null || filename.isEmpty()) {
      return;
    }
    String lower = filename.toLowerCase(Locale.ROOT);
    boolean unsafe =
        filename.indexOf('/') >= 0
            || filename.indexOf('\\') >= 0
            || filename.chars().anyMatch(Character::isISOControl)
            || filename.equals(".")
            || filename.equals("..")
            || lower.contains("%2e%2e")
            || lower.contains("%2f")
            || lower.contains("%5c")
            || lower.contains("%00");
    if (unsafe) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "the uploaded file's name is not a plain file name",
          List.of(
              Problem.error(
                  "file",
                  "expected a file name without folders, control characters or encoded ones,"
                      + " got "
                      + TreeReader.describe(JsonNodeFactory.instance.stringNode(filename)))));
    }
  }

  private void serve(Context ctx) {
    String name = ctx.pathParam("name");
    if (!signer.verify(name, ctx.queryParam("expires"), ctx.queryParam("signature"))) {
      throw new FoundryException(
          ErrorCode.FORBIDDEN, "this file URL is not valid or has expired; ask for a new one");
    }
    FileStore.StoredFile file =
        store
            .find(name)
            .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no file named " + name));
    try {
      // The server answers UTF-8 by default; a stored file keeps its own type, with no charset.
      ctx.res().setCharacterEncoding(null);
      ctx.res().setContentType(file.contentType());
      ctx.header("Cache-Control", "private, max-age=60")
          .header("X-Content-Type-Options", "nosniff")
          .header("Content-Security-Policy", "sandbox")
          .result(store.open(file));
    } catch (IOException vanished) {
      throw new FoundryException(ErrorCode.NOT_FOUND, "no file named " + name);
    }
  }
}
