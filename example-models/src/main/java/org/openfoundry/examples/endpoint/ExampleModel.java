package org.openfoundry.examples.endpoint;

import java.util.List;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Feature;

/** A model that answers OpenFoundry task requests: one data row in, predictions keyed by name. */
public interface ExampleModel {

  /** The path segment it is served under: {@code /models/<name>}. */
  String name();

  AssetType assetType();

  /** Every feature it can predict, in the kind it predicts by default. */
  List<Feature> features();

  /**
   * Predicts the requested features for one row. Throws {@link
   * org.openfoundry.problems.FoundryException} with {@code INVALID_INPUT} for a request it cannot
   * read and {@code UNREADABLE_ROW_DATA} for row data it cannot load.
   */
  ModelResponse predict(ModelRequest request);
}
