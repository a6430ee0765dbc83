package org.openfoundry.chat;

/** One piece of a message: text, an inline image, or an image URL not yet inlined. */
public sealed interface Part permits TextPart, ImagePart, ImageUrlPart {
  /** The bytes this part weighs in a request: UTF-8 text, decoded image bytes, or the URL. */
  long size();
}
