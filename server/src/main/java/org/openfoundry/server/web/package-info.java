/**
 * The web UI, served by the same process as the API: server-rendered pages (precompiled templates,
 * htmx for forms, a little plain JavaScript for drawing and live progress), a sign-in with an API
 * key into an HttpOnly, SameSite=Strict session cookie, and a CSRF token checked on every request
 * that changes anything. Pages read through the same repositories as the API; forms are checked by
 * the same core code the API uses, and the browser calls the API itself, with its session, for the
 * connection test, imports, uploads, steering runs, live events, and chat: the playground's turns,
 * side-by-side comparisons read as a stream, judgments and the win rates.
 */
package org.openfoundry.server.web;
