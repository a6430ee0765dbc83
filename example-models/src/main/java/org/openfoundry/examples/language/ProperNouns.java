package org.openfoundry.examples.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.openfoundry.examples.endpoint.Answer;

/**
 * Entity spans from part-of-speech tags: a run of tokens tagged {@code PROPN} (proper noun) within
 * one sentence is one span. The run goes on across spaces, across a hyphen with no spaces round it
 * ("Baden-Baden") and across a lower-case "of"-like preposition between two proper nouns
 * ("University of Leeds", "Banco de España"). A span is kept when its least sure tag is at least as
 * probable as the confidence asked for. This is not a trained entity recogniser (none is published
 * on the artifact repository): it finds names, but gives them no type and takes titles such as
 * "Mayor" when the tagger calls them names.
 */
final class ProperNouns {
  private static final String PROPER_NOUN = "PROPN";
  private static final String PREPOSITION = "ADP";
  private static final Set<String> CONNECTORS = Set.of("of", "de", "du", "von", "van", "del", "di");

  private ProperNouns() {}

  static List<Answer.EntitySpan> spans(Analysis analysis, double confidence) {
    List<Answer.EntitySpan> spans = new ArrayList<>();
    for (Analysis.Sentence sentence : analysis.sentences()) {
      List<Analysis.Token> tokens = sentence.tokens();
      int index = 0;
      while (index < tokens.size()) {
        if (!tokens.get(index).tag().equals(PROPER_NOUN)) {
          index++;
          continue;
        }
        int first = index;
        double least = tokens.get(index).probability();
        while (joins(analysis.text(), tokens, index)) {
          index += tokens.get(index + 1).tag().equals(PROPER_NOUN) ? 1 : 2;
          least = Math.min(least, tokens.get(index).probability());
        }
        if (least >= confidence) {
          int start = tokens.get(first).start();
          int end = tokens.get(index).end();
          spans.add(new Answer.EntitySpan(start, end, analysis.text().substring(start, end)));
        }
        index++;
      }
    }
    return spans;
  }

  /** Whether the proper noun at {@code index} continues into the next one. */
  private static boolean joins(String text, List<Analysis.Token> tokens, int index) {
    if (index + 1 >= tokens.size()) {
      return false;
    }
    Analysis.Token current = tokens.get(index);
    Analysis.Token next = tokens.get(index + 1);
    if (next.tag().equals(PROPER_NOUN)) {
      return text.substring(current.end(), next.start()).isBlank();
    }
    if (index + 2 >= tokens.size() || !tokens.get(index + 2).tag().equals(PROPER_NOUN)) {
      return false;
    }
    Analysis.Token after = tokens.get(index + 2);
    String between = text.substring(next.start(), next.end());
    boolean hyphen =
        between.equals("-") && current.end() == next.start() && next.end() == after.start();
    boolean connector =
        next.tag().equals(PREPOSITION)
            && CONNECTORS.contains(between)
            && text.substring(current.end(), next.start()).isBlank()
            && text.substring(next.end(), after.start()).isBlank();
    return hyphen || connector;
  }
}
