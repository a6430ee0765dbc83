package org.openfoundry.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.models.SecretValue;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

class MasterKeyTest {
  @TempDir Path folder;

  @Test
  void generates_a_key_file_once_readable_only_by_its_owner() throws IOException {
    assumePosix();
    Path keyFile = folder.resolve("keys").resolve("master.key");

    MasterKey first = MasterKey.load(Optional.empty(), Map.of(), keyFile);
    MasterKey second = MasterKey.load(Optional.empty(), Map.of(), keyFile);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())))
        .isEqualTo("rwx------");
    assertThat(Base64.getDecoder().decode(Files.readString(keyFile).trim())).hasSize(32);
    assertThat(opens(second, seal(first, "kept across restarts"))).isTrue();
  }

  @Test
  void processes_starting_together_all_read_the_one_key_written_whole() throws Exception {
    Path keyFile = folder.resolve("master.key");
    int starters = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(starters);
    List<Future<MasterKey>> keys = new ArrayList<>();
    try {
      for (int i = 0; i < starters; i++) {
        keys.add(
            pool.submit(
                () -> {
                  start.await();
                  return MasterKey.fromFile(keyFile);
                }));
      }
      start.countDown();
      MasterKey first = keys.getFirst().get(30, TimeUnit.SECONDS);
      for (Future<MasterKey> key : keys) {
        assertThat(key.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(first.bytes());
      }
    } finally {
      pool.shutdownNow();
    }
    // Only the key file is left: no file a starter wrote its key into before linking it.
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files).containsExactly(keyFile);
    }
    assertThat(MasterKey.fromFile(keyFile).bytes()).isEqualTo(keyIn(keyFile));
  }

  private static byte[] keyIn(Path keyFile) throws IOException {
    return Base64.getDecoder().decode(Files.readString(keyFile).trim());
  }

  @Test
  void prefers_the_configured_key_then_the_environment_then_the_file() {
    String configured = Base64.getEncoder().encodeToString(new byte[32]);
    byte[] other = new byte[32];
    other[0] = 7;
    String fromEnvironment = Base64.getEncoder().encodeToString(other);
    Path keyFile = folder.resolve("master.key");

    MasterKey byConfig =
        MasterKey.load(
            Optional.of(configured),
            Map.of(MasterKey.ENVIRONMENT_VARIABLE, fromEnvironment),
            keyFile);
    MasterKey byEnvironment =
        MasterKey.load(
            Optional.empty(), Map.of(MasterKey.ENVIRONMENT_VARIABLE, fromEnvironment), keyFile);

    assertThat(byConfig.bytes()).isEqualTo(new byte[32]);
    assertThat(byEnvironment.bytes()).isEqualTo(other);
    assertThat(Files.exists(keyFile)).isFalse();
  }

  @Test
  void names_the_source_of_a_key_that_is_not_32_bytes_of_base64() {
    assertThatThrownBy(
            () ->
                MasterKey.load(
                    Optional.empty(),
                    Map.of(MasterKey.ENVIRONMENT_VARIABLE, "c2hvcnQ="),
                    folder.resolve("unused.key")))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "environment variable FOUNDRY_MASTER_KEY: expected base64 of 32 bytes,"
                          + " got 5 bytes");
            });
  }

  @Test
  void refuses_a_key_file_that_others_can_read() throws IOException {
    assumePosix();
    Path keyFile = folder.resolve("master.key");
    MasterKey.fromFile(keyFile);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> MasterKey.fromFile(keyFile))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.getMessage()).contains("rw-r--r--").contains("chmod 600");
            });
  }

  @Test
  void never_shows_the_key_in_its_string() {
    MasterKey key = MasterKey.generate(new SecureRandom());
    assertThat(key.toString()).isEqualTo("MasterKey[id=1, ****]");
  }

  private void assumePosix() {
    assumeThat(folder.getFileSystem().supportedFileAttributeViews()).contains("posix");
  }

  private static SealedSecret seal(MasterKey key, String secret) {
    return new SecretBox(key, new SecureRandom()).seal(new SecretValue(secret), "owner");
  }

  private static boolean opens(MasterKey key, SealedSecret sealed) {
    return new SecretBox(key, new SecureRandom()).open(sealed, "owner").reveal().length() > 0;
  }
}
