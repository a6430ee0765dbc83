package org.openfoundry.examples.server;

import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place where errors become HTTP: the status for each error code, and the body {@code
 * {"error": {"code", "message", "details": [{"path", "message", "severity"}]}}}.
 */
final class HttpFailure {
  private HttpFailure() {}

  static int status(ErrorCode code) {
    return switch (code) {
      case INVALID_INPUT, INVALID_MANIFEST, INVALID_PARAMETERS, INVALID_RLE -> 400;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN, OUTBOUND_BLOCKED -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT, ILLEGAL_STATE_TRANSITION -> 409;
      case PAYLOAD_TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case UNREADABLE_ROW_DATA -> 422;
      case INVALID_RESPONSE,
          ADAPTER_ENDPOINT_FAILED,
          ADAPTER_RESPONSE_INVALID,
          ADAPTER_MAPPING_FAILED ->
          502;
      case ADAPTER_TIMEOUT -> 504;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  static ObjectNode body(FoundryException failure) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", failure.code().name());
    error.put("message", failure.getMessage());
    ArrayNode details = error.putArray("details");
    for (Problem problem : failure.problems()) {
      details
          .addObject()
          .put("path", problem.path())
          .put("message", problem.message())
          .put("severity", problem.severity().word());
    }
    return body;
  }
}
