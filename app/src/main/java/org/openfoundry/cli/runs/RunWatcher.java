package org.openfoundry.cli.runs;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.openfoundry.cli.client.ApiException;
import org.openfoundry.cli.client.EventListener;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.core.JacksonException;

/**
 * Follows a run to its end on the server's event stream, feeding a {@link ProgressDisplay}. A
 * stream that ends early (a proxy's timeout, a restarted server) is opened again; the run's own
 * state decides when following is over.
 */
public final class RunWatcher {
  private static final int MAX_REOPENS = 5;

  private final FoundryClient client;

  public RunWatcher(FoundryClient client) {
    this.client = requireNonNull(client, "client is null");
  }

  /** Blocks until the run has finished; returns where it ended. */
  public Progress follow(String runId, ProgressDisplay display) {
    String path = "/api/v1/runs/" + FoundryClient.segment(runId);
    Progress current = Progress.ofRun(client.get(path));
    display.update(current);
    int reopened = 0;
    while (!current.state().isFinished()) {
      AtomicReference<Progress> latest = new AtomicReference<>(current);
      AtomicBoolean finished = new AtomicBoolean();
      try {
        client.events(path + "/events", listener(display, latest, finished));
      } catch (ApiException refused) {
        throw refused;
      } catch (FoundryException dropped) {
        if (dropped.code() != ErrorCode.UNAVAILABLE || reopened >= MAX_REOPENS) {
          throw dropped;
        }
      }
      if (finished.get()) {
        return latest.get();
      }
      reopened++;
      current = Progress.ofRun(client.get(path));
      display.update(current);
      if (!current.state().isFinished() && reopened > MAX_REOPENS) {
        throw new FoundryException(
            ErrorCode.UNAVAILABLE,
            "the event stream of run " + runId + " keeps ending before the run finishes");
      }
    }
    return current;
  }

  private EventListener listener(
      ProgressDisplay display, AtomicReference<Progress> latest, AtomicBoolean finished) {
    return new EventListener() {
      @Override
      public boolean event(String name, String data) {
        if (!name.equals("progress") && !name.equals("finished")) {
          return true;
        }
        Progress progress;
        try {
          progress = Progress.ofEvent(client.mapper().readTree(data));
        } catch (JacksonException garbled) {
          return true;
        }
        latest.set(progress);
        display.update(progress);
        if (name.equals("finished") || progress.state().isFinished()) {
          finished.set(true);
          return false;
        }
        return true;
      }

      @Override
      public void keepAlive() {
        display.tick();
      }
    };
  }
}
