package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ImagePart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Tool;

class VertexPredictAdapterTest {
  @Test
  void sends_the_row_image_as_a_base64_instance_and_reads_the_first_prediction() {
    URI url = URI.create("https://files.example.com/street.png");
    byte[] png = Fixtures.png("10");
    String predictions =
        """
        {"predictions": [{"result": {"car": {"boxes": [[1, 2, 3, 4]], "scores": [0.7]}}}],
         "deployedModelId": "4455", "model": "projects/1/locations/us-central1/models/77"}
        """;
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(predictions))) {
      Adapter adapter =
          new AdapterRegistry(Fixtures.environment(Map.of(url, png)))
              .create(
                  "vertex-predict",
                  Fixtures.config(
                      endpoint.uri("/v1/projects/p/locations/us-central1/endpoints/42:predict"),
                      "{\"parameters\": {\"maxPredictions\": 5}, \"prediction_key\": \"result\"}"));

      AdapterResult result =
          adapter.run(
              Fixtures.imageRow(
                  url.toString(),
                  Fixtures.ontology(Tool.of("car", FeatureKind.RECTANGLE)),
                  "{\"confidence\": 0.5}"),
              new HttpClientTransport());

      var body = endpoint.only().body();
      assertThat(body.at("/instances/0/content").stringValue())
          .isEqualTo(ImagePart.of("image/png", png).data());
      assertThat(body.at("/parameters/maxPredictions").asInt()).isEqualTo(5);
      assertThat(body.at("/parameters/confidence").asDouble()).isEqualTo(0.5);
      assertThat(result.response().orElseThrow().at("/car/boxes/0/2").asInt()).isEqualTo(3);
    }
  }

  @Test
  void sends_a_conversation_as_a_chat_completions_instance() {
    String completion =
        """
        {"predictions": {"id": "c1", "object": "chat.completion",
          "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris."}}],
          "usage": {"prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14}}}
        """;
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(completion))) {
      Adapter adapter =
          new AdapterRegistry(Fixtures.environment())
              .create(
                  "vertex-predict", Fixtures.config(endpoint.uri("/v1/endpoints/7:predict"), "{}"));

      AdapterResult result =
          adapter.runDirect(
              Conversation.of(Message.text(Role.USER, "Capital of France?")),
              Fixtures.params("{\"max_new_tokens\": 20}"),
              new HttpClientTransport());

      var instance = endpoint.only().body().at("/instances/0");
      assertThat(instance.path("@requestFormat").stringValue()).isEqualTo("chatCompletions");
      assertThat(instance.at("/messages/0/content").stringValue()).isEqualTo("Capital of France?");
      assertThat(instance.path("max_tokens").asInt()).isEqualTo(20);
      assertThat(result.assistantText()).contains("Paris.");
      assertThat(result.usage()).contains(new TokenUsage(12, 2, 14));
    }
  }

  @Test
  void reads_the_output_of_a_prompt_deployment_without_the_echoed_prompt() {
    String echoed = "{\"predictions\": [\"Prompt:\\nCapital of France?\\nOutput:\\nParis.\"]}";
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(echoed))) {
      Adapter adapter =
          new AdapterRegistry(Fixtures.environment())
              .create(
                  "vertex-predict",
                  Fixtures.config(
                      endpoint.uri("/v1/endpoints/7:predict"), "{\"chat_format\": \"prompt\"}"));

      AdapterResult result =
          adapter.runDirect(
              Conversation.of(Message.text(Role.USER, "Capital of France?")),
              Fixtures.params("{}"),
              new HttpClientTransport());

      assertThat(endpoint.only().body().at("/instances/0/prompt").stringValue())
          .isEqualTo("Capital of France?");
      assertThat(result.assistantText()).contains("Paris.");
    }
  }
}
