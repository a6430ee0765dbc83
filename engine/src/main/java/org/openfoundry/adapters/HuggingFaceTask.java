package org.openfoundry.adapters;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Hugging Face inference tasks the huggingface adapter reads, by their task names. */
enum HuggingFaceTask {
  OBJECT_DETECTION("object-detection", true),
  IMAGE_SEGMENTATION("image-segmentation", true),
  IMAGE_CLASSIFICATION("image-classification", true),
  TOKEN_CLASSIFICATION("token-classification", false),
  TEXT_CLASSIFICATION("text-classification", false),
  TEXT_GENERATION("text-generation", false);

  private final String word;
  private final boolean takesImages;

  HuggingFaceTask(String word, boolean takesImages) {
    this.word = word;
    this.takesImages = takesImages;
  }

  String word() {
    return word;
  }

  boolean takesImages() {
    return takesImages;
  }

  static Map<String, HuggingFaceTask> words() {
    Map<String, HuggingFaceTask> words = new LinkedHashMap<>();
    Arrays.stream(values()).forEach(task -> words.put(task.word, task));
    return words;
  }
}
