/**
 * The {@code model.yaml} manifest that registers a model: loading it safely from YAML with every
 * problem placed at its line and column, the {@link org.openfoundry.manifest.Manifest} record and
 * its endpoint options, the rules that tie its ontology to its asset types and feature kinds, its
 * canonical JSON for immutable model versions (secrets left out), and the registration form that
 * builds a manifest through the same checks.
 */
package org.openfoundry.manifest;
