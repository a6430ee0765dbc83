/**
 * Turns a model's task response into typed predictions: the sealed {@link
 * org.openfoundry.predictions.Prediction} family (boxes, masks, polygons, points, lines, entity
 * spans, radio, checklist and free-text answers) and the {@link
 * org.openfoundry.predictions.ResponseParser} that reads both the feature-keyed wire shapes and the
 * Labelbox annotation format against a run's ontology, repairing what the evidence allows and
 * reporting every warning and error with the path it concerns.
 */
package org.openfoundry.predictions;
