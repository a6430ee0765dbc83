/**
 * The sample data that ships with the example models: the street-scene images with their ground
 * truth, the two sample datasets as NDJSON data rows (news snippets as text; scenes as URLs
 * resolved against wherever the images are served), and the {@code model.yaml} manifest of each
 * example model with its endpoint filled in.
 */
package org.openfoundry.examples.bundle;
