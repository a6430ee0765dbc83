package org.openfoundry.runs;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;

/**
 * Model runs and their tasks. Creating a run queues one task per selected row inside the database;
 * steering a run follows {@link RunState}; counts are kept as tasks move, never counted.
 */
public interface RunRepository {

  /**
   * Creates a QUEUED run with one task per selected row. Nothing is queued when a selected id or
   * global key does not exist (NOT_FOUND) or a selected row's media type is not one the run allows
   * (UNSUPPORTED_MEDIA_TYPE); either error names up to ten offending rows and counts them all.
   */
  Run create(RunSpec spec);

  Optional<Run> get(RunId id);

  /** Runs, newest first. */
  Page<Run> list(PageRequest page);

  /** Cancels queued tasks now; leased tasks finish and their outcomes are kept. */
  Run cancel(RunId id);

  /** Stops new claims; leased tasks finish. */
  Run pause(RunId id);

  Run resume(RunId id);

  /**
   * Puts failed (and budget-cancelled) tasks back in the queue, keeping their attempt history; a
   * finished run goes back to RUNNING.
   */
  Run retryFailed(RunId id);

  /** Counts, times, throughput over the last minute and ETA, as of the store's clock. */
  RunProgress progress(RunId id);

  /** The run's tasks in task order, all or only those in {@code state}. */
  Page<TaskView> tasks(RunId id, Optional<TaskState> state, PageRequest page);

  /** The task's attempts, first to last. */
  List<TaskAttempt> attempts(TaskId task);

  /**
   * The results of the run's succeeded tasks in task order, read from a database cursor as the
   * stream is consumed. Close the stream (try-with-resources) to release the cursor.
   */
  Stream<RunResult> results(RunId id);
}
