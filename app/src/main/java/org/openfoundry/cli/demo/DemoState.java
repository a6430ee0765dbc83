package org.openfoundry.cli.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * What the demo keeps in its data folder between runs: the admin key of its server (made once) and
 * the port its example models last listened on, which its image rows point at. The file is readable
 * by its owner only: it holds a key.
 */
record DemoState(Path file, String adminKey, OptionalInt modelsPort) {
  static final String FILE_NAME = "demo.properties";

  DemoState {
    requireNonNull(file, "file is null");
    requireNonNull(adminKey, "adminKey is null");
    requireNonNull(modelsPort, "modelsPort is null");
  }

  /** The state in {@code dataDir}, or a new one with a fresh admin key. */
  static DemoState load(Path dataDir, SecureRandom random) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return new DemoState(file, newKey(random), OptionalInt.empty());
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException unreadable) {
      throw new UncheckedIOException("cannot read " + file, unreadable);
    }
    String key = properties.getProperty("admin_key", "").strip();
    OptionalInt port = OptionalInt.empty();
    String portText = properties.getProperty("models_port", "").strip();
    if (portText.matches("\\d{1,5}")) {
      port = OptionalInt.of(Integer.parseInt(portText));
    }
    return new DemoState(file, key.length() >= 32 ? key : newKey(random), port);
  }

  DemoState withModelsPort(int port) {
    return new DemoState(file, adminKey, OptionalInt.of(port));
  }

  void save() {
    Properties properties = new Properties();
    properties.setProperty("admin_key", adminKey);
    modelsPort.ifPresent(port -> properties.setProperty("models_port", Integer.toString(port)));
    try {
      if (!Files.exists(file)
          && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        properties.store(
            writer, "foundry demo: the admin key of the demo server, the example models' port");
      }
    } catch (IOException failed) {
      throw new UncheckedIOException("cannot write " + file, failed);
    }
  }

  /** A key shaped like the server's own: {@code ofk_} and 43 URL-safe characters. */
  private static String newKey(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "ofk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "DemoState[file=" + file + ", adminKey=****, modelsPort=" + modelsPort + "]";
  }
}
