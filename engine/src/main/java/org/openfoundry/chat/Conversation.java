package org.openfoundry.chat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The messages of a direct run in order: one user message for a single turn, or the history and the
 * latest request for several turns.
 */
public record Conversation(List<Message> messages) {
  public Conversation {
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a conversation has at least one message");
    }
  }

  public static Conversation of(Message... messages) {
    return new Conversation(List.of(messages));
  }

  /** The system messages' text joined by blank lines; empty when there is none. */
  public Optional<String> systemText() {
    String text =
        messages.stream()
            .filter(message -> message.role() == Role.SYSTEM)
            .map(Message::text)
            .filter(part -> !part.isEmpty())
            .collect(Collectors.joining("\n\n"));
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** The user and assistant messages, without the system instructions. */
  public List<Message> turns() {
    return messages.stream().filter(message -> message.role() != Role.SYSTEM).toList();
  }

  /** The bytes of every part: text, images and URLs. */
  public long size() {
    return messages.stream()
        .flatMap(message -> message.parts().stream())
        .mapToLong(Part::size)
        .sum();
  }

  public boolean hasImageUrls() {
    return messages.stream()
        .flatMap(message -> message.parts().stream())
        .anyMatch(ImageUrlPart.class::isInstance);
  }

  public boolean hasImages() {
    return messages.stream().anyMatch(Message::hasImages);
  }
}
