/**
 * The conversation of a direct (chat) run: messages with a role and parts (text, base64 images,
 * image URLs before they are inlined), read from our chat request or from the Labelbox
 * multimodal-chat conversation JSON, checked against size limits, with image URLs fetched and
 * inlined through an injected fetcher when a run asks for its attachments.
 */
package org.openfoundry.chat;
