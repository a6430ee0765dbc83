package org.openfoundry.examples.language;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.postag.POSTaggerME;
import opennlp.tools.tokenize.Tokenizer;
import opennlp.tools.util.Span;

/** Runs the OpenNLP models over a text: language, then sentences, tokens and tags. */
final class TextAnalyser {
  private final TrainedModels models;

  TextAnalyser(TrainedModels models) {
    this.models = requireNonNull(models, "models is null");
  }

  Analysis analyse(String text) {
    Optional<Analysis.Detected> language = detect(text);
    Optional<Pipeline> pipeline = language.flatMap(found -> models.pipeline(found.code()));
    Pipeline splitter = pipeline.orElse(models.fallback());
    List<Analysis.Sentence> sentences = new ArrayList<>();
    for (Span span : splitter.sentenceDetector().sentPosDetect(text)) {
      List<Analysis.Token> tokens =
          pipeline.map(tagging -> tag(tagging, text, span)).orElse(List.of());
      sentences.add(new Analysis.Sentence(span.getStart(), span.getEnd(), tokens));
    }
    return new Analysis(text, language, sentences, pipeline.isPresent());
  }

  private Optional<Analysis.Detected> detect(String text) {
    if (text.codePoints().noneMatch(Character::isLetter)) {
      return Optional.empty();
    }
    Language[] ranked = new LanguageDetectorME(models.detector()).predictLanguages(text);
    if (ranked.length == 0 || ranked[0].getConfidence() <= 0) {
      return Optional.empty();
    }
    double runnerUp = ranked.length > 1 ? ranked[1].getConfidence() : 0;
    double confidence = 1 - runnerUp / ranked[0].getConfidence();
    return Optional.of(new Analysis.Detected(ranked[0].getLang(), confidence));
  }

  private static List<Analysis.Token> tag(Pipeline pipeline, String text, Span sentence) {
    String sentenceText = text.substring(sentence.getStart(), sentence.getEnd());
    Tokenizer tokenizer = pipeline.tokenizer();
    Span[] spans = tokenizer.tokenizePos(sentenceText);
    String[] words = Span.spansToStrings(spans, sentenceText);
    POSTaggerME tagger = pipeline.tagger();
    String[] tags = tagger.tag(words);
    double[] probabilities = tagger.probs();
    List<Analysis.Token> tokens = new ArrayList<>(spans.length);
    for (int index = 0; index < spans.length; index++) {
      tokens.add(
          new Analysis.Token(
              sentence.getStart() + spans[index].getStart(),
              sentence.getStart() + spans[index].getEnd(),
              tags[index],
              probabilities[index]));
    }
    return tokens;
  }
}
