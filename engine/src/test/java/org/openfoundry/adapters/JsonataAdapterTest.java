package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.node.ObjectNode;

class JsonataAdapterTest {
  private final AdapterRegistry registry = new AdapterRegistry(Fixtures.environment());

  private static ObjectNode options(String request, String response) {
    ObjectNode options = Fixtures.object("{}");
    options.put("request_mapping", request);
    if (response != null) {
      options.put("response_mapping", response);
    }
    return options;
  }

  @Test
  void maps_our_request_to_the_vendor_body_and_the_vendor_answer_to_our_response() {
    String vendor =
        """
        {"status": "ok", "objects": [
          {"class": "car", "confidence": 0.91, "bbox": {"x": 10, "y": 20, "w": 30, "h": 40}},
          {"class": "car", "confidence": 0.55, "bbox": {"x": 50, "y": 60, "w": 5, "h": 6}},
          {"class": "bus", "confidence": 0.80, "bbox": {"x": 1, "y": 2, "w": 3, "h": 4}}]}
        """;
    try (FakeEndpoint endpoint = FakeEndpoint.start(request -> FakeEndpoint.Answer.ok(vendor))) {
      ObjectNode options =
          options(
              """
              {
                "image_url": data_row.row_data,
                "min_confidence": inference_params.confidence,
                "classes": ontology.tools.name
              }
              """,
              """
              objects[confidence >= $request.inference_params.confidence]{
                class: {
                  "boxes": [[bbox.x, bbox.y, bbox.w, bbox.h]],
                  "scores": [confidence]
                }
              }
              """);
      Adapter adapter =
          registry.create("jsonata", new AdapterConfig(endpoint.uri("/detect"), options));

      AdapterResult result =
          adapter.run(
              Fixtures.imageRow(
                  "https://files.example.com/road.jpg",
                  Fixtures.ontology(
                      Tool.of("car", FeatureKind.RECTANGLE), Tool.of("bus", FeatureKind.RECTANGLE)),
                  "{\"confidence\": 0.6}"),
              new HttpClientTransport());

      assertThat(endpoint.only().body())
          .isEqualTo(
              Fixtures.json(
                  "{\"image_url\": \"https://files.example.com/road.jpg\", \"min_confidence\": 0.6,"
                      + " \"classes\": [\"car\", \"bus\"]}"));
      assertThat(result.response().orElseThrow())
          .isEqualTo(
              Fixtures.json(
                  """
                  {"car": {"boxes": [[10, 20, 30, 40]], "scores": [0.91]},
                   "bus": {"boxes": [[1, 2, 3, 4]], "scores": [0.8]}}
                  """));
      assertThat(result.rawResponse()).isEqualTo(Fixtures.json(vendor));
    }
  }

  @Test
  void maps_a_chat_request_and_finds_the_text_with_its_own_expression() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            request -> FakeEndpoint.Answer.ok("{\"reply\": {\"parts\": [\"Hi \", \"there\"]}}"))) {
      ObjectNode options = options("{\"q\": \"unused\"}", null);
      options.put(
          "chat_request_mapping",
          "{\"question\": prompt[role = 'user'][-1].parts[0].text, \"limit\": inference_params.max_new_tokens}");
      options.put("text_mapping", "$join(reply.parts)");
      Adapter adapter =
          registry.create("jsonata", new AdapterConfig(endpoint.uri("/ask"), options));

      AdapterResult result =
          adapter.runDirect(
              Conversation.of(
                  Message.text(Role.USER, "first"),
                  Message.text(Role.ASSISTANT, "ok"),
                  Message.text(Role.USER, "second")),
              Fixtures.params("{\"max_new_tokens\": 50}"),
              new HttpClientTransport());

      assertThat(endpoint.only().body())
          .isEqualTo(Fixtures.json("{\"question\": \"second\", \"limit\": 50}"));
      assertThat(result.assistantText()).contains("Hi there");
    }
  }

  @Test
  void rejects_a_bad_expression_with_its_line_and_column_when_the_manifest_is_loaded() {
    ObjectNode options =
        options("{\n  \"image\": data_row.row_data,\n  \"size\": $count(,\n}", null);

    List<Problem> problems =
        registry.check(
            "jsonata", new AdapterConfig(URI.create("https://vendor.example.com/x"), options));

    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().path()).isEqualTo("adapter_options.request_mapping");
    assertThat(problems.getFirst().message())
        .startsWith("JSONata syntax error at line 3, column 18 of the expression:");
    assertThatThrownBy(
            () ->
                registry.create(
                    "jsonata",
                    new AdapterConfig(URI.create("https://vendor.example.com/x"), options)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            error -> assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MANIFEST));
  }

  @Test
  void reports_a_response_mapping_that_fails_on_an_answer() {
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(request -> FakeEndpoint.Answer.ok("{\"n\": \"many\"}"))) {
      Adapter adapter =
          registry.create(
              "jsonata",
              new AdapterConfig(
                  endpoint.uri("/x"),
                  options("{\"row\": data_row.row_data}", "{\"count\": $number(n) + 1}")));

      assertThatThrownBy(
              () ->
                  adapter.run(
                      Fixtures.textRow("t", Fixtures.classifications(), "{}"),
                      new HttpClientTransport()))
          .isInstanceOfSatisfying(
              AdapterException.class,
              error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_MAPPING_FAILED);
                assertThat(error.problems().getFirst().path())
                    .isEqualTo("adapter_options.response_mapping");
                assertThat(error.problems().getFirst().message()).startsWith("evaluation failed:");
                assertThat(error.status()).contains(200);
              });
    }
  }

  @Test
  void reports_a_request_mapping_that_produces_nothing() {
    Adapter adapter =
        registry.create(
            "jsonata",
            new AdapterConfig(
                URI.create("https://vendor.example.com/x"), options("nothing.here", null)));

    assertThatThrownBy(
            () ->
                adapter.run(
                    Fixtures.textRow("t", Fixtures.classifications(), "{}"),
                    request -> {
                      throw new AssertionError("nothing should be sent");
                    }))
        .isInstanceOfSatisfying(
            AdapterException.class,
            error -> {
              assertThat(error.code()).isEqualTo(ErrorCode.ADAPTER_MAPPING_FAILED);
              assertThat(error.describe())
                  .contains(
                      "adapter_options.request_mapping: the expression produced nothing for this input");
              assertThat(error.exchanges()).isZero();
            });
  }
}
