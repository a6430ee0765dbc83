/**
 * The HTTP server's plumbing and its composition root: the route registry with each route's access
 * level, the one place where errors become an HTTP status and the JSON error body, request body
 * limits and content types, cursor paging, and {@link org.openfoundry.server.Application}, which
 * builds the whole object graph by hand.
 */
package org.openfoundry.server;
