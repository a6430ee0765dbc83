/**
 * The chat routes: {@code POST /api/v1/models/{id}/chat} sends one conversation to one model and
 * answers with its raw response unchanged, the assistant's text, latency, usage and attempts; the
 * {@code /api/v1/chat/comparisons} routes send one conversation to several models side by side,
 * keep every answer, take judgments, and export them as Labelbox NDJSON or a win-rate report.
 */
package org.openfoundry.server.chat;
