package org.openfoundry.export;

import java.util.List;
import java.util.stream.Stream;

/**
 * Where an exporter reads rows from, typically a cursor over stored task results. Each export opens
 * it once and closes the stream when it is done.
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
