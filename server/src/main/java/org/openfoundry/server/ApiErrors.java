package org.openfoundry.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.SourcePosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;

/**
 * The one place where errors become an HTTP status and the body {@code {"error": {"code",
 * "message", "details"}}}. Each detail is a problem: {@code path}, {@code line} and {@code column}
 * where known, {@code message} and {@code severity}.
 */
public final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** The HTTP status of each error code. */
  public static int status(ErrorCode code) {
    return switch (code) {
      case INVALID_INPUT, INVALID_MANIFEST, INVALID_RLE -> 400;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT, ILLEGAL_STATE_TRANSITION -> 409;
      case PAYLOAD_TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case INVALID_PARAMETERS, OUTBOUND_BLOCKED, UNREADABLE_ROW_DATA -> 422;
      case INTERNAL -> 500;
      case INVALID_RESPONSE,
          ADAPTER_ENDPOINT_FAILED,
          ADAPTER_RESPONSE_INVALID,
          ADAPTER_MAPPING_FAILED ->
          502;
      case UNAVAILABLE -> 503;
      case ADAPTER_TIMEOUT -> 504;
    };
  }

  static void register(RoutesConfig routes) {
    routes.exception(FoundryException.class, (failure, ctx) -> write(ctx, failure));
    routes.exception(
        StreamConstraintsException.class, (failure, ctx) -> write(ctx, tooLarge(failure)));
    routes.exception(
        StreamReadException.class,
        (failure, ctx) -> write(ctx, malformedJson(failure, failure.getLocation())));
    routes.exception(DatabindException.class, (failure, ctx) -> write(ctx, unmappable(failure)));
    routes.exception(
        JacksonException.class,
        (failure, ctx) -> write(ctx, malformedJson(failure, failure.getLocation())));
    routes.exception(
        HttpResponseException.class, (failure, ctx) -> write(ctx, fromFramework(failure)));
    // Reading a body whose Content-Type names a charset the JVM does not know.
    routes.exception(
        UnsupportedCharsetException.class,
        (failure, ctx) -> write(ctx, unknownCharset(failure.getCharsetName())));
    routes.exception(
        IllegalCharsetNameException.class,
        (failure, ctx) -> write(ctx, unknownCharset(failure.getCharsetName())));
    routes.exception(Exception.class, (failure, ctx) -> write(ctx, unexpected(failure)));
  }

  /** Writes the error body for this exception with the status of its code. */
  public static void write(Context ctx, FoundryException failure) {
    ctx.status(status(failure.code()));
    if (failure.code() == ErrorCode.UNAUTHORIZED) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.json(body(failure));
  }

  /** The error body as a map, for writers that cannot set a status (an SSE stream's last event). */
  public static Map<String, Object> body(FoundryException failure) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", failure.code().name());
    error.put("message", failure.getMessage());
    error.put("details", failure.problems().stream().map(ApiErrors::detail).toList());
    return Map.of("error", error);
  }

  /** One problem as the API writes it: path, source, line and column where known, message. */
  public static Map<String, Object> detail(Problem problem) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("path", problem.path());
    problem
        .position()
        .ifPresent(
            where -> {
              detail.put("source", where.source());
              detail.put("line", where.line());
              detail.put("column", where.column());
            });
    detail.put("message", problem.message());
    detail.put("severity", problem.severity().word());
    return detail;
  }

  private static FoundryException malformedJson(Exception failure, TokenStreamLocation location) {
    String reason = firstLine(failure.getMessage());
    Problem problem = Problem.error("", reason);
    if (location != null && location.getLineNr() > 0 && location.getColumnNr() > 0) {
      problem =
          problem.at(
              new SourcePosition("request body", location.getLineNr(), location.getColumnNr()));
    }
    return new FoundryException(
        ErrorCode.INVALID_INPUT, "the request body is not valid JSON", List.of(problem));
  }

  /** A body within the size limit whose JSON passes one of the limits of JSON from outside. */
  private static FoundryException unknownCharset(String charset) {
    String problem =
        "names the charset \"" + charset + "\", which this server cannot read; send UTF-8";
    return new FoundryException(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type: " + problem,
        List.of(Problem.error("Content-Type", problem)));
  }

  private static FoundryException tooLarge(StreamConstraintsException failure) {
    String limit = UntrustedJson.limitPassed(failure).orElseThrow();
    return new FoundryException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "the request body is too large to read",
        List.of(Problem.error("", limit)));
  }

  private static FoundryException unmappable(DatabindException failure) {
    String path = failure.getPathReference();
    return new FoundryException(
        ErrorCode.INVALID_INPUT,
        "the request body does not have the expected shape",
        List.of(Problem.error(path == null ? "" : path, firstLine(failure.getOriginalMessage()))));
  }

  private static FoundryException fromFramework(HttpResponseException failure) {
    ErrorCode code =
        switch (failure.getStatus()) {
          case 401 -> ErrorCode.UNAUTHORIZED;
          case 403 -> ErrorCode.FORBIDDEN;
          case 404, 405 -> ErrorCode.NOT_FOUND;
          case 409 -> ErrorCode.CONFLICT;
          case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
          case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
          case 503 -> ErrorCode.UNAVAILABLE;
          default -> failure.getStatus() < 500 ? ErrorCode.INVALID_INPUT : ErrorCode.INTERNAL;
        };
    String message =
        switch (code) {
          case NOT_FOUND -> "no such route";
          case PAYLOAD_TOO_LARGE -> "the request body is larger than this route accepts";
          default -> firstLine(failure.getMessage());
        };
    List<Problem> details = new ArrayList<>();
    failure.getDetails().forEach((path, text) -> details.add(Problem.error(path, text)));
    return new FoundryException(code, message, details);
  }

  private static FoundryException unexpected(Exception failure) {
    String reference = UUID.randomUUID().toString();
    log.error("unexpected error, reference {}", reference, failure);
    return new FoundryException(
        ErrorCode.INTERNAL, "internal error; the server log has the details under " + reference);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
