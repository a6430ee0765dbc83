package org.openfoundry.manifest;

import java.net.URI;
import java.util.List;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a manifest's {@code adapter} and {@code adapter_options} while it is loaded, so that a
 * misspelt option or a broken mapping expression is reported at its line like any other problem.
 * The adapters live outside the core; the application passes their registry in.
 */
@FunctionalInterface
public interface AdapterCheck {
  /** Every problem, with paths {@code adapter} and {@code adapter_options.<key>}. */
  List<Problem> check(String adapter, URI endpoint, ObjectNode options);

  /** Accepts any adapter: for tools that read manifests without the adapters at hand. */
  static AdapterCheck none() {
    return (adapter, endpoint, options) -> List.of();
  }
}
