package org.openfoundry.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.dispatch.ModelDemand;
import org.openfoundry.dispatch.RunDispatchContext;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;
import org.openfoundry.server.auth.AccessCheck;
import org.openfoundry.server.auth.ApiKeys;
import org.openfoundry.server.auth.ApiKeysResource;
import org.openfoundry.server.auth.InMemoryApiKeyRepository;
import org.openfoundry.server.config.ServerConfig;
import org.openfoundry.server.files.FileStore;
import org.openfoundry.server.files.FilesResource;
import org.openfoundry.server.files.UrlSigner;
import org.openfoundry.server.metrics.Metrics;
import org.openfoundry.server.metrics.MetricsResource;
import org.openfoundry.server.openapi.OpenApiResource;

/**
 * The HTTP layer on port 0 with keys in memory and a queue that reports fixed demand: for tests of
 * routing, access, errors, limits and the OpenAPI document.
 */
final class TestServer implements AutoCloseable {
  static final long MAX_BODY = 4096;

  final WebServer server;
  final HttpFixture http;
  final ApiKeys keys;
  final String adminKey;
  final String memberKey;
  final String metricsKey;

  final Path dataDir;
  final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));

  TestServer(List<ModelDemand> demand) {
    try {
      dataDir = Files.createTempDirectory("openfoundry-test");
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
    keys = new ApiKeys(new InMemoryApiKeyRepository(), Clock.systemUTC(), new SecureRandom());
    adminKey = keys.ensureAdmin(Optional.empty()).orElseThrow().reveal();
    memberKey = keys.create("member", ApiKeyRole.MEMBER).plain().reveal();
    metricsKey = keys.create("scraper", ApiKeyRole.METRICS).plain().reveal();
    Metrics metrics = new Metrics();
    var mapper = Json.newMapper();
    server =
        WebServer.start(
            new ServerConfig.Http(
                "127.0.0.1", 0, Optional.empty(), MAX_BODY, MAX_BODY, MAX_BODY, 1024),
            new WebServer.Parts(
                mapper,
                new AccessCheck(keys),
                metrics.requestLogger(),
                List.of(
                    new HealthResource("all", List.of()),
                    new ApiKeysResource(keys),
                    new MetricsResource(metrics, new FixedDemand(demand), Clock.systemUTC()),
                    new OpenApiResource(mapper),
                    new FilesResource(
                        new FileStore(dataDir.resolve("files")),
                        new UrlSigner(
                            new byte[32],
                            clock,
                            Duration.ofMinutes(15),
                            URI.create("http://127.0.0.1:1")),
                        MAX_BODY))));
    http = new HttpFixture(server.port());
  }

  @Override
  public void close() {
    server.close();
  }

  /** A queue whose only answer is its demand; nothing else is called by the metrics route. */
  private record FixedDemand(List<ModelDemand> demand) implements TaskQueue {
    @Override
    public List<ModelDemand> demand(Instant now) {
      return demand;
    }

    @Override
    public List<LeasedTask> claim(
        ModelId model, int max, int concurrencyCap, String owner, Duration leaseFor, Instant now) {
      return List.of();
    }

    @Override
    public Set<TaskId> complete(List<Completion> completions) {
      return Set.of();
    }

    @Override
    public int requeueExpired(Instant now) {
      return 0;
    }

    @Override
    public Set<TaskId> renew(List<LeasedTask> tasks, Instant newExpiry) {
      return Set.of();
    }

    @Override
    public RunDispatchContext context(RunId run) {
      throw new UnsupportedOperationException("not used by the metrics route");
    }
  }
}
