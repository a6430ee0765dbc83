package org.openfoundry.comparisons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.directrun.ChatAnswer;
import org.openfoundry.directrun.ChatFailure;
import org.openfoundry.directrun.ChatFixture;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.store.JdbiComparisonRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ComparisonServiceTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Conversation QUESTION =
      Conversation.of(Message.text(Role.USER, "Name a colour."));
  private static final String RAW_A = "{\"text\":  \"Red.\" }";

  private final ChatFixture fixture = new ChatFixture();
  private final FakeEndpoint alpha = FakeEndpoint.answering(Reply.json(RAW_A));
  private final FakeEndpoint beta = FakeEndpoint.answering(Reply.json("{\"text\": \"Blue.\"}"));
  private final FakeEndpoint broken = FakeEndpoint.answering(Reply.status(500));
  private final ComparisonService service =
      new ComparisonService(
          fixture.service,
          new JdbiComparisonRepository(fixture.store.database(), ConversationLimits.defaults()),
          fixture.clock);
  private final Model a = fixture.model(ChatFixture.manifest("alpha", alpha.uri(), ""));
  private final Model b = fixture.model(ChatFixture.manifest("beta", beta.uri(), ""));
  private final Model c =
      fixture.model(ChatFixture.manifest("gamma", broken.uri(), "max_attempts: 1\n"));

  @AfterEach
  void close() {
    alpha.close();
    beta.close();
    broken.close();
    fixture.close();
  }

  @Test
  void sends_one_conversation_to_every_model_and_stores_every_answer() throws Exception {
    Comparison made = compare(Optional.of("colours-1"), a, b, c);

    Comparison stored = service.get(made.id());
    assertThat(stored.answers())
        .extracting(answer -> answer.model().name())
        .containsExactly("alpha", "beta", "gamma");
    assertThat(stored.answers().get(0).outcome())
        .isInstanceOfSatisfying(
            ChatAnswer.class, answer -> assertThat(answer.rawResponse()).isEqualTo(RAW_A));
    assertThat(stored.answers().get(1).outcome())
        .isInstanceOfSatisfying(
            ChatAnswer.class, answer -> assertThat(answer.assistantText()).contains("Blue."));
    assertThat(stored.answers().get(2).outcome())
        .isInstanceOfSatisfying(
            ChatFailure.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(ErrorCode.ADAPTER_ENDPOINT_FAILED);
              assertThat(failure.status()).isEqualTo(OptionalInt.of(500));
            });
    assertThat(stored.conversation()).isEqualTo(QUESTION);
    assertThat(stored.globalKey()).contains("colours-1");
    assertThat(alpha.requests()).hasSize(1);
    assertThat(beta.requests()).hasSize(1);
  }

  @Test
  void hands_each_answer_to_the_listener_as_it_comes_under_its_stored_message_id()
      throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    try (FakeEndpoint slow =
        FakeEndpoint.answering(new Reply.Hold(released, Reply.json("{\"text\": \"Green.\"}")))) {
      Model held = fixture.model(ChatFixture.manifest("held", slow.uri(), ""));
      List<String> heard = new ArrayList<>();
      List<MessageId> ids = new ArrayList<>();

      Comparison made =
          service.compare(
              request(held, b),
              (index, answer) -> {
                heard.add(index + " " + answer.model().name());
                ids.add(answer.id());
                released.countDown();
              });

      assertThat(heard).containsExactly("1 beta", "0 held");
      assertThat(made.answers()).extracting(Answer::id).containsExactly(ids.get(1), ids.get(0));
      assertThat(service.get(made.id()).answers().get(0).outcome())
          .isInstanceOfSatisfying(
              ChatAnswer.class, answer -> assertThat(answer.assistantText()).contains("Green."));
    }
  }

  @Test
  void refuses_before_calling_anything_when_a_model_cannot_take_the_conversation() {
    ModelId unknown = new ModelId("mdl_01NOSUCHMODEL0000000000000");

    assertThatThrownBy(
            () ->
                service.compare(
                    new ComparisonService.NewComparison(
                        QUESTION,
                        JSON.createObjectNode(),
                        List.of(
                            new ComparisonService.ModelChoice(a.id(), OptionalInt.empty()),
                            new ComparisonService.ModelChoice(unknown, OptionalInt.empty()),
                            new ComparisonService.ModelChoice(a.id(), OptionalInt.of(1))),
                        Optional.empty())))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND);
              assertThat(failure.problems())
                  .extracting(Problem::path)
                  .containsExactly("models[1]", "models[2]");
            });
    assertThatThrownBy(() -> compare(Optional.empty(), a))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> assertThat(failure.problems().getFirst().path()).isEqualTo("models"));
    assertThat(alpha.requests()).isEmpty();
  }

  @Test
  void records_judgments_naming_answers_by_message_or_by_model() throws Exception {
    Comparison comparison = compare(Optional.empty(), a, b, c);
    MessageId alphaAnswer = comparison.answerOf(a.id()).orElseThrow().id();

    Judgment single =
        service.judge(
            comparison.id(),
            VerdictKind.SINGLE_SELECTION,
            List.of(alphaAnswer.value()),
            Optional.empty(),
            Optional.of("key_judge"));
    Judgment ranking =
        service.judge(
            comparison.id(),
            VerdictKind.RANKING,
            List.of(b.id().value(), a.id().value()),
            Optional.of("best answer order"),
            Optional.empty());

    assertThat(single.feature()).isEqualTo("single-selection");
    assertThat(single.verdict()).isEqualTo(new Verdict.SingleSelection(alphaAnswer));
    assertThat(ranking.verdict().messages())
        .containsExactly(comparison.answerOf(b.id()).orElseThrow().id(), alphaAnswer);
    assertThat(service.get(comparison.id()).judgments()).containsExactly(single, ranking);
  }

  @Test
  void refuses_judgments_of_failed_unknown_repeated_or_missing_answers() throws Exception {
    Comparison comparison = compare(Optional.empty(), a, b, c);

    assertThat(problems(comparison, VerdictKind.SINGLE_SELECTION, c.id().value()))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.path()).isEqualTo("selected");
              assertThat(problem.message()).contains("gamma gave no answer");
            });
    assertThat(problems(comparison, VerdictKind.MULTI_SELECTION, a.id().value(), "msg_nope", "x"))
        .extracting(Problem::path)
        .containsExactly("selected[1]", "selected[2]");
    assertThat(problems(comparison, VerdictKind.RANKING, a.id().value(), a.id().value()))
        .extracting(Problem::message)
        .anySatisfy(message -> assertThat(message).contains("twice"));
    assertThat(problems(comparison, VerdictKind.RANKING, a.id().value()))
        .extracting(Problem::message)
        .anySatisfy(message -> assertThat(message).contains("leaves out").contains("beta"));
    assertThatThrownBy(
            () ->
                service.judge(
                    new ComparisonId("cmp_01NOSUCH"),
                    VerdictKind.RANKING,
                    List.of(),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(service.get(comparison.id()).judgments()).isEmpty();
  }

  @Test
  void exports_judgments_as_labelbox_message_evaluation_annotations() throws Exception {
    Comparison comparison = compare(Optional.of("colours-7"), a, b, c);
    String alphaAnswer = comparison.answerOf(a.id()).orElseThrow().id().value();
    String betaAnswer = comparison.answerOf(b.id()).orElseThrow().id().value();
    String parent = comparison.promptMessageId().value();
    Judgment single = judge(comparison, VerdictKind.SINGLE_SELECTION, alphaAnswer);
    Judgment multi = judge(comparison, VerdictKind.MULTI_SELECTION, alphaAnswer, betaAnswer);
    Judgment ranking = judge(comparison, VerdictKind.RANKING, betaAnswer, alphaAnswer);

    StringWriter out = new StringWriter();
    LabelboxExport.write(service.get(comparison.id()), out);

    List<JsonNode> lines = out.toString().lines().map(JSON::readTree).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .isEqualTo(
            JSON.readTree(
                """
                {"dataRow": {"globalKey": "colours-7"}, "uuid": "%s", "name": "single-selection",
                 "messageEvaluationTask": {"format": "message-single-selection",
                   "data": {"messageId": "%s", "modelConfigName": "alpha v1",
                            "parentMessageId": "%s"}}}"""
                    .formatted(LabelboxExport.uuid(single.id()), alphaAnswer, parent)));
    assertThat(lines.get(1))
        .isEqualTo(
            JSON.readTree(
                """
                {"dataRow": {"globalKey": "colours-7"}, "uuid": "%s", "name": "multi-selection",
                 "messageEvaluationTask": {"format": "message-multi-selection",
                   "data": {"parentMessageId": "%s", "selectedMessages": [
                     {"messageId": "%s", "modelConfigName": "alpha v1"},
                     {"messageId": "%s", "modelConfigName": "beta v1"}]}}}"""
                    .formatted(LabelboxExport.uuid(multi.id()), parent, alphaAnswer, betaAnswer)));
    assertThat(lines.get(2).at("/messageEvaluationTask/data/rankedMessages"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"messageId": "%s", "modelConfigName": "beta v1", "order": 1},
                 {"messageId": "%s", "modelConfigName": "alpha v1", "order": 2}]"""
                    .formatted(betaAnswer, alphaAnswer)));
    assertThat(lines.get(2).get("uuid").asString())
        .isEqualTo(LabelboxExport.uuid(ranking.id()).toString());
  }

  @Test
  void reports_wins_appearances_win_rates_and_mean_ranks_per_model() throws Exception {
    Comparison first = compare(Optional.empty(), a, b, c);
    Comparison second = compare(Optional.empty(), a, b);
    judge(first, VerdictKind.SINGLE_SELECTION, a.id().value());
    judge(first, VerdictKind.RANKING, b.id().value(), a.id().value());
    judge(second, VerdictKind.MULTI_SELECTION, a.id().value(), b.id().value());
    judge(second, VerdictKind.RANKING, a.id().value(), b.id().value());

    WinReport report = new WinReport();
    service.forEach(report::add);

    assertThat(report.comparisons()).isEqualTo(2);
    assertThat(report.judgments()).isEqualTo(4);
    List<Standing> standings = report.standings();
    assertThat(standings)
        .extracting(standing -> standing.model().name())
        .containsExactly("alpha", "beta", "gamma");
    Standing alphaStanding = standings.get(0);
    assertThat(alphaStanding.appearances()).isEqualTo(4);
    assertThat(alphaStanding.wins()).isEqualTo(3);
    assertThat(alphaStanding.winRate().getAsDouble()).isCloseTo(0.75, within(1e-9));
    assertThat(alphaStanding.rankings()).isEqualTo(2);
    assertThat(alphaStanding.meanRank().getAsDouble()).isCloseTo(1.5, within(1e-9));
    Standing betaStanding = standings.get(1);
    assertThat(betaStanding.wins()).isEqualTo(2);
    assertThat(betaStanding.winRate().getAsDouble()).isCloseTo(0.5, within(1e-9));
    Standing gammaStanding = standings.get(2);
    assertThat(gammaStanding.appearances()).isZero();
    assertThat(gammaStanding.winRate()).isEmpty();
    assertThat(gammaStanding.failedAnswers()).isEqualTo(1);
  }

  @Test
  void lists_comparisons_a_page_at_a_time_oldest_first() throws Exception {
    Comparison first = compare(Optional.empty(), a, b);
    Comparison second = compare(Optional.empty(), b, a);

    Page<Comparison> page = service.list(PageRequest.first(1));
    Page<Comparison> next = service.list(page.nextRequest(1).orElseThrow());

    assertThat(page.items()).extracting(Comparison::id).containsExactly(first.id());
    assertThat(next.items()).extracting(Comparison::id).containsExactly(second.id());
    assertThat(next.next()).isEmpty();
  }

  private Comparison compare(Optional<String> key, Model... models) throws InterruptedException {
    return service.compare(request(key, models));
  }

  private static ComparisonService.NewComparison request(Model... models) {
    return request(Optional.empty(), models);
  }

  private static ComparisonService.NewComparison request(Optional<String> key, Model... models) {
    return new ComparisonService.NewComparison(
        QUESTION,
        JSON.createObjectNode(),
        Arrays.stream(models)
            .map(model -> new ComparisonService.ModelChoice(model.id(), OptionalInt.empty()))
            .toList(),
        key);
  }

  private Judgment judge(Comparison comparison, VerdictKind kind, String... references) {
    return service.judge(
        comparison.id(), kind, List.of(references), Optional.empty(), Optional.empty());
  }

  private List<Problem> problems(Comparison comparison, VerdictKind kind, String... references) {
    try {
      judge(comparison, kind, references);
    } catch (FoundryException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
      return e.problems();
    }
    throw new AssertionError("the judgment was accepted");
  }
}
