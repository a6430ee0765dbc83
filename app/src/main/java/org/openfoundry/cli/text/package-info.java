/**
 * How the CLI lays out what it prints for people: aligned tables, short durations and JSON with
 * long strings (base64 images, run-length counts) abbreviated, so that answers stay readable in a
 * terminal. Machine-readable output is the server's JSON, printed as it came with {@code --json}.
 */
package org.openfoundry.cli.text;
