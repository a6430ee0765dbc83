package org.openfoundry.cli.client;

import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --server} and {@code --api-key} options of every command that talks to a server; what
 * they leave out comes from the environment or the config file (see {@link ServerSettings}).
 */
public final class ConnectionOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      converter = ServerUrl.class,
      description =
          "The server's URL (default: $FOUNDRY_SERVER, the config file's server, else"
              + " http://localhost:8080).")
  URI server;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "The API key (default: $FOUNDRY_API_KEY, else the config file's api_key). Prefer the"
              + " variable or the file: a key on the command line shows in the process list.")
  String apiKey;

  public ConnectionOptions() {}

  /** Options given on the command line, for tests and for commands that build their own. */
  public ConnectionOptions(Optional<URI> server, Optional<String> apiKey) {
    this.server = server.orElse(null);
    this.apiKey = apiKey.orElse(null);
  }

  Optional<URI> server() {
    return Optional.ofNullable(server);
  }

  Optional<String> apiKey() {
    return Optional.ofNullable(apiKey).filter(key -> !key.isBlank());
  }

  /** Reads {@code --server}: an absolute http or https URL with a host. */
  static final class ServerUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      return ServerSettings.parseUrl(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "expected an http or https URL such as http://localhost:8080, got \""
                          + value
                          + "\""));
    }
  }
}
