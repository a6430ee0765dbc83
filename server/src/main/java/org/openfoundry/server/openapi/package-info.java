/**
 * The OpenAPI 3.1 document of the REST API, written by hand and kept accurate by a test that
 * compares it with the routes the server registers, both ways; and the interactive page at {@code
 * /api/docs}, which renders it from files bundled in the jar, so it works offline.
 */
package org.openfoundry.server.openapi;
