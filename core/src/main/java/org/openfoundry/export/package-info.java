/**
 * Writes a run's predictions out: Labelbox NDJSON import lines ({@link
 * org.openfoundry.export.NdjsonExporter}) and COCO results JSON ({@link
 * org.openfoundry.export.CocoExporter}). Both stream row by row from a {@link
 * org.openfoundry.export.RowSource}, so memory does not grow with the number of rows, and both are
 * deterministic: exporting the same predictions twice gives the same bytes.
 */
package org.openfoundry.export;
