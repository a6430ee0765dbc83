package org.openfoundry.comparisons;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.openfoundry.directrun.ChatModel;
import org.openfoundry.models.ModelVersionId;

/**
 * Win rates per model version over stored comparisons and their judgments, best first (by win rate,
 * then by appearances). Gather comparisons with {@link #add}, then read {@link #standings}.
 */
public final class WinReport {
  private final Map<ModelVersionId, Tally> tallies = new LinkedHashMap<>();
  private long comparisons;
  private long judgments;

  /** Counts a comparison: its failed answers, and every judgment of it. */
  public void add(Comparison comparison) {
    comparisons++;
    for (Answer answer : comparison.answers()) {
      Tally tally = tally(answer.model());
      if (!answer.answered()) {
        tally.failedAnswers++;
      }
    }
    for (Judgment judgment : comparison.judgments()) {
      judgments++;
      count(comparison, judgment.verdict());
    }
  }

  public long comparisons() {
    return comparisons;
  }

  public long judgments() {
    return judgments;
  }

  /** Every model version seen, best first. */
  public List<Standing> standings() {
    List<Standing> standings = new ArrayList<>();
    for (Tally tally : tallies.values()) {
      standings.add(
          new Standing(
              tally.model,
              tally.appearances,
              tally.wins,
              tally.appearances == 0
                  ? OptionalDouble.empty()
                  : OptionalDouble.of((double) tally.wins / tally.appearances),
              tally.rankings,
              tally.rankings == 0
                  ? OptionalDouble.empty()
                  : OptionalDouble.of((double) tally.rankSum / tally.rankings),
              tally.failedAnswers));
    }
    standings.sort(
        Comparator.comparingDouble((Standing standing) -> standing.winRate().orElse(-1))
            .reversed()
            .thenComparing(Comparator.comparingLong(Standing::appearances).reversed())
            .thenComparing(standing -> standing.model().name()));
    return standings;
  }

  private void count(Comparison comparison, Verdict verdict) {
    for (Answer answer : comparison.answers()) {
      if (answer.answered()) {
        tally(answer.model()).appearances++;
      }
    }
    List<MessageId> named = verdict.messages();
    switch (verdict) {
      case Verdict.SingleSelection single -> win(comparison, single.selected());
      case Verdict.MultiSelection multi -> multi.selected().forEach(id -> win(comparison, id));
      case Verdict.Ranking ranking -> {
        win(comparison, ranking.bestFirst().getFirst());
        for (int place = 0; place < named.size(); place++) {
          Tally tally = tally(answer(comparison, named.get(place)).model());
          tally.rankings++;
          tally.rankSum += place + 1;
        }
      }
    }
  }

  private void win(Comparison comparison, MessageId id) {
    tally(answer(comparison, id).model()).wins++;
  }

  private static Answer answer(Comparison comparison, MessageId id) {
    return comparison
        .answer(id)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "comparison " + comparison.id() + " has no answer " + id));
  }

  private Tally tally(ChatModel model) {
    return tallies.computeIfAbsent(model.versionId(), key -> new Tally(model));
  }

  private static final class Tally {
    private final ChatModel model;
    private long appearances;
    private long wins;
    private long rankings;
    private long rankSum;
    private long failedAnswers;

    private Tally(ChatModel model) {
      this.model = model;
    }
  }
}
