package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** One turn of a conversation: who speaks and what they say, in order. */
public record Message(Role role, List<Part> parts) {
  public Message {
    requireNonNull(role, "role is null");
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a message has at least one part");
    }
  }

  public static Message text(Role role, String text) {
    return new Message(role, List.of(new TextPart(text)));
  }

  /** The text parts joined by blank lines; empty when the message holds only images. */
  public String text() {
    return parts.stream()
        .filter(TextPart.class::isInstance)
        .map(part -> ((TextPart) part).text())
        .collect(Collectors.joining("\n\n"));
  }

  public boolean hasImages() {
    return parts.stream().anyMatch(part -> !(part instanceof TextPart));
  }
}
