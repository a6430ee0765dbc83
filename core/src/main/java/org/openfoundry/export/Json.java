package org.openfoundry.export;

import java.io.Writer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/** The JSON generators the exporters stream through. */
final class Json {
  /**
   * Exporters write into the caller's writer and leave closing it to the caller; a generator closed
   * after a failure leaves what it wrote unfinished rather than closing its arrays and objects into
   * a document that looks whole; NDJSON ends each line itself, so no separator goes between root
   * values.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
          .rootValueSeparator((String) null)
          .build();

  /** Whole numbers up to this size are written without a fraction: 10, not 10.0. */
  private static final double EXACT_LONG = 0x1p53;

  private Json() {}

  static JsonGenerator generator(Writer out) {
    return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
  }

  static void number(JsonGenerator json, double value) {
    if (value == Math.rint(value) && Math.abs(value) < EXACT_LONG) {
      json.writeNumber((long) value);
      return;
    }
    json.writeNumber(value);
  }

  static void numberProperty(JsonGenerator json, String name, double value) {
    json.writeName(name);
    number(json, value);
  }
}
