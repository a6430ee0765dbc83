package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** Text of a message. */
public record TextPart(String text) implements Part {
  public TextPart {
    requireNonNull(text, "text is null");
  }

  @Override
  public long size() {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
