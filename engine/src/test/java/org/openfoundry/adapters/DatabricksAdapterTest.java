package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.ontology.Classification;

class DatabricksAdapterTest {
  private final AdapterRegistry registry = new AdapterRegistry(Fixtures.environment());

  @Test
  void sends_a_row_as_dataframe_records_with_params_and_reads_the_first_prediction() {
    String predictions =
        "{\"predictions\": [{\"answer\": {\"sentiment\": \"positive\"}, \"latency\": 0.2}]}";
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(predictions))) {
      Adapter adapter =
          registry.create(
              "databricks",
              Fixtures.config(
                  endpoint.uri("/serving-endpoints/sentiment/invocations"),
                  "{\"row_column\": \"text\", \"include_ids\": true, \"prediction_key\": \"answer\"}"));

      AdapterResult result =
          adapter.run(
              Fixtures.textRow(
                  "What a lovely day",
                  Fixtures.classifications(
                      Classification.radio("sentiment", "positive", "negative")),
                  "{\"temperature\": 0.0}"),
              new HttpClientTransport());

      var body = endpoint.only().body();
      assertThat(body.at("/dataframe_records/0/text").stringValue()).isEqualTo("What a lovely day");
      assertThat(body.at("/dataframe_records/0/data_row_id").stringValue())
          .isEqualTo(Fixtures.ROW_ID.value());
      assertThat(body.at("/params/temperature").asDouble()).isEqualTo(0.0);
      assertThat(result.response().orElseThrow())
          .isEqualTo(Fixtures.json("{\"sentiment\": \"positive\"}"));
    }
  }

  @Test
  void sends_columnar_inputs_and_reads_a_text_prediction() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            request -> FakeEndpoint.Answer.ok("{\"predictions\": [\"A short summary.\"]}"))) {
      Adapter adapter =
          registry.create(
              "databricks",
              Fixtures.config(
                  endpoint.uri("/serving-endpoints/summarise/invocations"),
                  "{\"input_format\": \"inputs\", \"row_column\": \"prompt\", \"send_params\": false}"));

      AdapterResult result =
          adapter.run(
              Fixtures.textRow(
                  "A long text",
                  Fixtures.classifications(Classification.text("summary")),
                  "{\"x\": 1}"),
              new HttpClientTransport());

      var body = endpoint.only().body();
      assertThat(body.toString()).isEqualTo("{\"inputs\":{\"prompt\":[\"A long text\"]}}");
      assertThat(result.response().orElseThrow())
          .isEqualTo(Fixtures.json("{\"summary\": \"A short summary.\"}"));
    }
  }

  @Test
  void sends_a_conversation_as_messages_to_a_chat_endpoint() {
    String completion =
        """
        {"id": "chatcmpl_1", "object": "chat.completion", "model": "databricks-meta-llama-3-3-70b-instruct",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Bonjour."}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 20, "completion_tokens": 3, "total_tokens": 23}}
        """;
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(completion))) {
      Adapter adapter =
          registry.create(
              "databricks",
              Fixtures.config(endpoint.uri("/serving-endpoints/llama/invocations"), "{}"));

      AdapterResult result =
          adapter.runDirect(
              Conversation.of(Message.text(Role.USER, "Say hello in French")),
              Fixtures.params("{\"max_new_tokens\": 10}"),
              new HttpClientTransport());

      var body = endpoint.only().body();
      assertThat(body.at("/messages/0/content").stringValue()).isEqualTo("Say hello in French");
      assertThat(body.path("max_tokens").asInt()).isEqualTo(10);
      assertThat(result.assistantText()).contains("Bonjour.");
      assertThat(result.usage()).contains(new TokenUsage(20, 3, 23));
    }
  }
}
