package org.openfoundry.server.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openfoundry.models.SecretValue;
import org.openfoundry.outbound.Cidr;
import org.openfoundry.outbound.OutboundPolicy;

/** The validated configuration of one node, one record per feature. */
public record ServerConfig(
    ServerRole role,
    Http http,
    Storage storage,
    Auth auth,
    Outbound outbound,
    Files files,
    Dispatch dispatch) {

  public ServerConfig {
    requireNonNull(role, "role is null");
    requireNonNull(http, "http is null");
    requireNonNull(storage, "storage is null");
    requireNonNull(auth, "auth is null");
    requireNonNull(outbound, "outbound is null");
    requireNonNull(files, "files is null");
    requireNonNull(dispatch, "dispatch is null");
  }

  /**
   * How a worker node works the task queue: how often it looks for tasks, and how long its claim on
   * a task lasts unless renewed (so how soon a crashed node's tasks are taken again).
   */
  public record Dispatch(Duration pollInterval, Duration leaseDuration) {
    public Dispatch {
      requireNonNull(pollInterval, "pollInterval is null");
      requireNonNull(leaseDuration, "leaseDuration is null");
      if (pollInterval.compareTo(leaseDuration.dividedBy(2)) >= 0) {
        throw new IllegalArgumentException(
            "pollInterval must be shorter than half of leaseDuration, got "
                + pollInterval
                + " and "
                + leaseDuration);
      }
    }
  }

  /**
   * The HTTP listener and its request limits: bodies in bytes, an NDJSON import line in characters.
   */
  public record Http(
      String host,
      int port,
      Optional<URI> publicUrl,
      long maxBodyBytes,
      long maxUploadBytes,
      long maxImportBytes,
      int maxLineLength,
      Duration eventsInterval) {
    public Http {
      requireNonNull(eventsInterval, "eventsInterval is null");
      requireNonNull(host, "host is null");
      requireNonNull(publicUrl, "publicUrl is null");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      if (maxBodyBytes < 1 || maxUploadBytes < 1 || maxImportBytes < 1 || maxLineLength < 1) {
        throw new IllegalArgumentException("size limits must be positive");
      }
    }

    /** The URL models use to reach this server, given the port it actually listens on. */
    public URI publicUrl(int actualPort) {
      return publicUrl.orElseGet(() -> URI.create("http://localhost:" + actualPort));
    }
  }

  /** Where data lives: the data folder and the database. */
  public record Storage(
      Path dataDir,
      String databaseUrl,
      Optional<String> databaseUser,
      Optional<SecretValue> databasePassword,
      Optional<SecretValue> masterKey) {
    public Storage {
      requireNonNull(masterKey, "masterKey is null");
      requireNonNull(dataDir, "dataDir is null");
      requireNonNull(databaseUrl, "databaseUrl is null");
      requireNonNull(databaseUser, "databaseUser is null");
      requireNonNull(databasePassword, "databasePassword is null");
    }

    public boolean isPostgres() {
      return databaseUrl.startsWith("jdbc:postgresql:");
    }
  }

  /** API key settings: an admin key taken from the configuration instead of generated. */
  public record Auth(Optional<SecretValue> adminKey) {
    public Auth {
      requireNonNull(adminKey, "adminKey is null");
    }
  }

  /** Which non-public networks model endpoints may resolve to. */
  public record Outbound(List<Cidr> allowedNetworks) {
    public Outbound {
      allowedNetworks = List.copyOf(allowedNetworks);
    }

    public OutboundPolicy policy() {
      return new OutboundPolicy(allowedNetworks);
    }
  }

  /** Signed URLs for files stored by the server. */
  public record Files(Optional<SecretValue> signingKey, Duration urlTtl) {
    public Files {
      requireNonNull(signingKey, "signingKey is null");
      requireNonNull(urlTtl, "urlTtl is null");
      if (urlTtl.isNegative() || urlTtl.isZero()) {
        throw new IllegalArgumentException("urlTtl must be positive, got " + urlTtl);
      }
    }
  }
}
