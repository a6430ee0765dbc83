package org.openfoundry.manifest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.openfoundry.problems.Problem;

/** A manifest that loaded, with the warnings about it (unknown keys, say) to show its author. */
public record LoadedManifest(Manifest manifest, List<Problem> warnings) {
  public LoadedManifest {
    requireNonNull(manifest, "manifest is null");
    warnings = List.copyOf(warnings);
  }
}
