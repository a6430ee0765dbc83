package org.openfoundry.server.files;

import static java.util.Objects.requireNonNull;

import com.github.f4b6a3.ulid.UlidCreator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * Uploaded files in one folder, each under a generated name (a ULID and the extension of its
 * content type), so that no client-supplied path ever reaches the file system.
 */
public final class FileStore {
  /** How a data row refers to a stored file; replaced by a signed URL when a model is called. */
  public static final String ROW_DATA_PREFIX = "openfoundry://files/";

  private static final Map<String, String> EXTENSIONS =
      Map.of(
          "image/png", "png",
          "image/jpeg", "jpg",
          "image/gif", "gif",
          "image/webp", "webp",
          "image/tiff", "tiff",
          "image/bmp", "bmp",
          "text/plain", "txt",
          "text/html", "html",
          "text/markdown", "md",
          "application/json", "json");
  private static final Pattern NAME = Pattern.compile("[0-9A-Z]{26}\\.[a-z]{2,4}");

  private final Path folder;

  public FileStore(Path folder) {
    this.folder = requireNonNull(folder, "folder is null");
    try {
      Files.createDirectories(folder);
    } catch (IOException unwritable) {
      throw new UncheckedIOException("cannot create the files folder " + folder, unwritable);
    }
  }

  /** A stored file: its generated name, content type and size. */
  public record StoredFile(String name, String contentType, long size) {
    public StoredFile {
      requireNonNull(name, "name is null");
      requireNonNull(contentType, "contentType is null");
    }

    public String rowData() {
      return ROW_DATA_PREFIX + name;
    }
  }

  /** The content types that can be uploaded. */
  public static List<String> acceptedTypes() {
    return EXTENSIONS.keySet().stream().sorted().toList();
  }

  /**
   * Streams the content into a new file; the stream is expected to enforce the size limit, and a
   * failed copy leaves nothing behind.
   */
  public StoredFile save(InputStream content, String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT);
    String extension = EXTENSIONS.get(type);
    if (extension == null) {
      throw new FoundryException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "cannot store files of type " + type,
          List.of(
              Problem.error(
                  "Content-Type", "expected one of " + acceptedTypes() + ", got " + type)));
    }
    String name = UlidCreator.getMonotonicUlid() + "." + extension;
    Path partial = folder.resolve(name + ".part");
    try {
      long size = Files.copy(content, partial);
      Files.move(partial, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      return new StoredFile(name, type, size);
    } catch (IOException failed) {
      deleteQuietly(partial);
      throw new UncheckedIOException("cannot store the uploaded file", failed);
    } catch (RuntimeException failed) {
      deleteQuietly(partial);
      throw failed;
    }
  }

  /** The stored file of that name, if the name is one this store generates and the file exists. */
  public Optional<StoredFile> find(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path path = folder.resolve(name);
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    String extension = name.substring(name.indexOf('.') + 1);
    String type =
        EXTENSIONS.entrySet().stream()
            .filter(entry -> entry.getValue().equals(extension))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse("application/octet-stream");
    try {
      return Optional.of(new StoredFile(name, type, Files.size(path)));
    } catch (IOException vanished) {
      return Optional.empty();
    }
  }

  /** The file's name when the row data refers to a stored file. */
  public static Optional<String> referencedName(String rowData) {
    return rowData != null && rowData.startsWith(ROW_DATA_PREFIX)
        ? Optional.of(rowData.substring(ROW_DATA_PREFIX.length()))
        : Optional.empty();
  }

  InputStream open(StoredFile file) throws IOException {
    return Files.newInputStream(folder.resolve(file.name()));
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // The partial file is garbage either way; the original failure is what matters.
    }
  }
}
