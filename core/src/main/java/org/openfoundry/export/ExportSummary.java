package org.openfoundry.export;

/**
 * What an export wrote: rows read, records written (NDJSON lines or COCO annotations), and
 * predictions the format cannot express (a COCO file holds no entity spans or answers).
 */
public record ExportSummary(long rows, long written, long skipped) {
  public ExportSummary {
    if (rows < 0 || written < 0 || skipped < 0) {
      throw new IllegalArgumentException(
          "counts must not be negative: " + rows + ", " + written + ", " + skipped);
    }
  }
}
