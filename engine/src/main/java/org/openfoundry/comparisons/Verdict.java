package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;

/** What a person decided about a comparison's answers, naming them by message id. */
public sealed interface Verdict {
  VerdictKind kind();

  /** The answers the verdict names, in its order. */
  List<MessageId> messages();

  /** The one best answer. */
  record SingleSelection(MessageId selected) implements Verdict {
    public SingleSelection {
      requireNonNull(selected, "selected is null");
    }

    @Override
    public VerdictKind kind() {
      return VerdictKind.SINGLE_SELECTION;
    }

    @Override
    public List<MessageId> messages() {
      return List.of(selected);
    }
  }

  /** Every answer that is good enough; at least one. */
  record MultiSelection(List<MessageId> selected) implements Verdict {
    public MultiSelection {
      selected = distinct(selected, "selected");
    }

    @Override
    public VerdictKind kind() {
      return VerdictKind.MULTI_SELECTION;
    }

    @Override
    public List<MessageId> messages() {
      return selected;
    }
  }

  /** The answers best first; at least two. */
  record Ranking(List<MessageId> bestFirst) implements Verdict {
    public Ranking {
      bestFirst = distinct(bestFirst, "bestFirst");
      if (bestFirst.size() < 2) {
        throw new IllegalArgumentException("a ranking orders at least two answers");
      }
    }

    @Override
    public VerdictKind kind() {
      return VerdictKind.RANKING;
    }

    @Override
    public List<MessageId> messages() {
      return bestFirst;
    }
  }

  private static List<MessageId> distinct(List<MessageId> ids, String name) {
    List<MessageId> copy = List.copyOf(requireNonNull(ids, name + " is null"));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(name + " names no answer");
    }
    if (new HashSet<>(copy).size() != copy.size()) {
      throw new IllegalArgumentException(name + " names an answer twice");
    }
    return copy;
  }
}
