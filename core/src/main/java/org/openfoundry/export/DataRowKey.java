package org.openfoundry.export;

/** Which name of a data row NDJSON lines carry under {@code dataRow}. */
public enum DataRowKey {
  /** {@code {"id": ...}}: the platform's data row id. */
  ID,
  /** {@code {"globalKey": ...}}, falling back to the id for a row without a global key. */
  GLOBAL_KEY
}
