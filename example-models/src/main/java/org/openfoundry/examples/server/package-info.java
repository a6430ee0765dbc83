/**
 * The one HTTP server that hosts every example model at {@code /models/<name>} ({@code POST} a task
 * request; {@code GET} the manifest) and the bundled images at {@code /images/<name>.png}. Owns
 * reading bounded request bodies, fetching row images with a size cap and timeouts, and turning
 * errors into the JSON error body with the HTTP status that fits.
 */
package org.openfoundry.examples.server;
