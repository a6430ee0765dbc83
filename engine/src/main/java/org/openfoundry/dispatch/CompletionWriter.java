package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.openfoundry.runs.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for completions: one writer thread takes what the calls hand in and writes it to the
 * task queue in batches, as soon as a batch is full, as soon as no call of this node is still
 * running (nothing more can come, and the tasks waiting in the batch hold their model's capacity),
 * or once it has waited the linger time for more. A batch the queue rejects twice is dropped: its
 * leases lapse and the tasks are tried again.
 */
final class CompletionWriter {
  private static final Logger log = LoggerFactory.getLogger(CompletionWriter.class);

  private sealed interface Item {}

  private record Write(Completion completion) implements Item {}

  private record Stop() implements Item {}

  private final TaskQueue queue;
  private final int batchSize;
  private final Duration linger;
  private final BiConsumer<List<Completion>, Set<TaskId>> written;
  private final IntSupplier held;
  private final AtomicInteger unwritten = new AtomicInteger();
  private final LinkedBlockingQueue<Item> items = new LinkedBlockingQueue<>();
  private Thread thread;

  CompletionWriter(
      TaskQueue queue,
      int batchSize,
      Duration linger,
      BiConsumer<List<Completion>, Set<TaskId>> written) {
    this(queue, batchSize, linger, written, () -> Integer.MAX_VALUE);
  }

  /**
   * A writer that stops waiting for more once every lease the node holds ({@code held}: claimed and
   * not yet written) has its completion handed in.
   */
  CompletionWriter(
      TaskQueue queue,
      int batchSize,
      Duration linger,
      BiConsumer<List<Completion>, Set<TaskId>> written,
      IntSupplier held) {
    this.queue = requireNonNull(queue, "queue is null");
    this.batchSize = batchSize;
    this.linger = requireNonNull(linger, "linger is null");
    this.written = requireNonNull(written, "written is null");
    this.held = requireNonNull(held, "held is null");
  }

  synchronized void start() {
    if (thread == null) {
      thread = Thread.ofVirtual().name("completion-writer").start(this::run);
    }
  }

  void submit(Completion completion) {
    unwritten.incrementAndGet();
    items.add(new Write(completion));
  }

  /** Writes everything submitted so far, then stops the writer thread. */
  void close() throws InterruptedException {
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running == null) {
      return;
    }
    items.add(new Stop());
    running.join();
  }

  private void run() {
    List<Completion> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      Item item = take();
      // A batch waits at most `linger` from its first completion, however the rest trickle in.
      long lingerEnds = System.nanoTime() + linger.toNanos();
      while (item != null) {
        switch (item) {
          case Write write -> batch.add(write.completion());
          case Stop stop -> stopping = true;
        }
        if (batch.size() >= batchSize) {
          write(batch);
          lingerEnds = System.nanoTime() + linger.toNanos();
        }
        item = items.poll();
        long left = lingerEnds - System.nanoTime();
        if (item == null && !batch.isEmpty() && !stopping && left > 0 && callsRunning()) {
          item = pollFor(Duration.ofNanos(left));
        }
      }
      write(batch);
    }
  }

  /** Whether more can come: not once every lease the node holds has its completion handed in. */
  private boolean callsRunning() {
    return held.getAsInt() > unwritten.get();
  }

  private Item take() {
    try {
      return items.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Stop();
    }
  }

  private Item pollFor(Duration wait) {
    if (wait.isZero()) {
      return null;
    }
    try {
      return items.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Stop();
    }
  }

  /**
   * After a batch failed twice: each completion alone, so that one the task queue cannot take does
   * not cost the others their answers. When the first two fail alone as well, the database is taken
   * to be away and the rest are not tried. What is dropped is tried again once its lease lapses.
   */
  private Set<TaskId> oneByOne(List<Completion> completions, RuntimeException failure) {
    Set<TaskId> applied = new LinkedHashSet<>();
    boolean anyWritten = false;
    for (int index = 0; index < completions.size(); index++) {
      Completion completion = completions.get(index);
      try {
        applied.addAll(queue.complete(List.of(completion)));
        anyWritten = true;
      } catch (RuntimeException alone) {
        if (!anyWritten && index == 1) {
          log.error(
              "dropping {} completions the task queue would not take; their leases will lapse"
                  + " and the tasks will be tried again",
              completions.size() - 1,
              failure);
          return applied;
        }
        log.error(
            "dropping the completion of attempt {} of task {}, which the task queue would not"
                + " take; its lease will lapse and the task will be tried again",
            completion.task().attempt(),
            completion.task().id(),
            alone);
      }
    }
    return applied;
  }

  private void write(List<Completion> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<Completion> completions = List.copyOf(batch);
    batch.clear();
    Set<TaskId> applied = Set.of();
    try {
      applied = queue.complete(completions);
    } catch (RuntimeException first) {
      log.warn("writing {} completions failed; trying once more", completions.size(), first);
      try {
        applied = queue.complete(completions);
      } catch (RuntimeException second) {
        applied = oneByOne(completions, second);
      }
    }
    try {
      written.accept(completions, applied);
    } finally {
      unwritten.addAndGet(-completions.size());
    }
  }
}
