package org.openfoundry.export;

import java.util.List;
import java.util.stream.Stream;

/**
 * Where an exporter reads rows from, typically a cursor over stored task results. Every {@link
 * #open} yields the same rows in the same order: the COCO exporter reads them twice, first for the
 * images and then for the annotations. The caller's stream is closed after each pass.
 */
@FunctionalInterface
public interface RowSource {
  Stream<ExportRow> open();

  /** A source over rows already in memory, for small exports and tests. */
  static RowSource of(List<ExportRow> rows) {
    List<ExportRow> copy = List.copyOf(rows);
    return copy::stream;
  }
}
