/**
 * How the CLI talks to a server: the REST API client on the JDK's HTTP client (JSON in and out,
 * paging, server-sent events, streamed downloads), the server's errors turned into one exception
 * that prints the server's message and every detail line, and where the server URL and API key come
 * from: flags, {@code FOUNDRY_SERVER}/{@code FOUNDRY_API_KEY}, or the CLI's config file.
 */
package org.openfoundry.cli.client;
