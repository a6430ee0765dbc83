/**
 * The ontology a model predicts into: asset types, feature kinds (tools such as rectangles and
 * masks, classifications such as radio and checklist), their options and nested classifications.
 * Owns reading an ontology from its Labelbox-style JSON and which feature kinds fit which asset
 * types.
 */
package org.openfoundry.ontology;
