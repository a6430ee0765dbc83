package org.openfoundry.examples.language;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import opennlp.tools.postag.POSModel;
import opennlp.tools.postag.POSTagFormat;
import opennlp.tools.postag.POSTaggerME;
import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.tokenize.SimpleTokenizer;
import opennlp.tools.tokenize.Tokenizer;
import opennlp.tools.tokenize.TokenizerME;
import opennlp.tools.tokenize.TokenizerModel;

/**
 * The trained models for one language. The models are immutable and shared; the OpenNLP taggers
 * built on them keep per-call state, so each call makes its own. A language without a trained
 * tokenizer on the artifact repository (French) is split by OpenNLP's rule-based tokenizer.
 */
record Pipeline(
    String language, SentenceModel sentences, Optional<TokenizerModel> tokens, POSModel tags) {

  Pipeline {
    requireNonNull(language, "language is null");
    requireNonNull(sentences, "sentences is null");
    requireNonNull(tokens, "tokens is null");
    requireNonNull(tags, "tags is null");
  }

  SentenceDetectorME sentenceDetector() {
    return new SentenceDetectorME(sentences);
  }

  Tokenizer tokenizer() {
    return tokens.<Tokenizer>map(TokenizerME::new).orElse(SimpleTokenizer.INSTANCE);
  }

  POSTaggerME tagger() {
    return new POSTaggerME(tags, POSTagFormat.UD);
  }
}
