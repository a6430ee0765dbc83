package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.server.config.ConfigLoader;

/**
 * The whole server as {@code foundry serve} starts it, on port 0 with SQLite in a temporary folder,
 * an admin key from the configuration, and a member and a metrics key created through the API.
 */
public final class AppFixture implements AutoCloseable {
  public static final String ADMIN_KEY = "test-admin-key-0123456789-abcdefghijklmnop";
  public static final int MAX_BODY = 64 * 1024;

  public final Application app;
  public final HttpFixture http;
  public final AdjustableClock clock = new AdjustableClock();
  public final Path dataDir;
  public final String adminKey = ADMIN_KEY;
  public final String memberKey;
  public final String metricsKey;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  public AppFixture() {
    this(Map.of());
  }

  /** {@code settings} are extra FOUNDRY_* variables, e.g. the outbound networks allowed. */
  public AppFixture(Map<String, String> settings) {
    try {
      dataDir = Files.createTempDirectory("openfoundry-app-test");
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
    Map<String, String> environment = new HashMap<>();
    environment.put("FOUNDRY_HTTP_HOST", "127.0.0.1");
    environment.put("FOUNDRY_HTTP_PORT", "0");
    environment.put("FOUNDRY_STORAGE_DATA_DIR", dataDir.toString());
    environment.put("FOUNDRY_ADMIN_KEY", ADMIN_KEY);
    environment.put("FOUNDRY_HTTP_MAX_BODY_SIZE", Integer.toString(MAX_BODY));
    environment.put("FOUNDRY_HTTP_MAX_UPLOAD_SIZE", Integer.toString(MAX_BODY));
    environment.put("FOUNDRY_HTTP_MAX_LINE_SIZE", "4096");
    environment.put("FOUNDRY_HTTP_EVENTS_INTERVAL", "50ms");
    environment.put("FOUNDRY_DISPATCH_POLL_INTERVAL", "20ms");
    environment.putAll(settings);
    app =
        Application.start(
            ConfigLoader.load(Optional.empty(), environment, Map.of()),
            new PrintStream(console, true, StandardCharsets.UTF_8),
            clock);
    http = new HttpFixture(app.port());
    memberKey = createKey("member");
    metricsKey = createKey("metrics");
  }

  private String createKey(String role) {
    HttpResponse<String> created =
        http.postJson(
            "/api/v1/api-keys",
            ADMIN_KEY,
            "{\"name\": \"" + role + " key\", \"role\": \"" + role + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return HttpFixture.json(created).get("key").asString();
  }

  /** What the application printed on its console. */
  public String console() {
    return console.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    app.close();
  }
}
