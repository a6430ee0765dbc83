package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:20:00Z");

  private final RetryPolicy policy = RetryPolicy.standard(new SplittableRandom(42));

  @Test
  void backs_off_with_full_jitter_under_an_exponential_ceiling_capped_at_five_minutes() {
    for (int attempt = 1; attempt <= 20; attempt++) {
      long ceiling = Math.min(Duration.ofMinutes(5).toMillis(), 1000L << Math.min(attempt - 1, 30));
      Duration longest = Duration.ZERO;
      Duration shortest = Duration.ofDays(1);
      for (int sample = 0; sample < 400; sample++) {
        Duration delay = policy.backoff(attempt);
        assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(ceiling));
        longest = delay.compareTo(longest) > 0 ? delay : longest;
        shortest = delay.compareTo(shortest) < 0 ? delay : shortest;
      }
      // Full jitter spreads over the whole range, not just near the ceiling.
      assertThat(longest.toMillis()).isGreaterThan(ceiling * 9 / 10);
      assertThat(shortest.toMillis()).isLessThan(ceiling / 10);
    }
  }

  @Test
  void the_same_seed_gives_the_same_delays() {
    RetryPolicy again = RetryPolicy.standard(new SplittableRandom(42));
    for (int attempt = 1; attempt <= 8; attempt++) {
      assertThat(again.backoff(attempt)).isEqualTo(policy.backoff(attempt));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ENDPOINT_UNREACHABLE",
        "ENDPOINT_CONNECT_TIMEOUT",
        "ENDPOINT_TIMEOUT",
        "ENDPOINT_TOTAL_TIMEOUT",
        "ENDPOINT_CONNECTION_RESET",
        "ENDPOINT_HTTP_408",
        "ENDPOINT_HTTP_429",
        "ENDPOINT_HTTP_500",
        "ENDPOINT_HTTP_502",
        "ENDPOINT_HTTP_503",
        "ENDPOINT_HTTP_504"
      })
  void retries_connection_errors_timeouts_and_transient_statuses(String code) {
    AttemptOutcome outcome = policy.decide(failure(code, Optional.empty()), 1, 5, NOW);

    assertThat(outcome).isInstanceOf(AttemptOutcome.RetryLater.class);
    AttemptOutcome.RetryLater retry = (AttemptOutcome.RetryLater) outcome;
    assertThat(retry.errorCode()).isEqualTo(code);
    assertThat(retry.availableAt()).isBetween(NOW, NOW.plusSeconds(1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ENDPOINT_HTTP_400",
        "ENDPOINT_HTTP_401",
        "ENDPOINT_HTTP_404",
        "ENDPOINT_HTTP_302",
        "ENDPOINT_HTTP_501",
        "ENDPOINT_PROTOCOL_ERROR",
        "RESPONSE_TOO_LARGE",
        "RESPONSE_NOT_JSON",
        "RESPONSE_NOT_OBJECT",
        "PREDICTION_INVALID"
      })
  void fails_everything_else_at_once(String code) {
    AttemptOutcome outcome = policy.decide(failure(code, Optional.of("1")), 1, 5, NOW);

    assertThat(outcome).isInstanceOf(AttemptOutcome.Failed.class);
    assertThat(((AttemptOutcome.Failed) outcome).errorCode()).isEqualTo(code);
  }

  @Test
  void the_last_allowed_attempt_fails_instead_of_retrying() {
    RetryPolicy.AttemptFailure failure = failure("ENDPOINT_HTTP_503", Optional.empty());

    assertThat(policy.decide(failure, 4, 5, NOW)).isInstanceOf(AttemptOutcome.RetryLater.class);
    assertThat(policy.decide(failure, 5, 5, NOW)).isInstanceOf(AttemptOutcome.Failed.class);
    assertThat(policy.decide(failure, 1, 1, NOW)).isInstanceOf(AttemptOutcome.Failed.class);
  }

  @Test
  void a_retry_after_in_seconds_wins_over_the_backoff() {
    AttemptOutcome outcome =
        policy.decide(failure("ENDPOINT_HTTP_429", Optional.of("120")), 1, 5, NOW);

    assertThat(((AttemptOutcome.RetryLater) outcome).availableAt()).isEqualTo(NOW.plusSeconds(120));
  }

  @Test
  void reads_a_retry_after_http_date_in_each_form_recipients_must_accept() {
    Duration expected = Duration.ofMinutes(8);
    assertThat(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", NOW))
        .contains(expected);
    assertThat(RetryPolicy.parseRetryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", NOW))
        .contains(expected);
    assertThat(RetryPolicy.parseRetryAfter("Wed Oct 21 07:28:00 2015", NOW)).contains(expected);
  }

  @Test
  void a_retry_after_date_in_the_past_means_now_and_garbage_means_the_backoff() {
    assertThat(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", NOW))
        .contains(Duration.ZERO);
    assertThat(RetryPolicy.parseRetryAfter("soon", NOW)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter("-5", NOW)).isEmpty();

    AttemptOutcome outcome =
        policy.decide(failure("ENDPOINT_HTTP_503", Optional.of("soon")), 1, 5, NOW);
    assertThat(((AttemptOutcome.RetryLater) outcome).availableAt())
        .isBetween(NOW, NOW.plusSeconds(1));
  }

  @Test
  void caps_what_an_endpoint_may_ask_for_with_retry_after() {
    AttemptOutcome outcome =
        policy.decide(failure("ENDPOINT_HTTP_503", Optional.of("86400")), 1, 5, NOW);

    assertThat(((AttemptOutcome.RetryLater) outcome).availableAt())
        .isEqualTo(NOW.plusSeconds(3600));
  }

  @Test
  void caps_a_retry_after_too_long_to_count_in_seconds_instead_of_ignoring_it() {
    for (String huge : List.of("99999999999999", "9".repeat(40))) {
      AttemptOutcome outcome =
          policy.decide(failure("ENDPOINT_HTTP_503", Optional.of(huge)), 1, 5, NOW);

      assertThat(((AttemptOutcome.RetryLater) outcome).availableAt())
          .as(huge)
          .isEqualTo(NOW.plusSeconds(3600));
    }
  }

  @Test
  void reads_a_two_digit_year_more_than_fifty_years_ahead_as_the_past_century() {
    // RFC 9110 section 5.6.7; 6 November 1994 was a Sunday.
    assertThat(RetryPolicy.parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", NOW))
        .contains(Duration.ZERO);
    assertThat(RetryPolicy.parseRetryAfter("Monday, 06-Nov-94 08:49:37 GMT", NOW)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter("Wednesday, 21-Oct-15 07:28:00 UTC", NOW)).isEmpty();
  }

  @Test
  void keeps_the_status_message_body_prefix_and_latency_of_the_failure() {
    RetryPolicy.AttemptFailure failure =
        new RetryPolicy.AttemptFailure(
            "ENDPOINT_HTTP_400",
            OptionalInt.of(400),
            "the endpoint answered HTTP 400",
            "{\"error\": \"bad image\"}",
            Duration.ofMillis(12),
            Optional.empty());

    assertThat(policy.decide(failure, 1, 5, NOW))
        .isEqualTo(
            new AttemptOutcome.Failed(
                "ENDPOINT_HTTP_400",
                OptionalInt.of(400),
                "the endpoint answered HTTP 400",
                "{\"error\": \"bad image\"}",
                Duration.ofMillis(12)));
  }

  private static RetryPolicy.AttemptFailure failure(String code, Optional<String> retryAfter) {
    return new RetryPolicy.AttemptFailure(
        code,
        EndpointError.statusOf(code),
        "failed with " + code,
        "",
        Duration.ofMillis(5),
        retryAfter);
  }
}
