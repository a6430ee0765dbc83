package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.openfoundry.adapters.Adapter;
import org.openfoundry.adapters.AdapterException;
import org.openfoundry.adapters.AdapterRegistry;
import org.openfoundry.adapters.AdapterReply;
import org.openfoundry.adapters.AdapterResult;
import org.openfoundry.adapters.TaskInput;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.Secrets;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.ratelimit.RateLimiter;
import org.openfoundry.runs.RunId;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a model through the adapter its pinned manifest names: our wire contract ({@code
 * openfoundry}) goes to the wire-contract caller, any other adapter maps the data row to its
 * vendor's request, sends it over the endpoint client and maps the answer back to our task
 * response, which is then post-processed as any response is. A vendor's error status is judged by
 * the retry policy like an endpoint's (429 holds the model back), a broken exchange too; an answer
 * the adapter cannot read fails the attempt for good.
 */
public final class AdapterTaskCaller implements TaskCaller {
  private static final int PREPARED_RUNS_KEPT = 256;

  private final AdapterRegistry adapters;
  private final EndpointClient client;
  private final TaskCaller wireContract;
  private final ResponsePostProcessor postProcessor;
  private final Failures failures;
  private final Clock clock;
  private final Map<RunId, Prepared> prepared =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RunId, Prepared> eldest) {
          return size() > PREPARED_RUNS_KEPT;
        }
      };

  public AdapterTaskCaller(
      AdapterRegistry adapters,
      EndpointClient client,
      TaskCaller wireContract,
      ResponsePostProcessor postProcessor,
      RetryPolicy retryPolicy,
      RateLimiter rateLimiter,
      Clock clock) {
    this.adapters = requireNonNull(adapters, "adapters is null");
    this.client = requireNonNull(client, "client is null");
    this.wireContract = requireNonNull(wireContract, "wireContract is null");
    this.postProcessor = requireNonNull(postProcessor, "postProcessor is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.failures =
        new Failures(
            requireNonNull(retryPolicy, "retryPolicy is null"),
            requireNonNull(rateLimiter, "rateLimiter is null"),
            clock);
  }

  @Override
  public AttemptOutcome attempt(LeasedTask task, RunDispatchContext context, EndpointCall call)
      throws InterruptedException {
    String name = context.manifest().path("adapter").asString(AdapterRegistry.DEFAULT);
    if (name.equals(AdapterRegistry.DEFAULT)) {
      return wireContract.attempt(task, context, call);
    }
    Prepared run;
    try {
      run = prepare(context, call);
    } catch (FoundryException e) {
      return new AttemptOutcome.Failed(
          EndpointError.MANIFEST_INVALID.name(),
          OptionalInt.empty(),
          "the manifest's adapter cannot be used: " + e.describe(),
          "",
          Duration.ZERO);
    }
    EndpointClientTransport transport =
        EndpointClientTransport.forAttempt(client, call, context.secret(), task);
    Instant started = clock.instant();
    try {
      AdapterResult result =
          run.adapter()
              .run(input(task.row(), run.ontology(), run.ontologyJson(), context), transport);
      return succeeded(
          task, context, result, transport, Duration.between(started, clock.instant()));
    } catch (TransportFailure e) {
      stopIfInterrupted();
      return failures.decide(task, call.maxAttempts(), broken(e.broken(), context.secret()));
    } catch (AdapterException e) {
      stopIfInterrupted();
      return adapterFailed(task, call, context, e, Duration.between(started, clock.instant()));
    } catch (FoundryException e) {
      stopIfInterrupted();
      return new AttemptOutcome.Failed(
          e.code().name(),
          transport.lastStatus(),
          Redaction.redact(e.describe(), context.secret()),
          "",
          Duration.between(started, clock.instant()));
    } catch (RuntimeException e) {
      // An adapter waiting to poll reports an interrupt as an unchecked exception.
      stopIfInterrupted();
      throw e;
    }
  }

  private AttemptOutcome succeeded(
      LeasedTask task,
      RunDispatchContext context,
      AdapterResult result,
      EndpointClientTransport transport,
      Duration latency) {
    Optional<SecretValue> secret = context.secret();
    String raw = Redaction.redact(result.rawResponse().toString(), secret);
    int status = transport.lastStatus().orElse(200);
    ObjectNode response =
        result
            .response()
            .orElseThrow(
                () -> new IllegalStateException("the adapter gave no response for a data row"));
    ResponsePostProcessor.Processed processed =
        postProcessor.process(response, context, task.row());
    if (!processed.anyValid()) {
      return new AttemptOutcome.Failed(
          EndpointError.PREDICTION_INVALID.name(),
          OptionalInt.of(status),
          "no feature of the response could be used: "
              + Redaction.redact(EndpointTaskCaller.prefix(processed.report().toString()), secret),
          EndpointTaskCaller.prefix(raw),
          latency);
    }
    return new AttemptOutcome.Succeeded(
        status, latency, raw, processed.predictions(), processed.report());
  }

  /**
   * An error status is judged as the endpoint's would be; an answer that cannot be read or mapped
   * fails for good; a vendor-side prediction that ran out of time is tried again.
   */
  private AttemptOutcome adapterFailed(
      LeasedTask task,
      EndpointCall call,
      RunDispatchContext context,
      AdapterException e,
      Duration latency) {
    Optional<SecretValue> secret = context.secret();
    String message = Redaction.redact(e.describe(), secret);
    Optional<AdapterReply> reply = e.reply();
    String prefix =
        reply.map(r -> EndpointTaskCaller.prefix(Redaction.redact(r.body(), secret))).orElse("");
    OptionalInt status = reply.map(r -> OptionalInt.of(r.status())).orElse(OptionalInt.empty());
    if (reply.isPresent() && !reply.get().isSuccess()) {
      return failures.decide(
          task,
          call.maxAttempts(),
          new RetryPolicy.AttemptFailure(
              EndpointError.forStatus(reply.get().status()),
              status,
              message,
              prefix,
              latency,
              reply.get().header("Retry-After")));
    }
    if (e.code() == ErrorCode.ADAPTER_TIMEOUT) {
      return failures.decide(
          task,
          call.maxAttempts(),
          new RetryPolicy.AttemptFailure(
              EndpointError.ENDPOINT_TOTAL_TIMEOUT.name(),
              status,
              message,
              prefix,
              latency,
              Optional.empty()));
    }
    return new AttemptOutcome.Failed(e.code().name(), status, message, prefix, latency);
  }

  private static RetryPolicy.AttemptFailure broken(
      EndpointExchange.Broken broken, Optional<SecretValue> secret) {
    return broken.toFailure(secret);
  }

  private static void stopIfInterrupted() throws InterruptedException {
    // Thrown with the flag cleared, as blocking calls do.
    if (Thread.interrupted()) {
      throw new InterruptedException("the dispatcher is shutting down");
    }
  }

  /**
   * What a run's adapter is given for one data row, as {@link #attempt} gives it: the row, the
   * manifest's ontology cut to the run's features, and the run's parameters.
   */
  public static TaskInput input(DataRow row, RunDispatchContext context, EndpointCall call) {
    Manifest manifest = Manifest.fromJson(context.manifest(), Secrets.none());
    return input(
        row,
        restrict(manifest.ontology(), context.features()),
        ontologyJson(context, call),
        context);
  }

  private static TaskInput input(
      DataRow row, Ontology ontology, ObjectNode ontologyJson, RunDispatchContext context) {
    return new TaskInput(
        row.id(),
        row.globalKey(),
        row.rowData(),
        row.mediaType(),
        ontology,
        ontologyJson,
        context.inferenceParams());
  }

  /** The run's adapter and its ontology cut to the run's features, read once per run. */
  private Prepared prepare(RunDispatchContext context, EndpointCall call) {
    synchronized (prepared) {
      Prepared known = prepared.get(context.runId());
      if (known != null) {
        return known;
      }
    }
    Manifest manifest = Manifest.fromJson(context.manifest(), Secrets.none());
    Adapter adapter = adapters.forManifest(manifest);
    Ontology ontology = restrict(manifest.ontology(), context.features());
    Prepared made = new Prepared(adapter, ontology, ontologyJson(context, call));
    synchronized (prepared) {
      prepared.put(context.runId(), made);
    }
    return made;
  }

  private static ObjectNode ontologyJson(RunDispatchContext context, EndpointCall call) {
    return call.ontology()
        .map(json -> EndpointRequest.restrict(json, context.features()))
        .orElseGet(WireJson.MAPPER::createObjectNode);
  }

  private static Ontology restrict(Ontology ontology, List<String> features) {
    if (features.isEmpty()) {
      return ontology;
    }
    Set<String> wanted = Set.copyOf(features);
    return new Ontology(
        ontology.mediaType(),
        ontology.tools().stream().filter(tool -> wanted.contains(tool.name())).toList(),
        ontology.classifications().stream()
            .filter(classification -> wanted.contains(classification.name()))
            .toList());
  }

  private record Prepared(Adapter adapter, Ontology ontology, ObjectNode ontologyJson) {}
}
