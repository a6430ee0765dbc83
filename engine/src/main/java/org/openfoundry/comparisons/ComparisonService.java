package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

import com.github.f4b6a3.ulid.UlidCreator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import org.openfoundry.chat.Conversation;
import org.openfoundry.directrun.ChatFailure;
import org.openfoundry.directrun.ChatOutcome;
import org.openfoundry.directrun.ChatService;
import org.openfoundry.directrun.ChatTarget;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs comparisons: checks that every model can take the conversation before any is called, sends
 * it to all of them at once (each call under its model's limits, as a chat call), stores the
 * conversation and every answer, and records judgments against the answers.
 */
public final class ComparisonService {
  /** The most models one comparison may ask. */
  public static final int MAX_MODELS = 10;

  private static final int EXPORT_PAGE = 100;

  /** A model to ask: its latest version, or the version of that number. */
  public record ModelChoice(ModelId model, OptionalInt version) {
    public ModelChoice {
      requireNonNull(model, "model is null");
      requireNonNull(version, "version is null");
    }
  }

  /** What a comparison is asked for. */
  public record NewComparison(
      Conversation conversation,
      ObjectNode inferenceParams,
      List<ModelChoice> models,
      Optional<String> globalKey) {
    public NewComparison {
      requireNonNull(conversation, "conversation is null");
      inferenceParams = requireNonNull(inferenceParams, "inferenceParams is null").deepCopy();
      models = List.copyOf(models);
      requireNonNull(globalKey, "globalKey is null");
    }

    @Override
    public ObjectNode inferenceParams() {
      return inferenceParams.deepCopy();
    }
  }

  /** Hears each answer of a comparison as it comes, before the comparison is stored. */
  @FunctionalInterface
  public interface AnswerListener {
    /**
     * The answer (or failure) of the model at {@code index} of the models asked; called on the
     * thread that asked for the comparison, once per model, in the order the answers came.
     */
    void answered(int index, Answer answer);
  }

  private final ChatService chat;
  private final ComparisonRepository comparisons;
  private final Clock clock;

  public ComparisonService(ChatService chat, ComparisonRepository comparisons, Clock clock) {
    this.chat = requireNonNull(chat, "chat is null");
    this.comparisons = requireNonNull(comparisons, "comparisons is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Sends the conversation to every model at once and stores what each answered; a model that fails
   * is stored as failed, the others' answers stand.
   *
   * @throws FoundryException when a model cannot take the conversation (each problem under {@code
   *     models[i]}), or when the conversation's attachments cannot be inlined; nothing is called
   *     then
   */
  public Comparison compare(NewComparison request) throws InterruptedException {
    return compare(request, (index, answer) -> {});
  }

  /**
   * Like {@link #compare(NewComparison)}, and hands each answer to {@code listener} as soon as it
   * comes, with the message id it is stored under.
   */
  public Comparison compare(NewComparison request, AnswerListener listener)
      throws InterruptedException {
    requireNonNull(request, "request is null");
    requireNonNull(listener, "listener is null");
    List<ChatTarget> targets = targets(request);
    Conversation conversation = chat.attachments(request.conversation(), request.inferenceParams());
    List<Answer> answers = callAll(targets, conversation, listener);
    Comparison comparison =
        new Comparison(
            new ComparisonId(ComparisonId.PREFIX + ulid()),
            request.globalKey(),
            new MessageId(MessageId.PREFIX + ulid()),
            conversation,
            request.inferenceParams(),
            answers,
            List.of(),
            clock.instant());
    comparisons.insert(comparison);
    return comparison;
  }

  /**
   * Records a verdict on the comparison's answers. {@code references} name answers by their message
   * id ({@code msg_...}) or by their model's id ({@code mdl_...}): one for a single selection, one
   * or more for a multi selection, and every answer, best first, for a ranking.
   *
   * @throws FoundryException {@code NOT_FOUND} for an unknown comparison, {@code INVALID_INPUT}
   *     with a problem for each reference that names no answer, a failed one or one twice
   */
  public Judgment judge(
      ComparisonId id,
      VerdictKind kind,
      List<String> references,
      Optional<String> feature,
      Optional<String> judge) {
    requireNonNull(kind, "kind is null");
    Comparison comparison = get(id);
    Problems problems = new Problems();
    List<MessageId> named = resolve(comparison, kind, references, problems);
    String featureName = feature.orElse(kind.defaultFeature());
    if (featureName.isBlank()) {
      problems.error("feature", "expected the name of a Labelbox ontology feature, got \"\"");
    }
    if (kind == VerdictKind.RANKING && !problems.hasErrors()) {
      checkCompleteRanking(comparison, named, problems);
    }
    problems.throwIfErrors(ErrorCode.INVALID_INPUT, "invalid judgment");
    Verdict verdict =
        switch (kind) {
          case SINGLE_SELECTION -> new Verdict.SingleSelection(named.getFirst());
          case MULTI_SELECTION -> new Verdict.MultiSelection(named);
          case RANKING -> new Verdict.Ranking(named);
        };
    Judgment judgment =
        new Judgment(
            new JudgmentId(JudgmentId.PREFIX + ulid()),
            comparison.id(),
            featureName,
            verdict,
            judge,
            clock.instant());
    comparisons.addJudgment(judgment);
    return judgment;
  }

  /**
   * The comparison with its answers and judgments.
   *
   * @throws FoundryException {@code NOT_FOUND} when there is none with this id
   */
  public Comparison get(ComparisonId id) {
    requireNonNull(id, "id is null");
    return comparisons
        .get(id)
        .orElseThrow(
            () -> new FoundryException(ErrorCode.NOT_FOUND, "no comparison with id " + id));
  }

  public Page<Comparison> list(PageRequest page) {
    return comparisons.list(page);
  }

  /** Hands every stored comparison, oldest first, to {@code each}, a page at a time. */
  public void forEach(Consumer<Comparison> each) {
    Optional<PageRequest> next = Optional.of(PageRequest.first(EXPORT_PAGE));
    while (next.isPresent()) {
      Page<Comparison> page = comparisons.list(next.get());
      page.items().forEach(each);
      next = page.nextRequest(EXPORT_PAGE);
    }
  }

  private List<ChatTarget> targets(NewComparison request) {
    Problems problems = new Problems();
    if (request.models().size() < 2 || request.models().size() > MAX_MODELS) {
      problems.error(
          "models",
          "expected 2 to " + MAX_MODELS + " models to compare, got " + request.models().size());
    }
    ErrorCode code = ErrorCode.INVALID_INPUT;
    boolean first = true;
    List<ChatTarget> targets = new ArrayList<>();
    Set<ModelVersionId> seen = new HashSet<>();
    JsonNode params = request.inferenceParams();
    for (int index = 0; index < request.models().size(); index++) {
      ModelChoice choice = request.models().get(index);
      String path = "models[" + index + "]";
      try {
        ChatTarget target = chat.target(choice.model(), choice.version(), params);
        if (!seen.add(target.model().versionId())) {
          problems.error(
              path,
              "asks version " + target.model().version() + " of " + choice.model() + " twice");
        }
        targets.add(target);
      } catch (FoundryException e) {
        if (first) {
          code = e.code();
          first = false;
        }
        report(e, path, problems);
      }
    }
    problems.throwIfErrors(code, "cannot send the conversation to every model");
    return targets;
  }

  private static void report(FoundryException failure, String path, Problems problems) {
    if (failure.problems().isEmpty()) {
      problems.error(path, failure.getMessage());
      return;
    }
    for (Problem problem : failure.problems()) {
      problems.error(
          problem.path().isEmpty() ? path : path + "." + problem.path(), problem.message());
    }
  }

  /** Calls every model at once; each answer goes to the listener as it comes, in its slot. */
  private List<Answer> callAll(
      List<ChatTarget> targets, Conversation conversation, AnswerListener listener)
      throws InterruptedException {
    List<MessageId> ids = new ArrayList<>();
    targets.forEach(target -> ids.add(new MessageId(MessageId.PREFIX + ulid())));
    Answer[] answers = new Answer[targets.size()];
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletionService<Integer> done = new ExecutorCompletionService<>(calls);
      List<Future<ChatOutcome>> pending = new ArrayList<>();
      for (int index = 0; index < targets.size(); index++) {
        ChatTarget target = targets.get(index);
        FutureTask<ChatOutcome> call = new FutureTask<>(() -> chat.call(target, conversation));
        pending.add(call);
        done.submit(call, index);
      }
      for (int count = 0; count < targets.size(); count++) {
        int index = waitFor(done);
        answers[index] =
            new Answer(ids.get(index), outcome(pending.get(index), targets.get(index)));
        listener.answered(index, answers[index]);
      }
    }
    return List.of(answers);
  }

  private static int waitFor(CompletionService<Integer> done) throws InterruptedException {
    try {
      return done.take().get();
    } catch (ExecutionException impossible) {
      // The slot's task is a FutureTask that keeps its own failure, so the slot itself never fails.
      throw new IllegalStateException(impossible);
    }
  }

  private static ChatOutcome outcome(Future<ChatOutcome> pending, ChatTarget target)
      throws InterruptedException {
    try {
      return pending.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new ChatFailure(
          target.model(),
          cause instanceof FoundryException known ? known.code() : ErrorCode.INTERNAL,
          String.valueOf(cause.getMessage()),
          OptionalInt.empty(),
          0,
          Duration.ZERO);
    }
  }

  private static List<MessageId> resolve(
      Comparison comparison, VerdictKind kind, List<String> references, Problems problems) {
    String field = kind == VerdictKind.RANKING ? "ranking" : "selected";
    if (references.isEmpty()) {
      problems.error(field, "expected at least one answer, got none");
      return List.of();
    }
    List<MessageId> named = new ArrayList<>();
    for (int index = 0; index < references.size(); index++) {
      String path = kind == VerdictKind.SINGLE_SELECTION ? field : field + "[" + index + "]";
      Optional<Answer> answer = find(comparison, references.get(index), path, problems);
      if (answer.isEmpty()) {
        continue;
      }
      if (!answer.get().answered()) {
        problems.error(
            path,
            "model "
                + answer.get().model().name()
                + " gave no answer in this comparison, so it cannot be picked");
      } else if (named.contains(answer.get().id())) {
        problems.error(path, "names the answer of " + answer.get().model().name() + " twice");
      } else {
        named.add(answer.get().id());
      }
    }
    return named;
  }

  private static Optional<Answer> find(
      Comparison comparison, String reference, String path, Problems problems) {
    Optional<Answer> answer = Optional.empty();
    if (reference.startsWith(MessageId.PREFIX) && reference.length() > MessageId.PREFIX.length()) {
      answer = comparison.answer(new MessageId(reference));
    } else if (reference.startsWith(ModelId.PREFIX)
        && reference.length() > ModelId.PREFIX.length()) {
      answer = comparison.answerOf(new ModelId(reference));
    } else {
      problems.error(
          path,
          "expected an answer's message id (msg_...) or a model id (mdl_...), got \""
              + reference
              + "\"");
      return Optional.empty();
    }
    if (answer.isEmpty()) {
      problems.error(
          path,
          "comparison "
              + comparison.id()
              + " has no answer \""
              + reference
              + "\"; its answers are "
              + String.join(
                  ", ",
                  comparison.answers().stream()
                      .map(known -> known.id() + " (" + known.model().name() + ")")
                      .toList()));
    }
    return answer;
  }

  private static void checkCompleteRanking(
      Comparison comparison, List<MessageId> ranked, Problems problems) {
    List<String> missing =
        comparison.answers().stream()
            .filter(Answer::answered)
            .filter(answer -> !ranked.contains(answer.id()))
            .map(answer -> answer.id() + " (" + answer.model().name() + ")")
            .toList();
    if (!missing.isEmpty()) {
      problems.error(
          "ranking",
          "a ranking orders every answer the models gave; it leaves out "
              + String.join(", ", missing));
    } else if (ranked.size() < 2) {
      problems.error("ranking", "only one model answered: there is nothing to rank");
    }
  }

  private static String ulid() {
    return UlidCreator.getMonotonicUlid().toString();
  }
}
