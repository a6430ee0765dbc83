/**
 * {@code /api/v1/datasets}: datasets and their data rows. Rows are imported from a JSON array or
 * NDJSON body read as a stream, a batch at a time; a bad row is refused alone with a problem naming
 * its line, and the rest are imported.
 */
package org.openfoundry.server.datasets;
