package org.openfoundry.engine;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.openfoundry.dispatch.FakeEndpoint;

/**
 * The fault tests' model: one {@code person} box per row, and in the same answer the task it was
 * for (its idempotency key) and the index of the request that answered, so a result rewritten by a
 * later attempt shows. Answers take a seeded random time.
 */
public final class TaskNamingModel {
  private TaskNamingModel() {}

  /** Answers after {@code least} plus up to {@code spread} more, chosen by {@code seed}. */
  public static FakeEndpoint.Script answers(long seed, Duration least, Duration spread) {
    return request -> {
      SplittableRandom random = new SplittableRandom(seed ^ request.index());
      String body =
          "{\"person\": {\"boxes\": [[%d, 0, 10, 10]]}, \"key\": \"%s\", \"request\": %d}"
              .formatted(random.nextInt(500), request.header("Idempotency-Key"), request.index());
      return new FakeEndpoint.Reply.Respond(
          200,
          Map.of("Content-Type", "application/json"),
          body,
          least.plusMillis(random.nextLong(spread.toMillis() + 1)));
    };
  }

  /** A manifest of the model at {@code endpoint}, named {@code name}. */
  public static String manifest(String name, String endpoint, int maxConcurrency) {
    return """
        name: %s
        inference_endpoint: %s
        max_concurrency: %d
        max_attempts: 20
        ontology:
          media_type: IMAGE
          tools:
            - {name: person, tool: rectangle}
        """
        .formatted(name, endpoint, maxConcurrency);
  }
}
