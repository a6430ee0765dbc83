package org.openfoundry.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.cli.Cli;
import org.openfoundry.cli.TestServer;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code foundry chat} and {@code foundry compare} as a user types them, against a real server. */
class ChatCommandTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String RAW =
      "{\"text\":  \"A tiny red square.\", \"usage\": {\"prompt_tokens\": 5}}";
  private static final byte[] PNG =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

  @TempDir static Path folder;
  private static TestServer server;
  private static Cli cli;
  private static FakeEndpoint captioner;
  private static FakeEndpoint poet;
  private static String captionerId;

  @BeforeAll
  static void start() {
    captioner = FakeEndpoint.answering(Reply.json(RAW));
    poet =
        FakeEndpoint.answering(
            Reply.json(
                "{\"choices\": [{\"message\": {\"role\": \"assistant\","
                    + " \"content\": \"Roses are red, this square is too.\"}}]}"));
    server = new TestServer();
    cli = Cli.against(server, server.memberKey);
    captionerId =
        register(
            "captioner",
            captioner.uri(),
            "inference_params_json_schema:\n"
                + "  type: object\n"
                + "  properties:\n"
                + "    temperature: {type: number}\n"
                + "    style: {type: string}\n");
    register("poet", poet.uri(), "adapter: openai\nadapter_options:\n  model: verse-1\n");
  }

  @AfterAll
  static void stop() {
    server.close();
    captioner.close();
    poet.close();
  }

  @Test
  void prints_the_assistant_text_of_a_model_named_by_its_name() throws IOException {
    Path image = Files.write(folder.resolve("square.png"), PNG);

    Cli.Result run =
        run(
            "chat",
            "captioner",
            "What is in the picture?",
            "--image",
            image.toString(),
            "--system",
            "Answer in five words.",
            "--param",
            "temperature=0.5",
            "--param",
            "style=0.5",
            "--details");

    assertThat(run.exit()).as(run.both()).isZero();
    assertThat(run.out()).isEqualTo("A tiny red square.\n");
    assertThat(run.err()).contains("captioner v1").contains("1 attempt");
    JsonNode sent = JSON.readTree(captioner.requests().getLast().body());
    assertThat(sent.at("/prompt/0/role").asString()).isEqualTo("system");
    assertThat(sent.at("/prompt/1/parts/0/text").asString()).isEqualTo("What is in the picture?");
    assertThat(Base64.getDecoder().decode(sent.at("/prompt/1/parts/1/image").asString()))
        .isEqualTo(PNG);
    assertThat(sent.at("/inference_params/temperature").isNumber()).isTrue();
    assertThat(sent.at("/inference_params/style").asString()).isEqualTo("0.5");
  }

  @Test
  void prints_the_raw_response_exactly_with_raw() {
    Cli.Result run = run("chat", captionerId, "Raw?", "--raw");

    assertThat(run.exit()).as(run.both()).isZero();
    assertThat(run.out()).isEqualTo(RAW + "\n");
  }

  @Test
  void keeps_a_multi_turn_history_in_a_file() throws IOException {
    Path history = folder.resolve("history.json");

    assertThat(run("chat", "captioner", "First question", "--history", history.toString()).exit())
        .isZero();
    assertThat(run("chat", "captioner", "And then?", "--history", history.toString()).exit())
        .isZero();

    JsonNode sent = JSON.readTree(captioner.requests().getLast().body()).get("prompt");
    assertThat(sent)
        .extracting(message -> message.get("role").asString())
        .containsExactly("user", "assistant", "user");
    assertThat(sent.get(1).at("/parts/0/text").asString()).isEqualTo("A tiny red square.");
    assertThat(JSON.readTree(Files.readString(history))).hasSize(4);
  }

  @Test
  void names_what_the_server_refused_and_exits_1() {
    Cli.Result unknown = run("chat", "no such model", "Hello?");
    Cli.Result badParam = run("chat", "captioner", "Hello?", "--param", "temperature=hot");

    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("no model is called \"no such model\"");
    assertThat(badParam.exit()).isEqualTo(1);
    assertThat(badParam.err()).contains("temperature");
  }

  @Test
  void compares_models_side_by_side() {
    Cli.Result run =
        run("compare", "--models", "captioner,poet", "--width", "80", "Describe the square.");

    assertThat(run.exit()).as(run.both()).isZero();
    assertThat(run.out()).contains("comparison cmp_");
    String header =
        run.out().lines().filter(line -> line.contains("captioner v1")).findFirst().orElseThrow();
    assertThat(header).contains(" | ").contains("poet v1");
    assertThat(run.out()).contains("A tiny red square.").contains("Roses are red");
    assertThat(run.out().lines()).allMatch(line -> line.length() <= 80);
  }

  private static Cli.Result run(String... args) {
    return cli.run(args);
  }

  private static String register(String name, URI endpoint, String more) {
    String yaml =
        "name: " + name + "\ninference_endpoint: " + endpoint + "\nsecrets: cli-secret\n" + more;
    try (FoundryClient client = server.client(server.memberKey)) {
      return client
          .send("POST", "/api/v1/models", FoundryClient.YAML, BodyPublishers.ofString(yaml))
          .path("id")
          .asString();
    }
  }
}
