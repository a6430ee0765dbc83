package org.openfoundry.cli.datasets;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import org.openfoundry.cli.client.ApiException;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;

/**
 * Imports data rows into a dataset: NDJSON, or a JSON array when the input starts with {@code [},
 * streamed to the server as it is read. The server names each refused row by its line; the report
 * puts those lines back on the input's own name.
 */
public final class RowImport {
  /** The source the server gives the problems of an import. */
  static final String SERVER_SOURCE = "data-rows";

  private final FoundryClient client;

  public RowImport(FoundryClient client) {
    this.client = requireNonNull(client, "client is null");
  }

  /** What an import did: rows stored, rows refused, and why each was refused. */
  public record Report(long imported, long rejected, List<Problem> problems) {
    public Report {
      problems = List.copyOf(problems);
    }
  }

  /** Imports the rows read from {@code rows}, which this closes; {@code source} names it. */
  public Report rows(String datasetId, InputStream rows, String source) {
    BufferedInputStream input = new BufferedInputStream(rows);
    String type = isJsonArray(input) ? FoundryClient.JSON : FoundryClient.NDJSON;
    JsonNode answer;
    try {
      answer =
          client.upload(
              "/api/v1/datasets/" + FoundryClient.segment(datasetId) + "/data-rows",
              type,
              BodyPublishers.ofInputStream(() -> input));
    } catch (ApiException refused) {
      throw refused.withSource(SERVER_SOURCE, source);
    } finally {
      close(input);
    }
    List<Problem> problems = new ArrayList<>();
    for (JsonNode detail : answer.path("problems")) {
      problems.add(ApiException.relabel(ApiException.problem(detail), SERVER_SOURCE, source));
    }
    return new Report(
        answer.path("imported").asLong(0), answer.path("rejected").asLong(0), problems);
  }

  /**
   * Looks at the first character that is not white space, and puts it back. One byte order mark at
   * the very start is passed over, as the server passes over it.
   */
  private static boolean isJsonArray(BufferedInputStream input) {
    try {
      input.mark(4096);
      boolean byteOrderMark = input.read() == 0xEF && input.read() == 0xBB && input.read() == 0xBF;
      if (!byteOrderMark) {
        input.reset();
      }
      int next = input.read();
      for (int read = 1; read < 4000 && " \t\r\n".indexOf(next) >= 0; read++) {
        next = input.read();
      }
      input.reset();
      return next == '[';
    } catch (IOException unreadable) {
      throw new UncheckedIOException("cannot read the rows to import", unreadable);
    }
  }

  private static void close(InputStream input) {
    try {
      input.close();
    } catch (IOException ignored) {
      // Everything was read or the import failed for a reason already being reported.
    }
  }
}
