package org.openfoundry.engine;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.models.SecretValue;
import org.openfoundry.secrets.MasterKey;

/** Where a node finds the key that seals model secrets; every node of a cluster needs the same. */
public sealed interface MasterKeySource {
  MasterKey load();

  /** A key already in hand. */
  record Given(MasterKey key) implements MasterKeySource {
    public Given {
      requireNonNull(key, "key is null");
    }

    @Override
    public MasterKey load() {
      return key;
    }
  }

  /**
   * The configured key (base64) if any, else the {@code FOUNDRY_MASTER_KEY} variable of {@code
   * environment}, else {@code keyFile}, created with owner-only permissions when missing.
   */
  record Lookup(Optional<SecretValue> configured, Map<String, String> environment, Path keyFile)
      implements MasterKeySource {
    public Lookup {
      requireNonNull(configured, "configured is null");
      environment = Map.copyOf(environment);
      requireNonNull(keyFile, "keyFile is null");
    }

    @Override
    public MasterKey load() {
      return MasterKey.load(configured.map(SecretValue::reveal), environment, keyFile);
    }

    @Override
    public String toString() {
      return "Lookup[configured="
          + (configured.isPresent() ? "****" : "none")
          + ", keyFile="
          + keyFile
          + "]";
    }
  }
}
