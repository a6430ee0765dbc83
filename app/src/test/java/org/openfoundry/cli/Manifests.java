package org.openfoundry.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manifests of a small box-and-radio model for the tests, written where a user keeps them. */
final class Manifests {
  /** What the fake endpoint answers: one box and one radio answer. */
  static final String RESPONSE =
      "{\"cat\": {\"boxes\": [[4, 6, 20, 10]], \"scores\": [0.9]}, \"label\": \"goldfish\"}";

  private Manifests() {}

  static String detector(String name, String endpoint) {
    return """
        name: %s
        inference_endpoint: %s
        requests_per_second: 50
        allowed_asset_types: [image]
        ontology:
          media_type: IMAGE
          tools:
            - name: cat
              tool: rectangle
          classifications:
            - name: label
              instructions: What fish is it?
              type: radio
              options:
                - {label: tench, value: tench}
                - {label: goldfish, value: goldfish}
        inference_params_json_schema:
          properties:
            confidence: {type: number, default: 0.25, minimum: 0, maximum: 1}
            prompt: {type: string, default: ""}
        """
        .formatted(name, endpoint);
  }

  static Path write(Path folder, String name, String text) {
    try {
      return Files.writeString(folder.resolve(name), text);
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
  }

  /** NDJSON image rows {@code prefix-1} to {@code prefix-count}. */
  static String imageRows(String prefix, int count) {
    StringBuilder rows = new StringBuilder();
    for (int index = 1; index <= count; index++) {
      rows.append(
          "{\"row_data\": \"https://img.example.com/%s-%d.jpg\", \"global_key\": \"%s-%d\", \"media_type\": \"image\"}\n"
              .formatted(prefix, index, prefix, index));
    }
    return rows.toString();
  }
}
