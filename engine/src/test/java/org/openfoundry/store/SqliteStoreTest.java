package org.openfoundry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openfoundry.models.SecretValue;

/** The store contract on a SQLite file. */
class SqliteStoreTest extends StoreContractTest {
  private Path folder;

  @Override
  Database openDatabase() {
    try {
      folder = Files.createTempDirectory("foundry-store-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Database.open(DatabaseConfig.sqlite(folder.resolve("foundry.db")));
  }

  @Override
  void dropDatabase() {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
      Files.delete(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void keeps_no_secret_in_clear_anywhere_in_the_database_files() {
    String secret = "sk-file-" + unique("needle");
    String name = unique("on-disk");
    store.models().create(name, manifest(name), Optional.of(new SecretValue(secret)));

    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    for (String file : new String[] {"foundry.db", "foundry.db-wal"}) {
      Path path = folder.resolve(file);
      if (Files.exists(path)) {
        assertThat(contains(read(path), needle)).as(file).isFalse();
      }
    }
    assertThat(
            contains(read(folder.resolve("foundry.db-wal")), name.getBytes(StandardCharsets.UTF_8))
                || contains(
                    read(folder.resolve("foundry.db")), name.getBytes(StandardCharsets.UTF_8)))
        .as("the model itself was written, so the search looked in the right place")
        .isTrue();
  }

  @Test
  void runs_in_wal_mode_with_foreign_keys_on() {
    assertThat(pragma("journal_mode")).isEqualToIgnoringCase("wal");
    assertThat(pragma("foreign_keys")).isEqualTo("1");
    assertThat(pragma("synchronous")).isEqualTo("1");
  }

  private String pragma(String name) {
    return store
        .database()
        .read(handle -> handle.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }

  private static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
