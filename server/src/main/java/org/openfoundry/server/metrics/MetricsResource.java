package org.openfoundry.server.metrics;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.List;
import org.openfoundry.dispatch.ModelDemand;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.server.Access;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;

/**
 * {@code GET /metrics} in the Prometheus text format. Needs a key like every other route; a key
 * with the {@code metrics} role can read this route and nothing else, for the scraper.
 */
public final class MetricsResource implements Resource {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Metrics metrics;
  private final TaskQueue queue;
  private final Clock clock;
  private final MultiGauge queueDepth;
  private final MultiGauge inFlight;

  public MetricsResource(Metrics metrics, TaskQueue queue, Clock clock) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.queueDepth =
        MultiGauge.builder("foundry.queue.depth")
            .description("Tasks ready to run, per model, across all nodes")
            .register(metrics.registry());
    this.inFlight =
        MultiGauge.builder("foundry.tasks.in_flight")
            .description("Tasks leased to workers, per model, across all nodes")
            .register(metrics.registry());
  }

  @Override
  public void register(Routes routes) {
    routes.get("/metrics", Access.METRICS, this::scrape);
  }

  private void scrape(Context ctx) {
    List<ModelDemand> demand = queue.demand(clock.instant());
    queueDepth.register(
        demand.stream()
            .map(
                each ->
                    MultiGauge.Row.of(Tags.of("model", each.modelId().value()), each.runnable()))
            .toList(),
        true);
    inFlight.register(
        demand.stream()
            .map(each -> MultiGauge.Row.of(Tags.of("model", each.modelId().value()), each.leased()))
            .toList(),
        true);
    ctx.contentType(PROMETHEUS_TEXT).result(metrics.registry().scrape());
  }
}
