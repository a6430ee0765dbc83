package org.openfoundry.server.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.openfoundry.models.SecretValue;

/**
 * The key that signs file URLs: the configured one, or 32 random bytes generated at first start and
 * kept in the data folder (readable by the owner only), so that URLs survive a restart and every
 * node sharing the folder signs alike.
 */
public final class SigningKey {
  static final String FILE_NAME = "signing.key";

  private SigningKey() {}

  public static byte[] load(Optional<SecretValue> configured, Path dataDir, SecureRandom random) {
    if (configured.isPresent()) {
      byte[] key = configured.get().reveal().getBytes(StandardCharsets.UTF_8);
      if (key.length < 32) {
        throw new IllegalArgumentException("files.signing_key must have at least 32 characters");
      }
      return key;
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        create(file, Base64.getEncoder().encodeToString(key));
      }
      return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IOException unreadable) {
      throw new UncheckedIOException("cannot read or create the signing key " + file, unreadable);
    }
  }

  private static void create(Path file, String content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, content, StandardCharsets.US_ASCII);
    } catch (FileAlreadyExistsException anotherNodeWasFirst) {
      // Another node sharing the folder created it between our check and now: use theirs.
    }
  }
}
