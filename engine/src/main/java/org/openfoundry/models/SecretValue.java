package org.openfoundry.models;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** A decrypted model secret. Its {@code toString} never shows it, so it cannot leak into logs. */
public record SecretValue(String value) {
  /** What a masked secret shows. */
  public static final String MASK = "****";

  public SecretValue {
    requireNonNull(value, "value is null");
  }

  /**
   * Why the secret cannot be sent as an HTTP header value, which takes printable ASCII only (a
   * character outside it would go out changed, or not at all): empty when it can. Says where, never
   * what, so the answer can be shown.
   */
  public Optional<String> headerProblem() {
    if (value.isEmpty()) {
      return Optional.of("it is empty");
    }
    for (int index = 0; index < value.length(); index++) {
      char c = value.charAt(index);
      if (c < 0x20 || c > 0x7E) {
        return Optional.of(
            "character "
                + (index + 1)
                + " of "
                + value.length()
                + (c == '\r' || c == '\n' ? " is a line break" : " is not printable ASCII")
                + "; an HTTP header value takes printable ASCII only");
      }
    }
    if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
      return Optional.of("it begins or ends with a space, which HTTP drops from a header value");
    }
    return Optional.empty();
  }

  /** The secret itself, for the one place that sends it (the endpoint's auth header). */
  public String reveal() {
    return value;
  }

  /**
   * {@code text} with the secret masked as {@code ****} wherever it appears, as is or in base64
   * (standard or URL-safe, padded or not, alone or as {@code Bearer <secret>}): for whatever an
   * endpoint or an exception might echo.
   */
  public String redact(String text) {
    requireNonNull(text, "text is null");
    if (value.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String form : forms()) {
      masked = masked.replace(form, MASK);
    }
    return masked;
  }

  /**
   * As {@link #redact}, for text that was cut off: a tail that begins a form of the secret (four
   * characters or more) is masked too, since the rest of the secret was cut away.
   */
  public String redactCut(String text) {
    String masked = redact(text);
    for (String form : forms()) {
      for (int length = Math.min(form.length() - 1, masked.length()); length >= 4; length--) {
        if (masked.endsWith(form.substring(0, length))) {
          return masked.substring(0, masked.length() - length) + MASK;
        }
      }
    }
    return masked;
  }

  /** The forms of the secret to mask, longest first so a padded form goes before its stem. */
  private Set<String> forms() {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(value);
    // The base64 of "Bearer <secret>" does not contain the base64 of the secret: both are masked.
    for (String text : new String[] {"Bearer " + value, value}) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      forms.add(Base64.getEncoder().encodeToString(bytes));
      forms.add(Base64.getUrlEncoder().encodeToString(bytes));
      forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
      forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    return forms;
  }

  @Override
  public String toString() {
    return "SecretValue[****]";
  }
}
