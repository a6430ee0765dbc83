package org.openfoundry.json;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mappers for JSON that comes from outside, bounded so that a hostile document fails while it is
 * read, with an error that names the limit, instead of exhausting memory or the stack of whatever
 * walks the tree afterwards.
 */
public final class UntrustedJson {
  /** Objects and arrays nested deeper than this are refused; real inputs stay under ten. */
  public static final int MAX_DEPTH = 64;

  /**
   * The longest string value, in characters: the default response size cap, room for a 16 MiB image
   * in base64 (22.4 million characters).
   */
  public static final int MAX_STRING_LENGTH = 32 * 1024 * 1024;

  /** The longest number, in characters: a double needs at most 24. */
  public static final int MAX_NUMBER_LENGTH = 1000;

  /** The longest object key, in characters. */
  public static final int MAX_NAME_LENGTH = 10_000;

  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNumberLength(MAX_NUMBER_LENGTH)
          .maxNameLength(MAX_NAME_LENGTH)
          .build();

  private static final JsonFactory FACTORY =
      JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();

  private static final JsonMapper MAPPER = JsonMapper.builder(FACTORY).build();

  private UntrustedJson() {}

  /** The shared mapper with the limits and Jackson's other defaults; immutable, thread-safe. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** A builder of a mapper with the limits, for readers that enable more features. */
  public static JsonMapper.Builder builder() {
    return JsonMapper.builder(FACTORY);
  }

  /**
   * What limit stopped a read, in words fit for an error message ({@code "values are nested more
   * than 64 levels deep"}), or empty when {@code error} is not a passed limit.
   */
  public static Optional<String> limitPassed(JacksonException error) {
    requireNonNull(error, "error is null");
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StreamConstraintsException passed) {
        return Optional.of(describe(passed.getOriginalMessage()));
      }
    }
    return Optional.empty();
  }

  private static String describe(String message) {
    if (message.contains("getMaxNestingDepth")) {
      return "values are nested more than " + MAX_DEPTH + " levels deep";
    }
    if (message.contains("getMaxStringLength")) {
      return "a string is longer than " + MAX_STRING_LENGTH + " characters";
    }
    if (message.contains("getMaxNumberLength")) {
      return "a number is longer than " + MAX_NUMBER_LENGTH + " characters";
    }
    if (message.contains("getMaxNameLength")) {
      return "a key is longer than " + MAX_NAME_LENGTH + " characters";
    }
    if (message.startsWith("BigDecimal scale")) {
      return "a number's exponent is too large";
    }
    return "the document passes a size limit";
  }
}
