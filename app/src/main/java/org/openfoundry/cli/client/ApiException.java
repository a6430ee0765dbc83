package org.openfoundry.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Severity;
import org.openfoundry.problems.SourcePosition;
import tools.jackson.databind.JsonNode;

/**
 * An error answer of the server: its HTTP status, its error code as sent (also mapped onto {@link
 * ErrorCode} when this release knows it), its message and its details as problems with their
 * positions, so that {@link #describe()} prints them as {@code model.yaml:3:1 path: message}.
 */
public final class ApiException extends FoundryException {
  private final int status;
  private final String serverCode;

  public ApiException(int status, String serverCode, String message, List<Problem> details) {
    super(known(serverCode), message, details);
    this.status = status;
    this.serverCode = serverCode;
  }

  public int status() {
    return status;
  }

  /** The error code exactly as the server sent it, which may be newer than this CLI. */
  public String serverCode() {
    return serverCode;
  }

  /** Reads {@code {"error": {"code", "message", "details"}}}; another body is quoted as it is. */
  static ApiException of(int status, Optional<JsonNode> body, String rawBody) {
    JsonNode error = body.map(json -> json.path("error")).orElse(null);
    if (error == null || !error.isObject() || !error.path("message").isString()) {
      String shown = rawBody.strip();
      if (shown.length() > 300) {
        shown = shown.substring(0, 297) + "...";
      }
      return new ApiException(
          status,
          status >= 500 ? "INTERNAL" : "INVALID_INPUT",
          "the server answered " + status + (shown.isEmpty() ? "" : ": " + shown),
          List.of());
    }
    List<Problem> details = new ArrayList<>();
    for (JsonNode detail : error.path("details")) {
      details.add(problem(detail));
    }
    return new ApiException(
        status, error.path("code").asString("INTERNAL"), error.path("message").asString(), details);
  }

  /** Prefixes the message, e.g. with what the request was for. */
  public ApiException withMessage(String message) {
    return new ApiException(status, serverCode, message, problems());
  }

  /** The same error with every detail from {@code source} said to come from {@code replacement}. */
  public ApiException withSource(String source, String replacement) {
    return new ApiException(
        status,
        serverCode,
        getMessage(),
        problems().stream().map(problem -> relabel(problem, source, replacement)).toList());
  }

  /** The problem said to come from {@code replacement} when it came from {@code source}. */
  public static Problem relabel(Problem problem, String source, String replacement) {
    return problem
        .position()
        .filter(where -> where.source().equals(source))
        .map(
            where ->
                new Problem(
                    problem.severity(),
                    problem.path(),
                    Optional.of(new SourcePosition(replacement, where.line(), where.column())),
                    problem.message()))
        .orElse(problem);
  }

  /** One {@code details} entry: path, source, line, column, message, severity. */
  public static Problem problem(JsonNode detail) {
    Severity severity =
        detail.path("severity").asString("error").equalsIgnoreCase("warning")
            ? Severity.WARNING
            : Severity.ERROR;
    Optional<SourcePosition> position = Optional.empty();
    int line = detail.path("line").asInt(0);
    int column = detail.path("column").asInt(0);
    if (detail.path("source").isString() && line >= 1) {
      position =
          Optional.of(
              new SourcePosition(detail.path("source").asString(), line, Math.max(1, column)));
    }
    return new Problem(
        severity, detail.path("path").asString(""), position, detail.path("message").asString(""));
  }

  private static ErrorCode known(String code) {
    for (ErrorCode each : ErrorCode.values()) {
      if (each.name().equals(code)) {
        return each;
      }
    }
    return ErrorCode.INTERNAL;
  }
}
