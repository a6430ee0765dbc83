package org.openfoundry.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.cli.Main;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.server.Application;
import org.openfoundry.server.config.ConfigLoader;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code foundry chat} and {@code foundry compare} through {@link Main}, against a real server. */
class ChatCommandTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ADMIN_KEY = "chat-cli-admin-key-0123456789-abcdefghij";
  private static final String RAW =
      "{\"text\":  \"A tiny red square.\", \"usage\": {\"prompt_tokens\": 5}}";
  private static final byte[] PNG =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

  @TempDir static Path folder;
  private static Application server;
  private static FakeEndpoint captioner;
  private static FakeEndpoint poet;
  private static String captionerId;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    captioner = FakeEndpoint.answering(Reply.json(RAW));
    poet =
        FakeEndpoint.answering(
            Reply.json(
                "{\"choices\": [{\"message\": {\"role\": \"assistant\","
                    + " \"content\": \"Roses are red, this square is too.\"}}]}"));
    server =
        Application.start(
            ConfigLoader.load(
                Optional.empty(),
                Map.of(
                    "FOUNDRY_HTTP_HOST", "127.0.0.1",
                    "FOUNDRY_HTTP_PORT", "0",
                    "FOUNDRY_STORAGE_DATA_DIR", folder.resolve("data").toString(),
                    "FOUNDRY_ADMIN_KEY", ADMIN_KEY,
                    "FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"),
                Map.of()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            java.time.Clock.systemUTC());
    base = "http://127.0.0.1:" + server.port();
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

    Run run =
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

    assertThat(run.exit()).as(run.err()).isZero();
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
    Run run = run("chat", captionerId, "Raw?", "--raw");

    assertThat(run.exit()).as(run.err()).isZero();
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
    Run unknown = run("chat", "no such model", "Hello?");
    Run badParam = run("chat", "captioner", "Hello?", "--param", "temperature=hot");

    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("no model is named \"no such model\"");
    assertThat(badParam.exit()).isEqualTo(1);
    assertThat(badParam.err()).contains("temperature");
  }

  @Test
  void compares_models_side_by_side() {
    Run run = run("compare", "--models", "captioner,poet", "--width", "80", "Describe the square.");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("comparison cmp_");
    String header =
        run.out().lines().filter(line -> line.contains("captioner v1")).findFirst().orElseThrow();
    assertThat(header).contains(" | ").contains("poet v1");
    assertThat(run.out()).contains("A tiny red square.").contains("Roses are red");
    assertThat(run.out().lines()).allMatch(line -> line.length() <= 80);
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = base;
    all[args.length + 2] = "--api-key";
    all[args.length + 3] = ADMIN_KEY;
    int exit = command.execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String register(String name, URI endpoint, String more) throws Exception {
    String yaml =
        "name: " + name + "\ninference_endpoint: " + endpoint + "\nsecrets: cli-secret\n" + more;
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/models"))
                    .header("Authorization", "Bearer " + ADMIN_KEY)
                    .header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(yaml))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("id").asString();
  }
}
