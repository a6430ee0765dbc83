/**
 * {@code /api/v1/runs}: starting a model run over data rows (inference parameters validated against
 * the model's schema, defaults filled in), steering it, its tasks, live progress as server-sent
 * events, and its predictions streamed out as NDJSON, COCO or the raw responses, each stored answer
 * read again with the engine's {@code ResponseReading} as the dispatcher read it.
 */
package org.openfoundry.server.runs;
