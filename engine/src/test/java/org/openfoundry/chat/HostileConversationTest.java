package org.openfoundry.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/** Conversations written to hurt: each ends in a typed error that names the limit it passed. */
class HostileConversationTest {
  private static final byte[] PNG = TestImages.png(2, 2);
  private final ConversationParser parser = new ConversationParser(ConversationLimits.defaults());

  @Test
  void a_conversation_sent_as_json_text_nested_past_the_depth_limit_is_too_large() {
    int depth = UntrustedJson.MAX_DEPTH + 1;
    String text = "[".repeat(depth) + "]".repeat(depth);

    FoundryException refused =
        catchThrowableOfType(
            FoundryException.class, () -> parser.parse(JsonNodeFactory.instance.stringNode(text)));

    assertThat(refused.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(refused.problems())
        .extracting(Problem::format)
        .containsExactly(
            "the conversation's JSON text is too large: values are nested more than 64 levels"
                + " deep");
  }

  @Test
  void a_data_url_with_a_hundred_thousand_parameters_is_refused_instead_of_overflowing_the_stack() {
    String url = "data:image/png" + ";a=b".repeat(100_000) + ";base64," + TestImages.base64(PNG);

    FoundryException refused =
        catchThrowableOfType(FoundryException.class, () -> parser.parse(imageUrl(url)));

    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(refused.problems())
        .extracting(Problem::format)
        .containsExactly(
            "[0].parts[0].image_url: the data URL's media type and parameters are longer than 1024"
                + " characters");
  }

  @Test
  void a_data_url_with_a_few_parameters_still_reads() {
    String url = "data:image/png;name=a.png;charset=x;base64," + TestImages.base64(PNG);

    Conversation conversation = parser.parse(imageUrl(url));

    assertThat(conversation.messages().getFirst().parts())
        .containsExactly(ImagePart.of("image/png", PNG));
  }

  @Test
  void a_data_url_without_base64_is_refused() {
    FoundryException refused =
        catchThrowableOfType(
            FoundryException.class, () -> parser.parse(imageUrl("data:image/png;name=a,AAAA")));

    assertThat(refused.problems())
        .extracting(Problem::format)
        .containsExactly(
            "[0].parts[0].image_url: a data URL must read data:<media type>;base64,<data>");
  }

  @Test
  void a_labelbox_chain_of_replies_longer_than_the_message_limit_is_too_large() {
    ConversationParser small =
        new ConversationParser(
            new ConversationLimits(3, 1 << 20, 1 << 10, ConversationLimits.COMMON_IMAGE_TYPES));
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.putObject("actors").putObject("h").put("role", "human");
    ObjectNode messages = root.putObject("messages");
    for (int index = 1; index <= 5; index++) {
      ObjectNode message = messages.putObject("m" + index).put("actorId", "h");
      message.putArray("content").addObject().put("type", "text").put("content", "turn " + index);
      message.putArray("childMessageIds").add("m" + (index + 1));
    }
    ((ObjectNode) messages.get("m5")).putArray("childMessageIds");
    root.putArray("rootMessageIds").add("m1");

    FoundryException refused =
        catchThrowableOfType(
            FoundryException.class, () -> small.parseLabelbox(root, Optional.empty()));

    assertThat(refused.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(refused.problems())
        .extracting(Problem::format)
        .containsExactly("messages: the conversation is longer than the limit of 3 messages");
  }

  @Test
  void nothing_at_all_is_not_a_conversation() {
    // Found by fuzzing: an empty body or empty JSON text ended in NoSuchElementException.
    assertThat(problems(() -> parser.parse(MissingNode.getInstance())))
        .containsExactly("expected a list of messages or a Labelbox conversation, got nothing");
    assertThat(problems(() -> parser.parse(JsonNodeFactory.instance.stringNode(" "))))
        .containsExactly("expected a conversation as JSON, got empty text");
    assertThat(
            problems(
                () ->
                    parser.parseChatRequest(
                        JsonNodeFactory.instance.objectNode().put("prompt", ""))))
        .containsExactly("prompt: expected a conversation as JSON, got empty text");
  }

  private List<String> problems(Runnable parse) {
    FoundryException refused = catchThrowableOfType(FoundryException.class, parse::run);
    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    return refused.problems().stream().map(Problem::format).toList();
  }

  private static ArrayNode imageUrl(String url) {
    ArrayNode conversation = JsonNodeFactory.instance.arrayNode();
    conversation
        .addObject()
        .put("role", "user")
        .putArray("parts")
        .addObject()
        .put("image_url", url);
    return conversation;
  }
}
