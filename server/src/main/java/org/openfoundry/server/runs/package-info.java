/**
 * {@code /api/v1/runs}: starting a model run over data rows (inference parameters validated against
 * the model's schema, defaults filled in), steering it, its tasks, live progress as server-sent
 * events, and its predictions streamed out as NDJSON, COCO or the raw responses. Also how a model's
 * response is read into predictions, for the dispatcher, the export and the connection test alike.
 */
package org.openfoundry.server.runs;
