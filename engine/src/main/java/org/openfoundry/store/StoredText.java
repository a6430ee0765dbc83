package org.openfoundry.store;

/**
 * Text that came from a model endpoint, made storable in both databases: PostgreSQL refuses the NUL
 * character (U+0000) in any text column, so it is stored as U+FFFD, the character a decoder puts in
 * place of bytes it cannot read.
 */
final class StoredText {
  private StoredText() {}

  static String of(String text) {
    return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
  }
}
