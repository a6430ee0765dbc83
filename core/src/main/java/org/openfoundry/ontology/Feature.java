package org.openfoundry.ontology;

/** A named thing a model can predict: a {@link Tool} or a {@link Classification}. */
public sealed interface Feature permits Tool, Classification {
  String name();

  FeatureKind kind();
}
