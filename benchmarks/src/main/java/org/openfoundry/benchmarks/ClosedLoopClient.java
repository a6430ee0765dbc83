package org.openfoundry.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.openfoundry.dispatch.EndpointCall;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.EndpointExchange;
import org.openfoundry.dispatch.EndpointRequest;

/**
 * The raw load generator the engine is compared with: {@code concurrency} virtual threads, each
 * sending the next request as soon as the last one is answered, on the same HTTP client the engine
 * uses, with a request body of the same shape.
 */
final class ClosedLoopClient {
  private static final String BODY =
      """
      {"data_row": {"id": "dr_01HZZZZZZZZZZZZZZZZZZZZZZZ", "global_key": "load-1.jpg",
        "row_data": "https://images.example.com/load-1.jpg"},
       "ontology": {"media_type": "IMAGE", "tools": [{"name": "person", "tool": "rectangle"}]},
       "inference_params": {}}
      """;

  private final EndpointClient client;
  private final URI endpoint;
  private final int concurrency;

  ClosedLoopClient(EndpointClient client, URI endpoint, int concurrency) {
    this.client = client;
    this.endpoint = endpoint;
    this.concurrency = concurrency;
  }

  /** Sends requests for {@code duration}; returns the requests answered with a 2xx per second. */
  double run(Duration duration) throws InterruptedException {
    LongAdder answered = new LongAdder();
    LongAdder failed = new LongAdder();
    long started = System.nanoTime();
    long deadline = started + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int index = 0; index < concurrency; index++) {
      String key = "load-" + index;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < deadline) {
                      if (send(key)) {
                        answered.increment();
                      } else {
                        failed.increment();
                      }
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (failed.sum() > 0) {
      System.out.printf("  raw client: %d requests failed%n", failed.sum());
    }
    return answered.sum() / seconds;
  }

  private boolean send(String key) {
    EndpointRequest request =
        new EndpointRequest(
            endpoint,
            Map.of(
                "Content-Type",
                "application/json",
                "Accept",
                "application/json",
                EndpointRequest.IDEMPOTENCY_KEY,
                key,
                EndpointRequest.ATTEMPT,
                "1"),
            Optional.empty(),
            BODY);
    try {
      EndpointExchange exchange =
          client.send(
              request, EndpointCall.Timeouts.DEFAULTS, EndpointCall.DEFAULT_MAX_RESPONSE_BYTES);
      return exchange instanceof EndpointExchange.Answered answered && answered.isSuccess();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
