package org.openfoundry.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Coverage-guided fuzzing of the conversation parser: any JSON (our chat request, our list of
 * messages, a Labelbox conversation, or JSON text holding one), and Labelbox conversations built
 * from fragments with replies that loop, dangle or fork, either give a conversation within the
 * limits or fail with {@code INVALID_INPUT} or {@code PAYLOAD_TOO_LARGE}. Small limits let inputs
 * of a few kilobytes reach the size checks. Seeds are in {@code ConversationFuzzTestInputs}.
 */
class ConversationFuzzTest {
  private static final ConversationLimits SMALL =
      new ConversationLimits(8, 2048, 512, ConversationLimits.COMMON_IMAGE_TYPES);
  private static final List<ConversationParser> PARSERS =
      List.of(new ConversationParser(SMALL), new ConversationParser(ConversationLimits.defaults()));

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void any_json_reads_as_a_conversation_within_the_limits_or_fails_as_bad_input(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    JsonNode json;
    try {
      json = UntrustedJson.mapper().readTree(text);
    } catch (JacksonException notJson) {
      json = JsonNodeFactory.instance.stringNode(text);
    }
    if (json == null) {
      return;
    }
    for (ConversationParser parser : PARSERS) {
      JsonNode body = json;
      read(parser, () -> parser.parse(body));
      read(parser, () -> parser.parseChatRequest(body).conversation());
      read(parser, () -> parser.parseLabelbox(body, Optional.of("modelB")));
    }
  }

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void labelbox_conversations_built_from_fragments_read_or_fail_as_bad_input(
      FuzzedDataProvider data) {
    JsonNode conversation = new LabelboxFragments(data).conversation();
    for (ConversationParser parser : PARSERS) {
      Optional<String> preferred = data.consumeBoolean() ? Optional.of("modelB") : Optional.empty();
      read(parser, () -> parser.parseLabelbox(conversation, preferred));
      read(parser, () -> parser.parse(conversation));
    }
  }

  private static void read(ConversationParser parser, Supplier<Conversation> parse) {
    Conversation conversation;
    try {
      conversation = parse.get();
    } catch (FoundryException refused) {
      assertThat(refused.code()).isIn(ErrorCode.INVALID_INPUT, ErrorCode.PAYLOAD_TOO_LARGE);
      assertThat(refused.describe()).isNotBlank();
      return;
    }
    assertThat(conversation.messages())
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(parser.limits().maxMessages());
    assertThat(conversation.size()).isLessThanOrEqualTo(parser.limits().maxTotalBytes());
  }

  /** A Labelbox conversation whose ids, roles, replies and content items the fuzzer picks. */
  private static final class LabelboxFragments {
    private static final List<String> IDS = List.of("m1", "m2", "m3", "m4", "m5", "", "m1 ");
    private static final List<String> ACTORS = List.of("human1", "modelA", "modelB", "ghost");
    private static final List<String> ROLES = List.of("human", "model", "system", "user", "bot");
    private static final List<String> TYPES = List.of("text", "html", "fileData", "video", "");
    private static final List<String> URIS =
        List.of(
            "https://f.example.com/a.png",
            "data:image/png;base64,iVBORw0KGgo=",
            "data:;base64,",
            "ftp://f.example.com/a.png",
            "http://[::1",
            "");

    private final FuzzedDataProvider data;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    LabelboxFragments(FuzzedDataProvider data) {
      this.data = data;
    }

    JsonNode conversation() {
      ObjectNode root = nodes.objectNode();
      if (data.consumeBoolean()) {
        root.put("type", LabelboxConversation.TYPE);
      }
      ObjectNode actors = root.putObject("actors");
      for (String actor : ACTORS.subList(0, data.consumeInt(0, ACTORS.size()))) {
        ObjectNode entry = actors.putObject(actor).put("role", data.pickValue(ROLES));
        entry.putObject("metadata").put("modelConfigName", data.pickValue(ACTORS));
      }
      ObjectNode messages = root.putObject("messages");
      int count = data.consumeInt(0, IDS.size());
      for (String id : IDS.subList(0, count)) {
        ObjectNode message = messages.putObject(id).put("actorId", data.pickValue(ACTORS));
        ArrayNode content = message.putArray("content");
        for (int item = data.consumeInt(0, 3); item > 0; item--) {
          content.add(contentItem());
        }
        ids(message.putArray("childMessageIds"));
      }
      ids(root.putArray("rootMessageIds"));
      if (data.consumeBoolean()) {
        return nodes.objectNode().set("row_data", root);
      }
      return root;
    }

    private ObjectNode contentItem() {
      ObjectNode item = nodes.objectNode().put("type", data.pickValue(TYPES));
      if (data.consumeBoolean()) {
        item.put("content", data.consumeString(64));
      } else {
        item.put("fileUri", data.pickValue(URIS));
        item.put("mimeType", data.consumeBoolean() ? "image/png" : "video/mp4");
      }
      return item;
    }

    private void ids(ArrayNode list) {
      for (int reply = data.consumeInt(0, 3); reply > 0; reply--) {
        list.add(data.pickValue(IDS));
      }
    }
  }
}
