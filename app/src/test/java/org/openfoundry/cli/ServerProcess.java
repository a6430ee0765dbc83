package org.openfoundry.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerSettings;
import org.openfoundry.engine.JavaProcess;

/**
 * {@code foundry serve} in a child JVM on a data folder, listening on a free loopback port that it
 * names in its log, with loopback endpoints allowed and {@link TestServer#ADMIN_KEY} as its admin
 * key. A test can kill it outright and start another on the same folder.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENS = Pattern.compile("OpenFoundry listens on port (\\d+)");
  private static final Duration START_WITHIN = Duration.ofSeconds(90);

  private final JavaProcess process;
  private final URI url;

  private ServerProcess(JavaProcess process, URI url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts a server on {@code dataDir} with {@code settings} (FOUNDRY_* variables) added, and waits
   * until it listens.
   */
  static ServerProcess start(
      String name, Path dataDir, Map<String, String> settings, Path logFolder) {
    Map<String, String> environment = new HashMap<>();
    environment.put("FOUNDRY_HTTP_HOST", "127.0.0.1");
    environment.put("FOUNDRY_HTTP_PORT", "0");
    environment.put("FOUNDRY_STORAGE_DATA_DIR", dataDir.toString());
    environment.put("FOUNDRY_ADMIN_KEY", TestServer.ADMIN_KEY);
    environment.put("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8");
    environment.put("FOUNDRY_LOG_LEVEL", "INFO");
    environment.putAll(settings);
    JavaProcess process =
        JavaProcess.start(name, Main.class, List.of("serve"), environment, logFolder);
    try {
      return new ServerProcess(
          process,
          URI.create("http://127.0.0.1:" + process.awaitOutput(LISTENS, START_WITHIN).group(1)));
    } catch (RuntimeException | AssertionError failed) {
      process.close();
      throw failed;
    }
  }

  /** The child JVM: to kill it, stop it or read what it logged. */
  JavaProcess process() {
    return process;
  }

  /** A client of this server's API with the admin key. */
  FoundryClient admin() {
    return new FoundryClient(ServerSettings.of(url, TestServer.ADMIN_KEY));
  }

  @Override
  public void close() {
    process.close();
  }
}
