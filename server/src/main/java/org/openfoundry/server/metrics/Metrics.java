package org.openfoundry.server.metrics;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.Completion;

/** The meter registry and the recorders the server and the dispatcher's queue report to. */
public final class Metrics {
  private final PrometheusMeterRegistry registry;

  public Metrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Records every HTTP request by method, route template and status. */
  public RequestLogger requestLogger() {
    return (ctx, milliseconds) ->
        Timer.builder("http.server.requests")
            .description("HTTP requests by method, route and status")
            .tag("method", ctx.method().name())
            .tag("route", route(ctx))
            .tag("status", Integer.toString(ctx.statusCode()))
            .publishPercentileHistogram()
            .register(registry)
            .record(Duration.ofNanos((long) (milliseconds * 1_000_000)));
  }

  /** Records one model call: its latency per model, and its outcome per error code. */
  void record(Completion completion) {
    String model = completion.task().modelId().value();
    AttemptOutcome outcome = completion.outcome();
    String word =
        switch (outcome) {
          case AttemptOutcome.Succeeded succeeded -> "succeeded";
          case AttemptOutcome.RetryLater retry -> "retried";
          case AttemptOutcome.Failed failed -> "failed";
        };
    String errorCode =
        switch (outcome) {
          case AttemptOutcome.Succeeded succeeded -> "none";
          case AttemptOutcome.RetryLater retry -> retry.errorCode();
          case AttemptOutcome.Failed failed -> failed.errorCode();
        };
    Timer.builder("foundry.model.requests")
        .description("Calls to model endpoints by model and outcome")
        .tag("model", model)
        .tag("outcome", word)
        .publishPercentileHistogram()
        .register(registry)
        .record(outcome.latency());
    Counter.builder("foundry.task.outcomes")
        .description("Task attempts by model, outcome and error code")
        .tag("model", model)
        .tag("outcome", word)
        .tag("error_code", errorCode)
        .register(registry)
        .increment();
  }

  private static String route(Context ctx) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    return endpoint == null ? "unmatched" : endpoint.path;
  }
}
