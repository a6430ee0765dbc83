package org.openfoundry.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * The 256-bit key that seals secrets, with the id written into every sealed secret so that keys can
 * rotate later. Its {@code toString} never shows the key.
 */
public final class MasterKey {
  /** The environment variable that may hold the key, base64-encoded. */
  public static final String ENVIRONMENT_VARIABLE = "FOUNDRY_MASTER_KEY";

  static final int LENGTH = 32;
  private static final int DEFAULT_ID = 1;
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private final int id;
  private final byte[] bytes;

  public MasterKey(int id, byte[] bytes) {
    if (id < 0 || id > 255) {
      throw new IllegalArgumentException("key id must be within 0..255, got " + id);
    }
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a master key is " + LENGTH + " bytes, got " + bytes.length);
    }
    this.id = id;
    this.bytes = bytes.clone();
  }

  public int id() {
    return id;
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The key from {@code configured} (base64) if present, else from the {@code FOUNDRY_MASTER_KEY}
   * environment variable, else from {@code keyFile}, which is generated once with owner-only
   * permissions when it does not exist yet.
   */
  public static MasterKey load(
      Optional<String> configured, Map<String, String> environment, Path keyFile) {
    if (configured.isPresent()) {
      return decode(configured.get(), "the configured master key");
    }
    String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return decode(fromEnvironment, "environment variable " + ENVIRONMENT_VARIABLE);
    }
    return fromFile(keyFile);
  }

  /** Reads the key file, or creates it (and its folder) readable by the owner only. */
  public static MasterKey fromFile(Path keyFile) {
    try {
      if (Files.exists(keyFile)) {
        return read(keyFile);
      }
      return create(keyFile);
    } catch (IOException e) {
      throw new FoundryException(
          ErrorCode.UNAVAILABLE,
          "cannot read or create the master key file " + keyFile + ": " + e.getMessage(),
          List.of(),
          e);
    }
  }

  /** A fresh random key, for key files and tests. */
  public static MasterKey generate(SecureRandom random) {
    byte[] bytes = new byte[LENGTH];
    random.nextBytes(bytes);
    return new MasterKey(DEFAULT_ID, bytes);
  }

  static MasterKey decode(String base64, String source) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          source + ": expected base64 of " + LENGTH + " bytes, got text that is not base64");
    }
    if (bytes.length != LENGTH) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          source + ": expected base64 of " + LENGTH + " bytes, got " + bytes.length + " bytes");
    }
    return new MasterKey(DEFAULT_ID, bytes);
  }

  private static MasterKey read(Path keyFile) throws IOException {
    if (isPosix(keyFile)) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
      if (!OWNER_ONLY_FILE.containsAll(permissions)) {
        throw new FoundryException(
            ErrorCode.FORBIDDEN,
            "the master key file "
                + keyFile
                + " is readable by others ("
                + PosixFilePermissions.toString(permissions)
                + "): expected rw------- ; fix it with chmod 600");
      }
    }
    return decode(
        Files.readString(keyFile, StandardCharsets.US_ASCII), "master key file " + keyFile);
  }

  private static MasterKey create(Path keyFile) throws IOException {
    Path folder = keyFile.toAbsolutePath().getParent();
    boolean posix = isPosix(folder.getRoot());
    if (!Files.isDirectory(folder)) {
      if (posix) {
        Files.createDirectories(folder, attribute(OWNER_ONLY_FOLDER));
      } else {
        Files.createDirectories(folder);
      }
    }
    MasterKey key = generate(new SecureRandom());
    byte[] encoded =
        (Base64.getEncoder().encodeToString(key.bytes) + "\n").getBytes(StandardCharsets.US_ASCII);
    // The key is written whole into a file of its own (owner-only from its creation), then linked
    // under its name, which fails if the name is taken: a process starting at the same moment, or
    // one killed while writing, never leaves or reads a key file that is empty or half written.
    Path written =
        posix
            ? Files.createTempFile(folder, ".master-key-", ".tmp", attribute(OWNER_ONLY_FILE))
            : Files.createTempFile(folder, ".master-key-", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(written, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(encoded));
        channel.force(true);
      }
      Files.createLink(keyFile, written);
      return key;
    } catch (FileAlreadyExistsException e) {
      return read(keyFile);
    } finally {
      Arrays.fill(encoded, (byte) 0);
      Files.deleteIfExists(written);
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }

  @Override
  public String toString() {
    return "MasterKey[id=" + id + ", ****]";
  }
}
