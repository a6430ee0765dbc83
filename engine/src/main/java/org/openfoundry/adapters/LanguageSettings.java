package org.openfoundry.adapters;

import java.util.Optional;

/**
 * The options every language-model adapter shares: how answers are read, the system prompt and
 * prompt that ask for them, and how row images are sent.
 */
record LanguageSettings(
    Answers answers,
    Optional<String> systemPrompt,
    Optional<String> prompt,
    ImageInput imageInput) {

  static LanguageSettings read(Options options, ImageInput defaultImageInput) {
    return new LanguageSettings(
        Answers.read(options),
        options.string("system_prompt"),
        options.string("prompt"),
        options.choice("image_input", defaultImageInput, ImageInput.WORDS));
  }
}
