package org.openfoundry.examples.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.postag.POSModel;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.tokenize.TokenizerModel;

/**
 * Loads the OpenNLP models from the class path, where their Maven artifacts put them. The file
 * names carry the model release, so upgrading the artifacts means updating them here; a missing
 * file fails start-up with its name.
 */
final class TrainedModels {
  private static final String LANGUAGE_DETECTOR = "/langdetect-183.bin";
  private static final String UD_RELEASE = "1.3-2.5.4";

  private final LanguageDetectorModel detector;
  private final Map<String, Pipeline> pipelines;

  private TrainedModels(LanguageDetectorModel detector, Map<String, Pipeline> pipelines) {
    this.detector = detector;
    this.pipelines = Map.copyOf(pipelines);
  }

  static TrainedModels load() {
    LanguageDetectorModel detector = read(LANGUAGE_DETECTOR, LanguageDetectorModel::new);
    return new TrainedModels(
        detector,
        Map.of(
            "eng", pipeline("eng", "en-ud-ewt", true),
            "deu", pipeline("deu", "de-ud-gsd", true),
            "fra", pipeline("fra", "fr-ud-gsd", false)));
  }

  LanguageDetectorModel detector() {
    return detector;
  }

  /** The pipeline of an ISO 639-3 language code, if there is one. */
  Optional<Pipeline> pipeline(String language) {
    return Optional.ofNullable(pipelines.get(language));
  }

  /** English sentence splitting, for languages without their own sentence model. */
  Pipeline fallback() {
    return pipelines.get("eng");
  }

  private static Pipeline pipeline(String language, String treebank, boolean hasTokenizer) {
    String prefix = "/opennlp-" + treebank + "-";
    String suffix = "-" + UD_RELEASE + ".bin";
    return new Pipeline(
        language,
        read(prefix + "sentence" + suffix, SentenceModel::new),
        hasTokenizer
            ? Optional.of(read(prefix + "tokens" + suffix, TokenizerModel::new))
            : Optional.empty(),
        read(prefix + "pos" + suffix, POSModel::new));
  }

  private interface Reader<T> {
    T read(InputStream in) throws IOException;
  }

  private static <T> T read(String resource, Reader<T> reader) {
    try (InputStream in = TrainedModels.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the OpenNLP model " + resource + " is not on the class path");
      }
      return reader.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OpenNLP model " + resource, e);
    }
  }
}
