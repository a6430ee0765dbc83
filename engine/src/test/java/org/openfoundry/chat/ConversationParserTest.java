package org.openfoundry.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ConversationParserTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private final ConversationParser parser = new ConversationParser(ConversationLimits.defaults());

  private static JsonNode json(String text) {
    return MAPPER.readTree(text);
  }

  private static List<String> problems(Runnable parse) {
    try {
      parse.run();
    } catch (FoundryException e) {
      return e.problems().stream().map(Problem::format).toList();
    }
    throw new AssertionError("expected the input to be rejected");
  }

  @Test
  void reads_a_single_turn_with_text_and_an_image() {
    byte[] png = TestImages.png(4, 3);
    ChatRequest request =
        parser.parseChatRequest(
            json(
                """
                {"prompt": [{"role": "user", "parts": [{"text": "What is in this picture?"}, {"image": "%s"}]}],
                 "inference_params": {"max_new_tokens": 1024}}
                """
                    .formatted(TestImages.base64(png))));

    Message message = request.conversation().messages().getFirst();
    assertThat(message.role()).isEqualTo(Role.USER);
    assertThat(message.parts().getFirst()).isEqualTo(new TextPart("What is in this picture?"));
    assertThat(message.parts().get(1)).isEqualTo(ImagePart.of("image/png", png));
    assertThat(request.inferenceParams().path("max_new_tokens").asInt()).isEqualTo(1024);
  }

  @Test
  void reads_a_multi_turn_conversation_with_data_urls_and_image_urls() {
    byte[] jpeg = TestImages.jpeg(2, 2);
    Conversation conversation =
        parser.parse(
            json(
                """
                [{"role": "system", "parts": [{"text": "You are a careful assistant."}]},
                 {"role": "user", "parts": [{"image": "data:image/jpeg;base64,%s"}]},
                 {"role": "assistant", "parts": [{"text": "A grey square."}]},
                 {"role": "user", "parts": [{"text": "And this one?"},
                   {"image_url": "https://files.example.com/b.png", "media_type": "image/png"}]}]
                """
                    .formatted(TestImages.base64(jpeg))));

    assertThat(conversation.messages())
        .extracting(Message::role)
        .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
    assertThat(conversation.systemText()).contains("You are a careful assistant.");
    assertThat(conversation.messages().get(1).parts())
        .containsExactly(ImagePart.of("image/jpeg", jpeg));
    assertThat(conversation.messages().get(3).parts().get(1))
        .isEqualTo(
            new ImageUrlPart(
                URI.create("https://files.example.com/b.png"), Optional.of("image/png")));
    assertThat(conversation.hasImageUrls()).isTrue();
  }

  @Test
  void trusts_the_bytes_over_the_declared_media_type() {
    byte[] png = TestImages.png(1, 1);
    Conversation conversation =
        parser.parse(
            json(
                "[{\"role\": \"user\", \"parts\": [{\"image\": \"%s\", \"media_type\": \"image/jpeg\"}]}]"
                    .formatted(TestImages.base64(png))));

    assertThat(((ImagePart) conversation.messages().getFirst().parts().getFirst()).mediaType())
        .isEqualTo("image/png");
  }

  @Test
  void names_every_problem_with_its_json_path() {
    List<String> problems =
        problems(
            () ->
                parser.parseChatRequest(
                    json(
                        """
                        {"prompt": [
                          {"role": "user", "parts": [{"text": "hi"}]},
                          {"role": "robot", "parts": [{"text": "beep"}]},
                          {"role": "user", "parts": [{"image": "not*base64!"}, {"text": 3}]},
                          {"role": "user", "parts": []},
                          {"role": "user", "parts": [{"text": "a", "image": "b"}, {"video": "x"}]}],
                         "inference_params": [], "temperature": 1}
                        """)));

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "temperature: unknown key, expected prompt and inference_params",
            "inference_params: expected an object, got a list",
            "prompt[1].role: expected one of system, user, assistant, got \"robot\"",
            "prompt[2].parts[0].image: not valid base64 (Illegal base64 character 2a)",
            "prompt[2].parts[1].text: expected a string, got 3",
            "prompt[3].parts: expected a non-empty list of parts, got a list",
            "prompt[4].parts[0]: a part holds exactly one of text, image, image_url, got text and image",
            "prompt[4].parts[1].video: unknown key, a part holds text, image or image_url",
            "prompt[4].parts[1]: a part holds exactly one of text, image, image_url, got none");
  }

  @Test
  void rejects_bytes_that_are_not_an_accepted_image() {
    assertThat(
            problems(
                () ->
                    parser.parse(
                        json(
                            "[{\"role\": \"user\", \"parts\": [{\"image\": \"%s\"}]}]"
                                .formatted(
                                    TestImages.base64("%PDF-1.7 not an image".getBytes()))))))
        .containsExactly("[0].parts[0].image: the bytes are not a PNG, JPEG, GIF or WebP image");
    ConversationParser pngOnly =
        new ConversationParser(new ConversationLimits(10, 1000, 1000, Set.of("image/png")));
    assertThat(
            problems(
                () ->
                    pngOnly.parse(
                        json(
                            "[{\"role\": \"user\", \"parts\": [{\"image\": \"%s\"}]}]"
                                .formatted(TestImages.base64(TestImages.jpeg(1, 1)))))))
        .containsExactly(
            "[0].parts[0].image: image type image/jpeg is not accepted, expected one of image/png");
  }

  @Test
  void enforces_the_message_image_and_total_limits() {
    byte[] png = TestImages.png(20, 20);
    ConversationParser small =
        new ConversationParser(
            new ConversationLimits(2, png.length + 10, png.length - 1, Set.of("image/png")));
    String message = "{\"role\": \"user\", \"parts\": [{\"text\": \"%s\"}]}";

    assertThatThrownBy(
            () ->
                small.parse(
                    json(
                        "["
                            + String.join(
                                ",",
                                message.formatted("a"),
                                message.formatted("b"),
                                message.formatted("c"))
                            + "]")))
        .isInstanceOfSatisfying(
            FoundryException.class,
            error -> {
              assertThat(error.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
              assertThat(error.problems().getFirst().message())
                  .isEqualTo("the conversation has 3 messages, more than the limit of 2");
            });
    assertThat(
            problems(
                () ->
                    small.parse(
                        json(
                            "[{\"role\": \"user\", \"parts\": [{\"image\": \"%s\"}]}]"
                                .formatted(TestImages.base64(png))))))
        .containsExactly(
            "[0].parts[0].image: the image is "
                + png.length
                + " bytes, more than the limit of "
                + (png.length - 1)
                + " bytes");
    assertThat(
            problems(
                () ->
                    small.parse(json("[" + message.formatted("x".repeat(png.length + 11)) + "]"))))
        .singleElement()
        .asString()
        .contains("more than the limit of " + (png.length + 10) + " bytes");
  }

  private static final String LABELBOX =
      """
      {"type": "application/vnd.labelbox.conversational.model-chat-evaluation",
       "version": 2,
       "actors": {
         "human1": {"role": "human", "metadata": {"name": "User"}},
         "modelA": {"role": "model", "metadata": {"modelConfigName": "Gem Pro", "modelConfigId": "09cf"}},
         "modelB": {"role": "model", "metadata": {"modelConfigName": "gpt 4", "modelConfigId": "a841"}}},
       "messages": {
         "m1": {"actorId": "human1", "content": [{"type": "text", "content": "Hello"}], "childMessageIds": ["m2", "m3"]},
         "m2": {"actorId": "modelA", "content": [{"type": "text", "content": "Hi from A"}], "childMessageIds": ["m4"]},
         "m3": {"actorId": "modelB", "content": [{"type": "text", "content": "Hi from B"}], "childMessageIds": ["m4"]},
         "m4": {"actorId": "human1", "content": [
                  {"type": "text", "content": "What is this?"},
                  {"type": "fileData", "fileUri": "https://files.example.com/cat.jpg", "mimeType": "image/jpeg"}],
                "childMessageIds": ["m5", "m6"]},
         "m5": {"actorId": "modelA", "content": [{"type": "text", "content": "A cat."}], "childMessageIds": []},
         "m6": {"actorId": "modelB", "content": [{"type": "text", "content": "A kitten."}], "childMessageIds": []}},
       "rootMessageIds": ["m1"]}
      """;

  @Test
  void reads_a_labelbox_conversation_up_to_the_last_human_message() {
    Conversation conversation = parser.parseLabelbox(json(LABELBOX), Optional.empty());

    assertThat(conversation.messages())
        .containsExactly(
            Message.text(Role.USER, "Hello"),
            Message.text(Role.ASSISTANT, "Hi from A"),
            new Message(
                Role.USER,
                List.of(
                    new TextPart("What is this?"),
                    new ImageUrlPart(
                        URI.create("https://files.example.com/cat.jpg"),
                        Optional.of("image/jpeg")))));
  }

  @Test
  void follows_the_preferred_model_through_the_branches() {
    Conversation byName = parser.parseLabelbox(json(LABELBOX), Optional.of("gpt 4"));
    Conversation byId = parser.parseLabelbox(json(LABELBOX), Optional.of("modelB"));

    assertThat(byName.messages().get(1)).isEqualTo(Message.text(Role.ASSISTANT, "Hi from B"));
    assertThat(byId).isEqualTo(byName);
  }

  @Test
  void accepts_a_labelbox_conversation_as_the_prompt_of_a_chat_request_even_as_text() {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("prompt", LABELBOX);

    ChatRequest request = parser.parseChatRequest(body);

    assertThat(request.conversation().messages()).hasSize(3);
    assertThat(ConversationParser.isLabelbox(json(LABELBOX))).isTrue();
    assertThat(ConversationParser.isLabelbox(json("[]"))).isFalse();
  }

  @Test
  void names_the_problems_of_a_labelbox_conversation() {
    String broken =
        """
        {"actors": {"h": {"role": "human"}, "x": {"role": "narrator"}},
         "messages": {
           "m1": {"actorId": "h", "content": [{"type": "fileData", "fileUri": "https://f.example.com/a.mp4", "mimeType": "video/mp4"}],
                  "childMessageIds": ["m2"]},
           "m2": {"actorId": "ghost", "content": [{"type": "IMAGE_OVERLAY"}], "childMessageIds": ["m3"]},
           "m3": {"actorId": "h", "content": [{"type": "text", "content": "again"}], "childMessageIds": ["m1"]}},
         "rootMessageIds": ["m1"]}
        """;

    assertThat(problems(() -> parser.parseLabelbox(json(broken), Optional.empty())))
        .containsExactly(
            "actors.x.role: expected human, model or system, got \"narrator\"",
            "messages.m3.childMessageIds: the replies loop back to message \"m1\"");
    String unknownActor =
        """
        {"actors": {"h": {"role": "human"}},
         "messages": {
           "m1": {"actorId": "h", "content": [{"type": "text", "content": "hi"}], "childMessageIds": ["m2"]},
           "m2": {"actorId": "ghost", "content": [{"type": "text", "content": "boo"}], "childMessageIds": ["m3"]},
           "m3": {"actorId": "h", "content": [{"type": "text", "content": "again"}]}},
         "rootMessageIds": ["m1"]}
        """;
    assertThat(problems(() -> parser.parseLabelbox(json(unknownActor), Optional.empty())))
        .containsExactly(
            "messages.m2.actorId: expected the id of one of the actors, got \"ghost\"");
  }

  @Test
  void rejects_files_that_are_not_images_in_a_labelbox_conversation() {
    String video =
        """
        {"actors": {"h": {"role": "human"}},
         "messages": {"m1": {"actorId": "h", "content": [{"type": "fileData", "fileUri": "https://f.example.com/a.mp4",
                                                          "mimeType": "video/mp4"}, {"type": "IMAGE_OVERLAY"}]}},
         "rootMessageIds": ["m1"]}
        """;

    assertThat(problems(() -> parser.parseLabelbox(json(video), Optional.empty())))
        .containsExactly(
            "messages.m1.content[0].mimeType: only images can be sent to a model in a conversation, got video/mp4",
            "messages.m1.content[1].type: expected a content item of type text, html or fileData, got \"IMAGE_OVERLAY\"");
  }

  @Test
  void writes_the_chat_request_of_the_wire_contract() {
    byte[] png = TestImages.png(1, 1);
    ChatRequest request =
        new ChatRequest(
            Conversation.of(
                Message.text(Role.SYSTEM, "Be brief."),
                new Message(
                    Role.USER, List.of(new TextPart("What?"), ImagePart.of("image/png", png)))),
            (ObjectNode) json("{\"max_new_tokens\": 5}"));

    assertThat(request.toJson())
        .isEqualTo(
            json(
                """
                {"prompt": [{"role": "system", "parts": [{"text": "Be brief."}]},
                            {"role": "user", "parts": [{"text": "What?"}, {"image": "%s", "media_type": "image/png"}]}],
                 "inference_params": {"max_new_tokens": 5}}
                """
                    .formatted(TestImages.base64(png))));
    assertThat(parser.parseChatRequest(request.toJson())).isEqualTo(request);
  }
}
