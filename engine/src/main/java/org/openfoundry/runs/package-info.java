/**
 * Model runs: the run and task state machines, creating a run (one task per data row) with
 * validated inference parameters, steering it (cancel, pause, resume, retry failed), counts,
 * throughput and ETA, and progress events.
 */
package org.openfoundry.runs;
