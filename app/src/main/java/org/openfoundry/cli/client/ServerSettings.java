package org.openfoundry.cli.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * The server to call and the key to call it with, each from the first place that gives it: the
 * command line, then {@code FOUNDRY_SERVER} / {@code FOUNDRY_API_KEY}, then the config file ({@code
 * $FOUNDRY_CLI_CONFIG}, else {@code ~/.config/openfoundry/cli.yaml}). {@code keyOrigin} says where
 * the key came from, so that a refused key can be traced.
 */
public record ServerSettings(URI server, Optional<String> apiKey, String keyOrigin) {
  public static final String SERVER_VARIABLE = "FOUNDRY_SERVER";
  public static final String KEY_VARIABLE = "FOUNDRY_API_KEY";
  public static final String CONFIG_VARIABLE = "FOUNDRY_CLI_CONFIG";
  public static final URI DEFAULT_SERVER = URI.create("http://localhost:8080");

  public ServerSettings {
    requireNonNull(server, "server is null");
    requireNonNull(apiKey, "apiKey is null");
    requireNonNull(keyOrigin, "keyOrigin is null");
  }

  /** Settings for a known server and key, as the demo has them. */
  public static ServerSettings of(URI server, String apiKey) {
    return new ServerSettings(server, Optional.of(apiKey), "the demo");
  }

  /** Resolves the settings; a bad variable or config file is an error naming it. */
  public static ServerSettings resolve(ConnectionOptions options, CliEnvironment environment) {
    Optional<CliConfigFile> file = CliConfigFile.find(environment);
    URI server =
        options
            .server()
            .or(() -> environment.variable(SERVER_VARIABLE).map(ServerSettings::fromVariable))
            .or(() -> file.flatMap(CliConfigFile::server))
            .orElse(DEFAULT_SERVER);
    if (options.apiKey().isPresent()) {
      return new ServerSettings(server, options.apiKey(), "--api-key");
    }
    Optional<String> variable = environment.variable(KEY_VARIABLE);
    if (variable.isPresent()) {
      return new ServerSettings(server, variable.map(String::strip), KEY_VARIABLE);
    }
    Optional<String> fromFile = file.flatMap(CliConfigFile::apiKey);
    if (fromFile.isPresent()) {
      return new ServerSettings(server, fromFile, file.get().path().toString());
    }
    return new ServerSettings(server, Optional.empty(), "nowhere");
  }

  /** The default config file: {@code $XDG_CONFIG_HOME/openfoundry/cli.yaml} or under home. */
  static Path defaultConfigFile(CliEnvironment environment) {
    Path base =
        environment
            .variable("XDG_CONFIG_HOME")
            .map(Path::of)
            .orElse(environment.home().resolve(".config"));
    return base.resolve("openfoundry").resolve("cli.yaml");
  }

  /** An absolute http or https URL with a host, without a trailing slash; empty otherwise. */
  public static Optional<URI> parseUrl(String text) {
    try {
      URI uri = new URI(text.strip());
      if (uri.getScheme() == null
          || !(uri.getScheme().equalsIgnoreCase("http")
              || uri.getScheme().equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of(URI.create(uri.toString().replaceAll("/+$", "")));
    } catch (URISyntaxException malformed) {
      return Optional.empty();
    }
  }

  private static URI fromVariable(String text) {
    return parseUrl(text)
        .orElseThrow(
            () ->
                new FoundryException(
                    ErrorCode.INVALID_INPUT,
                    "the server URL is not valid",
                    List.of(
                        Problem.error(
                            SERVER_VARIABLE,
                            "expected an http or https URL such as http://localhost:8080, got \""
                                + text
                                + "\""))));
  }

  @Override
  public String toString() {
    return "ServerSettings[server="
        + server
        + ", apiKey="
        + apiKey.map(key -> "****").orElse("(none)")
        + ", keyOrigin="
        + keyOrigin
        + "]";
  }
}
