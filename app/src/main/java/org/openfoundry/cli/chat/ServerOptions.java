package org.openfoundry.cli.chat;

import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the server is and the API key to call it with. */
final class ServerOptions {
  static final String SERVER_VARIABLE = "FOUNDRY_SERVER";
  static final String KEY_VARIABLE = "FOUNDRY_API_KEY";
  static final URI DEFAULT_SERVER = URI.create("http://localhost:8080/");

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The server's URL (default: $FOUNDRY_SERVER, else http://localhost:8080).")
  URI server;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "The API key (default: $FOUNDRY_API_KEY). Prefer the variable: options show.")
  String apiKey;

  ChatApi api() {
    URI base =
        Optional.ofNullable(server)
            .or(() -> Optional.ofNullable(System.getenv(SERVER_VARIABLE)).map(URI::create))
            .orElse(DEFAULT_SERVER);
    String text = base.toString();
    URI root = text.endsWith("/") ? base : URI.create(text + "/");
    Optional<String> key =
        Optional.ofNullable(apiKey)
            .or(() -> Optional.ofNullable(System.getenv(KEY_VARIABLE)))
            .filter(value -> !value.isBlank());
    return new ChatApi(root, key);
  }
}
