package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;
import org.openfoundry.adapters.TokenUsage;
import org.openfoundry.chat.ChatRequest;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.chat.ConversationParser;
import org.openfoundry.comparisons.Answer;
import org.openfoundry.comparisons.Comparison;
import org.openfoundry.comparisons.ComparisonId;
import org.openfoundry.comparisons.ComparisonRepository;
import org.openfoundry.comparisons.Judgment;
import org.openfoundry.comparisons.JudgmentId;
import org.openfoundry.comparisons.MessageId;
import org.openfoundry.comparisons.Verdict;
import org.openfoundry.comparisons.VerdictKind;
import org.openfoundry.directrun.ChatAnswer;
import org.openfoundry.directrun.ChatFailure;
import org.openfoundry.directrun.ChatModel;
import org.openfoundry.directrun.ChatOutcome;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * Comparisons in the store: the conversation as our chat request JSON, one row per answer with the
 * raw response as the endpoint sent it, one row per judgment. A page reads its comparisons, then
 * their answers and judgments in one query each.
 */
public final class JdbiComparisonRepository implements ComparisonRepository {
  private static final String ANSWERED = "ANSWERED";
  private static final String FAILED = "FAILED";
  private static final String ANSWER_COLUMNS =
      "id, comparison_id, position, model_id, model_version_id, model_version, model_name,"
          + " outcome, status, raw_response, assistant_text, input_tokens, output_tokens,"
          + " total_tokens, latency_ms, elapsed_ms, attempts, error_code, error_message";

  private final Database database;
  private final ConversationParser conversations;

  /** Reads stored conversations back within {@code limits}, those they were accepted under. */
  public JdbiComparisonRepository(Database database, ConversationLimits limits) {
    this.database = requireNonNull(database, "database is null");
    this.conversations = new ConversationParser(requireNonNull(limits, "limits is null"));
  }

  @Override
  public void insert(Comparison comparison) {
    requireNonNull(comparison, "comparison is null");
    database.write(
        handle -> {
          handle
              .createUpdate(
                  """
                  INSERT INTO chat_comparisons
                    (id, global_key, prompt_message_id, conversation, created_at)
                  VALUES (:id, :key, :prompt, :conversation, :created)
                  """)
              .bind("id", comparison.id().value())
              .bind("key", comparison.globalKey().orElse(null))
              .bind("prompt", comparison.promptMessageId().value())
              .bind(
                  "conversation",
                  Json.write(
                      new ChatRequest(comparison.conversation(), comparison.inferenceParams())
                          .toJson()))
              .bind("created", comparison.createdAt().toEpochMilli())
              .execute();
          for (int position = 0; position < comparison.answers().size(); position++) {
            insertAnswer(handle, comparison.id(), position, comparison.answers().get(position));
          }
          return null;
        });
  }

  @Override
  public Optional<Comparison> get(ComparisonId id) {
    requireNonNull(id, "id is null");
    return database.read(
        handle -> {
          List<Stored> stored =
              handle
                  .createQuery("SELECT * FROM chat_comparisons WHERE id = :id")
                  .bind("id", id.value())
                  .map((resultSet, context) -> stored(resultSet))
                  .list();
          return complete(handle, stored).stream().findFirst();
        });
  }

  @Override
  public Page<Comparison> list(PageRequest page) {
    requireNonNull(page, "page is null");
    Optional<String> after = Cursors.decode(page.cursor());
    List<Comparison> rows =
        database.read(
            handle ->
                complete(
                    handle,
                    handle
                        .createQuery(
                            "SELECT * FROM chat_comparisons WHERE id > :after"
                                + " ORDER BY id LIMIT :limit")
                        .bind("after", after.orElse(""))
                        .bind("limit", page.limit() + 1)
                        .map((resultSet, context) -> stored(resultSet))
                        .list()));
    return Pages.of(rows, page, comparison -> Cursors.encode(comparison.id().value()));
  }

  @Override
  public void addJudgment(Judgment judgment) {
    requireNonNull(judgment, "judgment is null");
    database.write(
        handle ->
            handle
                .createUpdate(
                    """
                    INSERT INTO chat_judgments
                      (id, comparison_id, kind, feature, messages, judge, created_at)
                    VALUES (:id, :comparison, :kind, :feature, :messages, :judge, :created)
                    """)
                .bind("id", judgment.id().value())
                .bind("comparison", judgment.comparisonId().value())
                .bind("kind", judgment.verdict().kind().name())
                .bind("feature", judgment.feature())
                .bind(
                    "messages",
                    Json.writeStrings(
                        judgment.verdict().messages().stream().map(MessageId::value).toList()))
                .bind("judge", judgment.judge().orElse(null))
                .bind("created", judgment.createdAt().toEpochMilli())
                .execute());
  }

  private static void insertAnswer(
      Handle handle, ComparisonId comparison, int position, Answer answer) {
    ChatModel model = answer.model();
    Update update =
        handle
            .createUpdate(
                "INSERT INTO chat_answers ("
                    + ANSWER_COLUMNS
                    + ") VALUES (:id, :comparison, :position, :model, :version_id, :version,"
                    + " :name, :outcome, :status, :raw, :text, :input, :output, :total,"
                    + " :latency, :elapsed, :attempts, :code, :message)")
            .bind("id", answer.id().value())
            .bind("comparison", comparison.value())
            .bind("position", position)
            .bind("model", model.id().value())
            .bind("version_id", model.versionId().value())
            .bind("version", model.version())
            .bind("name", model.name())
            .bind("attempts", answer.outcome().attempts())
            .bind("elapsed", answer.outcome().elapsed().toMillis());
    switch (answer.outcome()) {
      case ChatAnswer answered ->
          update
              .bind("outcome", ANSWERED)
              .bind("status", answered.status())
              .bind("raw", StoredText.of(answered.rawResponse()))
              .bind("text", StoredText.of(answered.assistantText().orElse(null)))
              .bind("input", answered.usage().map(TokenUsage::inputTokens).orElse(null))
              .bind("output", answered.usage().map(TokenUsage::outputTokens).orElse(null))
              .bind("total", answered.usage().map(TokenUsage::totalTokens).orElse(null))
              .bind("latency", answered.latency().toMillis())
              .bind("code", (String) null)
              .bind("message", (String) null);
      case ChatFailure failure ->
          update
              .bind("outcome", FAILED)
              .bind("status", failure.status().isPresent() ? failure.status().getAsInt() : null)
              .bind("raw", (String) null)
              .bind("text", (String) null)
              .bind("input", (Long) null)
              .bind("output", (Long) null)
              .bind("total", (Long) null)
              .bind("latency", 0L)
              .bind("code", failure.code().name())
              .bind("message", StoredText.of(failure.message()));
    }
    update.execute();
  }

  /** A comparison row before its answers and judgments are read. */
  private record Stored(
      ComparisonId id,
      Optional<String> globalKey,
      MessageId promptMessageId,
      String conversation,
      Instant createdAt) {}

  private static Stored stored(ResultSet resultSet) throws SQLException {
    return new Stored(
        new ComparisonId(resultSet.getString("id")),
        Optional.ofNullable(resultSet.getString("global_key")),
        new MessageId(resultSet.getString("prompt_message_id")),
        resultSet.getString("conversation"),
        Instant.ofEpochMilli(resultSet.getLong("created_at")));
  }

  private List<Comparison> complete(Handle handle, List<Stored> stored) {
    if (stored.isEmpty()) {
      return List.of();
    }
    List<String> ids = stored.stream().map(row -> row.id().value()).toList();
    Map<String, List<Answer>> answers = new HashMap<>();
    handle
        .createQuery(
            "SELECT "
                + ANSWER_COLUMNS
                + " FROM chat_answers WHERE comparison_id IN (<ids>)"
                + " ORDER BY comparison_id, position")
        .bindList("ids", ids)
        .map(
            (resultSet, context) ->
                Map.entry(resultSet.getString("comparison_id"), answer(resultSet)))
        .forEach(
            entry ->
                answers
                    .computeIfAbsent(entry.getKey(), key -> new ArrayList<>())
                    .add(entry.getValue()));
    Map<String, List<Judgment>> judgments = new HashMap<>();
    handle
        .createQuery(
            "SELECT * FROM chat_judgments WHERE comparison_id IN (<ids>)"
                + " ORDER BY comparison_id, id")
        .bindList("ids", ids)
        .map((resultSet, context) -> judgment(resultSet))
        .forEach(
            judgment ->
                judgments
                    .computeIfAbsent(judgment.comparisonId().value(), key -> new ArrayList<>())
                    .add(judgment));
    List<Comparison> comparisons = new ArrayList<>();
    for (Stored row : stored) {
      ChatRequest request =
          conversations.parseChatRequest(Json.read(row.conversation(), "conversation"));
      comparisons.add(
          new Comparison(
              row.id(),
              row.globalKey(),
              row.promptMessageId(),
              request.conversation(),
              request.inferenceParams(),
              answers.getOrDefault(row.id().value(), List.of()),
              judgments.getOrDefault(row.id().value(), List.of()),
              row.createdAt()));
    }
    return comparisons;
  }

  private static Answer answer(ResultSet resultSet) throws SQLException {
    ChatModel model =
        new ChatModel(
            new ModelId(resultSet.getString("model_id")),
            new ModelVersionId(resultSet.getString("model_version_id")),
            resultSet.getInt("model_version"),
            resultSet.getString("model_name"));
    int attempts = resultSet.getInt("attempts");
    Duration elapsed = Duration.ofMillis(resultSet.getLong("elapsed_ms"));
    int status = resultSet.getInt("status");
    OptionalInt lastStatus = resultSet.wasNull() ? OptionalInt.empty() : OptionalInt.of(status);
    MessageId id = new MessageId(resultSet.getString("id"));
    String outcome = resultSet.getString("outcome");
    if (outcome.equals(FAILED)) {
      return new Answer(
          id,
          new ChatFailure(
              model,
              errorCode(resultSet.getString("error_code")),
              resultSet.getString("error_message"),
              lastStatus,
              attempts,
              elapsed));
    }
    long input = resultSet.getLong("input_tokens");
    Optional<TokenUsage> usage =
        resultSet.wasNull()
            ? Optional.empty()
            : Optional.of(
                new TokenUsage(
                    input, resultSet.getLong("output_tokens"), resultSet.getLong("total_tokens")));
    ChatOutcome answered =
        new ChatAnswer(
            model,
            lastStatus.orElse(200),
            resultSet.getString("raw_response"),
            Optional.ofNullable(resultSet.getString("assistant_text")),
            usage,
            Duration.ofMillis(resultSet.getLong("latency_ms")),
            attempts,
            elapsed);
    return new Answer(id, answered);
  }

  private static Judgment judgment(ResultSet resultSet) throws SQLException {
    List<MessageId> messages =
        Json.readStrings(resultSet.getString("messages"), "judgment").stream()
            .map(MessageId::new)
            .toList();
    VerdictKind kind = VerdictKind.valueOf(resultSet.getString("kind"));
    Verdict verdict =
        switch (kind) {
          case SINGLE_SELECTION -> new Verdict.SingleSelection(messages.getFirst());
          case MULTI_SELECTION -> new Verdict.MultiSelection(messages);
          case RANKING -> new Verdict.Ranking(messages);
        };
    return new Judgment(
        new JudgmentId(resultSet.getString("id")),
        new ComparisonId(resultSet.getString("comparison_id")),
        resultSet.getString("feature"),
        verdict,
        Optional.ofNullable(resultSet.getString("judge")),
        Instant.ofEpochMilli(resultSet.getLong("created_at")));
  }

  private static ErrorCode errorCode(String name) {
    try {
      return ErrorCode.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new FoundryException(
          ErrorCode.INTERNAL, "a stored answer has an unknown error code: " + name);
    }
  }
}
