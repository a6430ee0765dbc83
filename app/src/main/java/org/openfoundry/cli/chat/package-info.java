/**
 * The chat commands: {@code foundry chat} sends a conversation to one model through the server's
 * API and prints the assistant's text (or the raw response), keeping a multi-turn history in a file
 * when asked; {@code foundry compare} sends it to several models and prints their answers side by
 * side.
 */
package org.openfoundry.cli.chat;
