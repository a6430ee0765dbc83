package org.openfoundry.examples.language;

/** The language model loaded once for all test classes: loading takes a few seconds. */
public final class LoadedLanguageModel {
  private static LanguageAnalysisModel model;

  private LoadedLanguageModel() {}

  public static synchronized LanguageAnalysisModel get() {
    if (model == null) {
      model = LanguageAnalysisModel.load();
    }
    return model;
  }
}
