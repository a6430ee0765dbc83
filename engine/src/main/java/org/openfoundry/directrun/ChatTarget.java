package org.openfoundry.directrun;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.openfoundry.adapters.Adapter;
import org.openfoundry.dispatch.EndpointCall;
import org.openfoundry.models.SecretValue;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model version ready for a conversation: its adapter, how to call its endpoint, its secret and
 * the inference parameters, checked against its schema with defaults filled in.
 */
public final class ChatTarget {
  private final ChatModel model;
  private final Adapter adapter;
  private final EndpointCall call;
  private final Optional<SecretValue> secret;
  private final ObjectNode params;

  ChatTarget(
      ChatModel model,
      Adapter adapter,
      EndpointCall call,
      Optional<SecretValue> secret,
      ObjectNode params) {
    this.model = requireNonNull(model, "model is null");
    this.adapter = requireNonNull(adapter, "adapter is null");
    this.call = requireNonNull(call, "call is null");
    this.secret = requireNonNull(secret, "secret is null");
    this.params = requireNonNull(params, "params is null").deepCopy();
  }

  public ChatModel model() {
    return model;
  }

  /** The parameters sent to the model. */
  public ObjectNode params() {
    return params.deepCopy();
  }

  Adapter adapter() {
    return adapter;
  }

  EndpointCall call() {
    return call;
  }

  Optional<SecretValue> secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "ChatTarget[" + model + ", adapter=" + adapter.name() + "]";
  }
}
