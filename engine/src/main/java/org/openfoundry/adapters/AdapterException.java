package org.openfoundry.adapters;

import java.util.List;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * A model call that did not give a usable result: the endpoint failed ({@code
 * ADAPTER_ENDPOINT_FAILED}, with the reply so that its status and {@code Retry-After} can decide a
 * retry), answered what cannot be read ({@code ADAPTER_RESPONSE_INVALID}, with the JSON path), a
 * mapping failed ({@code ADAPTER_MAPPING_FAILED}) or a polled prediction ran out of time ({@code
 * ADAPTER_TIMEOUT}).
 */
public final class AdapterException extends FoundryException {
  private final transient Optional<AdapterReply> reply;
  private final int exchanges;

  public AdapterException(
      ErrorCode code,
      String message,
      List<Problem> problems,
      Optional<AdapterReply> reply,
      int exchanges) {
    super(code, message, problems);
    this.reply = reply;
    this.exchanges = exchanges;
  }

  /** The last reply of the call, when there was one. */
  public Optional<AdapterReply> reply() {
    return reply;
  }

  /** The HTTP status of the last reply, when there was one. */
  public Optional<Integer> status() {
    return reply.map(AdapterReply::status);
  }

  /** The HTTP exchanges the call made before it failed. */
  public int exchanges() {
    return exchanges;
  }
}
