package org.openfoundry.adapters;

import java.net.URI;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A model behind the {@code openai} adapter for tests that run it end to end: its manifest, and the
 * chat completion its fake vendor answers with.
 */
public final class OpenAiVendor {
  /** The model name the manifest's adapter options send in every request. */
  public static final String MODEL = "vision-test";

  private OpenAiVendor() {}

  /**
   * An image model that answers a radio classification {@code weather} in JSON, at the chat
   * completions path of {@code vendor}; more top-level keys (e.g. {@code secrets}) may follow.
   */
  public static String manifest(String name, URI vendor) {
    return """
        name: %s
        inference_endpoint: %s
        allowed_asset_types: [image]
        ontology:
          media_type: IMAGE
          classifications:
            - name: weather
              type: radio
              options:
                - {label: sunny, value: sunny}
                - {label: rainy, value: rainy}
        adapter: openai
        adapter_options:
          model: %s
          answer: json
        """
        .formatted(name, vendor.resolve("/v1/chat/completions"), MODEL);
  }

  /** A chat completion whose message content is {@code content}, with the id "chatcmpl-1". */
  public static String chatCompletion(String content) {
    return """
        {"id": "chatcmpl-1", "object": "chat.completion", "model": "%s",
         "choices": [{"index": 0, "finish_reason": "stop",
                      "message": {"role": "assistant", "content": %s}}],
         "usage": {"prompt_tokens": 120, "completion_tokens": 6, "total_tokens": 126}}
        """
        .formatted(MODEL, JsonNodeFactory.instance.stringNode(content));
  }
}
