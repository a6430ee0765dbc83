package org.openfoundry.adapters;

import org.openfoundry.chat.Conversation;
import tools.jackson.databind.node.ObjectNode;

/**
 * Speaks one vendor's format to one model endpoint, configured by the manifest's {@code adapter}
 * and {@code adapter_options}. Implementations are immutable and safe to share between threads.
 */
public interface Adapter {
  /** The registry name: {@code openfoundry}, {@code openai}, ... */
  String name();

  /**
   * Predicts one data row; the result's {@code response} is our task response.
   *
   * @throws AdapterException when the endpoint fails or answers what cannot be read
   */
  AdapterResult run(TaskInput input, EndpointTransport transport);

  /**
   * Sends a conversation straight to the model; the result holds the raw response and the
   * assistant's text where found. Image URLs still in the conversation are passed on where the
   * vendor takes URLs.
   *
   * @throws AdapterException when the endpoint fails or answers what cannot be read
   */
  AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport);
}
