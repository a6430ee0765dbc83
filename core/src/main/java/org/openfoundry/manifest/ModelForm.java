package org.openfoundry.manifest;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The registration form, field by field as a person filled it in: data type (an asset type such as
 * {@code image}), name, HTTP endpoint, and an optional secret and description. {@link
 * Manifest#fromForm} checks it.
 */
public record ModelForm(
    String dataType,
    String name,
    String inferenceEndpoint,
    Optional<String> secret,
    Optional<String> description) {

  public ModelForm {
    requireNonNull(dataType, "dataType is null");
    requireNonNull(name, "name is null");
    requireNonNull(inferenceEndpoint, "inferenceEndpoint is null");
    requireNonNull(secret, "secret is null");
    requireNonNull(description, "description is null");
  }
}
