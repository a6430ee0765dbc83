/**
 * Files uploaded for data rows (local images and text): stored under the data folder with a
 * generated name, never the client's, referenced from rows as {@code openfoundry://files/NAME}, and
 * handed to models as short-lived HMAC-signed URLs that {@code GET /files/NAME} serves without an
 * API key. Platform credentials never leave the server.
 */
package org.openfoundry.server.files;
