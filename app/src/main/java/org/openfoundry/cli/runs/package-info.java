/**
 * {@code foundry runs}: start a model run over a dataset with inference parameters, follow it live
 * from the server's event stream (a progress bar on a terminal, periodic lines otherwise), steer it
 * (cancel, pause, resume, retry the failed rows), list its tasks, and stream its predictions out as
 * NDJSON, COCO or raw responses.
 */
package org.openfoundry.cli.runs;
