/**
 * Predictions as the CLI shows them to people: one exported NDJSON prediction line in words (a box
 * and its score, the share of the image a mask covers, the text of a named entity, a
 * classification's answer), a data row's predictions in one line, and counts per feature.
 */
package org.openfoundry.cli.predictions;
