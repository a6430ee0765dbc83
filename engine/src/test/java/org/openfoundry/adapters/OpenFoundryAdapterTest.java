package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openfoundry.adapters.Fixtures.json;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ImagePart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.chat.TextPart;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.ErrorCode;

class OpenFoundryAdapterTest {
  private final AdapterRegistry registry = new AdapterRegistry(Fixtures.environment());

  @Test
  void sends_the_task_request_of_the_wire_contract_and_returns_the_response_as_is() {
    String answer = "{\"cat\": {\"boxes\": [[0, 0, 10, 10]], \"scores\": [0.9]}}";
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(answer))) {
      Adapter adapter = registry.defaultAdapter(endpoint.uri("/predict"));
      TaskInput row =
          Fixtures.imageRow(
              "https://files.example.com/street-0001.jpg",
              Fixtures.ontology(Tool.of("cat", FeatureKind.RECTANGLE)),
              "{\"confidence\": 0.25}");

      AdapterResult result = adapter.run(row, new HttpClientTransport());

      RecordedRequest sent = endpoint.only();
      assertThat(sent.method()).isEqualTo("POST");
      assertThat(sent.path()).isEqualTo("/predict");
      assertThat(sent.body().at("/data_row/id").stringValue()).isEqualTo(Fixtures.ROW_ID.value());
      assertThat(sent.body().at("/data_row/global_key").stringValue()).isEqualTo("street-0001.jpg");
      assertThat(sent.body().at("/data_row/row_data").stringValue())
          .isEqualTo("https://files.example.com/street-0001.jpg");
      assertThat(sent.body().at("/ontology/tools/0/name").stringValue()).isEqualTo("cat");
      assertThat(sent.body().at("/inference_params/confidence").asDouble()).isEqualTo(0.25);
      assertThat(result.response()).contains(Fixtures.object(answer));
      assertThat(result.rawResponse()).isEqualTo(json(answer));
      assertThat(result.exchanges()).isEqualTo(1);
    }
  }

  @Test
  void sends_the_chat_request_and_finds_the_assistant_text() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(request -> FakeEndpoint.Answer.ok("{\"output\": \"A red bicycle.\"}"))) {
      Adapter adapter = registry.defaultAdapter(endpoint.uri("/chat"));
      Conversation conversation =
          Conversation.of(
              Message.text(Role.SYSTEM, "You are a careful assistant."),
              new Message(
                  Role.USER,
                  List.of(
                      new TextPart("What is in this picture?"),
                      ImagePart.of("image/png", Fixtures.png("01", "10")))));

      AdapterResult result =
          adapter.runDirect(
              conversation, Fixtures.params("{\"max_new_tokens\": 64}"), new HttpClientTransport());

      RecordedRequest sent = endpoint.only();
      assertThat(sent.body().at("/prompt/0/role").stringValue()).isEqualTo("system");
      assertThat(sent.body().at("/prompt/1/parts/0/text").stringValue())
          .isEqualTo("What is in this picture?");
      assertThat(sent.body().at("/prompt/1/parts/1/media_type").stringValue())
          .isEqualTo("image/png");
      assertThat(sent.body().at("/prompt/1/parts/1/image").stringValue()).isNotBlank();
      assertThat(sent.body().at("/inference_params/max_new_tokens").asInt()).isEqualTo(64);
      assertThat(result.assistantText()).contains("A red bicycle.");
      assertThat(result.response()).isEmpty();
    }
  }

  @Test
  void reports_a_failing_endpoint_with_its_status_and_message() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            request -> new FakeEndpoint.Answer(503, "{\"error\": \"model is loading\"}"))) {
      Adapter adapter = registry.defaultAdapter(endpoint.uri("/predict"));

      assertThatThrownBy(
              () ->
                  adapter.run(
                      Fixtures.textRow("hello", Fixtures.classifications(), "{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_ENDPOINT_FAILED);
                assertThat(error.status()).contains(503);
                assertThat(error.getMessage()).contains("HTTP 503").contains("model is loading");
                assertThat(error.exchanges()).isEqualTo(1);
              });
    }
  }

  @Test
  void rejects_an_answer_that_is_not_json() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(request -> FakeEndpoint.Answer.ok("<html>gateway</html>"))) {
      Adapter adapter = registry.defaultAdapter(endpoint.uri("/predict"));

      assertThatThrownBy(
              () ->
                  adapter.run(
                      Fixtures.textRow("hello", Fixtures.classifications(), "{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_RESPONSE_INVALID);
                assertThat(error.describe()).contains("not JSON").contains("<html>gateway</html>");
              });
    }
  }

  @Test
  void rejects_an_answer_nested_deeper_than_the_limit_naming_the_limit() {
    String deep = "[".repeat(UntrustedJson.MAX_DEPTH + 1) + "]".repeat(UntrustedJson.MAX_DEPTH + 1);
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(deep))) {
      Adapter adapter = registry.defaultAdapter(endpoint.uri("/predict"));

      assertThatThrownBy(
              () ->
                  adapter.run(
                      Fixtures.textRow("hello", Fixtures.classifications(), "{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_RESPONSE_INVALID);
                assertThat(error.describe())
                    .contains(
                        "the endpoint's answer is too large to read: values are nested more than"
                            + " 64 levels deep");
              });
    }
  }

  @Test
  void reads_the_assistant_text_at_the_configured_pointer() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            request ->
                FakeEndpoint.Answer.ok(
                    "{\"result\": {\"reply\": \"Two cats.\"}, \"text\": \"x\"}"))) {
      Adapter adapter =
          registry.create(
              "openfoundry",
              Fixtures.config(
                  endpoint.uri("/chat"), "{\"assistant_text_pointer\": \"/result/reply\"}"));

      AdapterResult result =
          adapter.runDirect(
              Conversation.of(Message.text(Role.USER, "How many cats?")),
              Fixtures.params("{}"),
              new HttpClientTransport());

      assertThat(result.assistantText()).contains("Two cats.");
    }
  }
}
