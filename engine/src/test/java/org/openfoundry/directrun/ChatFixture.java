package org.openfoundry.directrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.openfoundry.adapters.AdapterEnvironment;
import org.openfoundry.adapters.AdapterRegistry;
import org.openfoundry.chat.AttachmentInliner;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.EndpointClientConfig;
import org.openfoundry.dispatch.EndpointClientImages;
import org.openfoundry.dispatch.InteractiveCalls;
import org.openfoundry.dispatch.MutableClock;
import org.openfoundry.dispatch.RetryPolicy;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.models.Model;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.ratelimit.RateLimiter;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import org.openfoundry.store.DatabaseConfig;
import org.openfoundry.store.Store;
import org.openfoundry.time.Sleeper;

/**
 * A chat service on a SQLite store in a temporary folder and a real endpoint client, with a clock
 * that moves only when the service waits, each wait recorded.
 */
public final class ChatFixture implements AutoCloseable {
  public static final String SECRET = "s3cret-chat-token";

  public final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
  public final List<Duration> waits = new CopyOnWriteArrayList<>();
  public final Sleeper sleeper =
      duration -> {
        waits.add(duration);
        clock.advance(duration);
      };
  public final RateLimiter limiter = new InMemoryRateLimiter(clock);
  public final InteractiveCalls interactive = new InteractiveCalls();
  public final Store store;
  public final EndpointClient client;
  public final ChatService service;
  private final Path folder;

  public ChatFixture() {
    this(ConversationLimits.defaults());
  }

  public ChatFixture(ConversationLimits limits) {
    try {
      folder = Files.createTempDirectory("foundry-chat-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SecureRandom random = new SecureRandom();
    store =
        Store.open(
            DatabaseConfig.sqlite(folder.resolve("foundry.db")),
            new SecretBox(MasterKey.generate(random), random),
            clock);
    client = new EndpointClient(EndpointClientConfig.defaults(), clock);
    client.start();
    EndpointClientImages images = new EndpointClientImages(client, EndpointClientImages.TIMEOUTS);
    AdapterRegistry adapters =
        new AdapterRegistry(
            new AdapterEnvironment(
                clock, duration -> clock.advance(duration), images, limits.maxImageBytes()));
    service =
        new ChatService(
            new ChatService.Parts(
                store.models(),
                adapters,
                client,
                new AttachmentInliner(images, limits),
                limiter,
                interactive,
                new RetryPolicy(
                    new SplittableRandom(7),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(8),
                    Duration.ofMinutes(5))),
            clock,
            sleeper,
            ChatSettings.defaults());
  }

  /** Registers a model from its manifest, with the fixture's secret. */
  public Model model(String yaml) {
    Manifest manifest = new ManifestLoader().load("model.yaml", yaml).manifest();
    return store
        .models()
        .create(manifest.name(), manifest.toJson(), Optional.of(new SecretValue(SECRET)));
  }

  /** A manifest of a conversational model on {@code endpoint}, with more YAML keys. */
  public static String manifest(String name, URI endpoint, String more) {
    return """
        name: %s
        inference_endpoint: %s
        allowed_asset_types: [conversational]
        %s"""
        .formatted(name, endpoint, more);
  }

  @Override
  public void close() {
    client.close();
    store.close();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
      Files.delete(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
