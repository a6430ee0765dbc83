package org.openfoundry.examples.language;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What the OpenNLP models found in one text: its language with a confidence, its sentences, and
 * (where the language has a tagger) the tokens of each sentence with their Universal Dependencies
 * part-of-speech tag and the tagger's probability for it. Offsets are UTF-16 indexes into the text,
 * end exclusive.
 */
record Analysis(
    String text, Optional<Detected> language, List<Sentence> sentences, boolean tagged) {

  Analysis {
    requireNonNull(text, "text is null");
    requireNonNull(language, "language is null");
    sentences = List.copyOf(sentences);
  }

  /**
   * The most likely language (ISO 639-3) and a confidence: one minus the ratio of the runner-up's
   * probability to the winner's, so 0 is a tie and 1 is no contest. The detector spreads its
   * probability over 103 languages, so the raw winning probability is low even when it is right.
   */
  record Detected(String code, double confidence) {
    Detected {
      requireNonNull(code, "code is null");
    }
  }

  record Sentence(int start, int end, List<Token> tokens) {
    Sentence {
      tokens = List.copyOf(tokens);
    }
  }

  record Token(int start, int end, String tag, double probability) {
    Token {
      requireNonNull(tag, "tag is null");
    }
  }
}
