package org.openfoundry.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerSettings;
import org.openfoundry.server.Application;
import org.openfoundry.server.config.ConfigLoader;

/**
 * The real server as {@code foundry serve} starts it, on a free port with SQLite in a temporary
 * folder, loopback endpoints allowed (the fake model endpoint listens there), an admin key from the
 * configuration and a member and a metrics key made through the API.
 */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_KEY = "test-admin-key-0123456789-abcdefghijklmnop";

  public final Application app;
  public final Path dataDir;
  public final URI url;
  public final String memberKey;
  public final String metricsKey;

  public TestServer() {
    try {
      dataDir = Files.createTempDirectory("openfoundry-cli-test");
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
    Map<String, String> environment = new HashMap<>();
    environment.put("FOUNDRY_HTTP_HOST", "127.0.0.1");
    environment.put("FOUNDRY_HTTP_PORT", "0");
    environment.put("FOUNDRY_STORAGE_DATA_DIR", dataDir.toString());
    environment.put("FOUNDRY_ADMIN_KEY", ADMIN_KEY);
    environment.put("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8");
    environment.put("FOUNDRY_HTTP_EVENTS_INTERVAL", "50ms");
    environment.put("FOUNDRY_DISPATCH_POLL_INTERVAL", "20ms");
    app =
        Application.start(
            ConfigLoader.load(Optional.empty(), environment, Map.of()),
            new PrintStream(OutputStream.nullOutputStream()),
            Clock.systemUTC());
    url = URI.create("http://127.0.0.1:" + app.port());
    memberKey = createKey("member");
    metricsKey = createKey("metrics");
  }

  /** A client of this server's API with {@code key}. */
  public FoundryClient client(String key) {
    return new FoundryClient(ServerSettings.of(url, key));
  }

  private String createKey(String role) {
    try (FoundryClient admin = client(ADMIN_KEY)) {
      return admin
          .postJson("/api/v1/api-keys", admin.object().put("name", role + " key").put("role", role))
          .path("key")
          .asString();
    }
  }

  @Override
  public void close() {
    app.close();
  }
}
