package org.openfoundry.server.datasets;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.openfoundry.datasets.ImportReport;
import org.openfoundry.datasets.NewDataRow;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.SourcePosition;
import org.openfoundry.server.Fields;
import org.openfoundry.server.files.FileStore;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads data rows one at a time from a JSON array or NDJSON stream, never holding more than one
 * row. A row that is not valid is skipped and becomes a problem at its line; text that is not JSON
 * at all ends the stream with a problem at its position.
 */
final class RowReader implements Iterator<NewDataRow> {
  static final String SOURCE = "data-rows";

  /** Reads one row's JSON text or tree; knows its line. */
  private interface Source {
    /** The next row's JSON and line, or empty at the end. */
    Optional<Located> next();
  }

  private record Located(JsonNode node, long line, int column) {}

  private final Source source;
  private final FileStore files;
  private final List<Problem> problems = new ArrayList<>();
  private long rejected;
  private NewDataRow next;

  private RowReader(Source source, FileStore files) {
    this.source = source;
    this.files = requireNonNull(files, "files is null");
  }

  static RowReader jsonArray(JsonMapper mapper, InputStream in, FileStore files) {
    return new RowReader(new ArraySource(mapper, in), files);
  }

  static RowReader ndjson(JsonMapper mapper, InputStream in, int maxLineBytes, FileStore files) {
    return new RowReader(new LineSource(mapper, in, maxLineBytes), files);
  }

  /** Rows refused while reading, before the store saw them. */
  long rejected() {
    return rejected;
  }

  List<Problem> problems() {
    return List.copyOf(problems);
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      Optional<Located> located;
      try {
        located = sourceNext();
      } catch (Stop stop) {
        reject(stop.problem);
        return false;
      }
      if (located.isEmpty()) {
        return false;
      }
      next = row(located.get()).orElse(null);
    }
    return true;
  }

  @Override
  public NewDataRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    NewDataRow row = next;
    next = null;
    return row;
  }

  private Optional<Located> sourceNext() {
    while (true) {
      try {
        return source.next();
      } catch (RejectedLine rejectedLine) {
        reject(rejectedLine.problem);
      }
    }
  }

  private Optional<NewDataRow> row(Located located) {
    SourcePosition where =
        new SourcePosition(
            SOURCE, (int) Math.min(Integer.MAX_VALUE, located.line()), located.column());
    if (!(located.node() instanceof ObjectNode object)) {
      reject(
          Problem.error(
                  "",
                  "expected a data row object, got "
                      + org.openfoundry.server.Json.describe(located.node()))
              .at(where));
      return Optional.empty();
    }
    Problems rowProblems = new Problems();
    Fields fields = new Fields(object, "", rowProblems);
    String rowData = fields.requiredString("row_data");
    Optional<String> globalKey = fields.string("global_key");
    Optional<AssetType> mediaType =
        fields.choice(
            "media_type", AssetType::parse, "one of image, text, video, html, conversational");
    if (object.get("media_type") == null || object.get("media_type").isNull()) {
      rowProblems.error(
          "media_type", "expected one of image, text, video, html, conversational, got nothing");
    }
    JsonNode attachments = fields.node("attachments").orElse(JsonNodeFactory.instance.arrayNode());
    JsonNode metadata = fields.node("metadata").orElse(JsonNodeFactory.instance.objectNode());
    fields.rejectUnknown();
    if (rowData.length() > NewDataRow.MAX_ROW_DATA_CHARS) {
      rowProblems.error(
          "row_data",
          "expected at most "
              + NewDataRow.MAX_ROW_DATA_CHARS
              + " characters, got "
              + rowData.length());
    }
    if (globalKey.isPresent() && globalKey.get().isBlank()) {
      rowProblems.error("global_key", "expected a non-blank key or none");
    }
    FileStore.referencedName(rowData)
        .filter(name -> files.find(name).isEmpty())
        .ifPresent(
            name -> rowProblems.error("row_data", "no uploaded file named \"" + name + "\""));
    if (rowProblems.hasErrors()) {
      rejected++;
      rowProblems.errors().forEach(problem -> keep(problem.at(where)));
      return Optional.empty();
    }
    return Optional.of(
        new NewDataRow(
            located.line(), globalKey, rowData, mediaType.orElseThrow(), attachments, metadata));
  }

  private void reject(Problem problem) {
    rejected++;
    keep(problem);
  }

  private void keep(Problem problem) {
    if (problems.size() < ImportReport.MAX_PROBLEMS) {
      problems.add(problem);
    }
  }

  /** Ends the stream: what follows cannot be read. */
  private static final class Stop extends RuntimeException {
    private final transient Problem problem;

    Stop(Problem problem) {
      super(null, null, false, false);
      this.problem = problem;
    }
  }

  /** One line could not be read; the next one can. */
  private static final class RejectedLine extends RuntimeException {
    private final transient Problem problem;

    RejectedLine(Problem problem) {
      super(null, null, false, false);
      this.problem = problem;
    }
  }

  private static Problem positioned(String message, long line, int column) {
    return Problem.error("", message)
        .at(
            new SourcePosition(
                SOURCE, (int) Math.min(Integer.MAX_VALUE, Math.max(1, line)), Math.max(1, column)));
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "not valid JSON";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** A JSON array of rows, read token by token. */
  private static final class ArraySource implements Source {
    private final ObjectReader reader;
    private final JsonParser parser;
    private boolean started;

    ArraySource(JsonMapper mapper, InputStream in) {
      // Each row is one value inside the array: what follows it is the next row, not trailing junk.
      this.reader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
      this.parser = mapper.createParser(in);
    }

    @Override
    public Optional<Located> next() {
      try {
        if (!started) {
          started = true;
          JsonToken first = parser.nextToken();
          if (first == null) {
            throw new FoundryException(
                org.openfoundry.problems.ErrorCode.INVALID_INPUT,
                "expected a JSON array of data rows, got an empty body");
          }
          if (first != JsonToken.START_ARRAY) {
            throw new FoundryException(
                org.openfoundry.problems.ErrorCode.INVALID_INPUT,
                "expected a JSON array of data rows (or NDJSON with Content-Type: application/x-ndjson)",
                List.of(
                    positioned(
                        "expected [",
                        parser.currentTokenLocation().getLineNr(),
                        parser.currentTokenLocation().getColumnNr())));
          }
        }
        JsonToken token = parser.nextToken();
        if (token == null || token == JsonToken.END_ARRAY) {
          return Optional.empty();
        }
        TokenStreamLocation location = parser.currentTokenLocation();
        JsonNode node = reader.readTree(parser);
        return Optional.of(new Located(node, location.getLineNr(), location.getColumnNr()));
      } catch (JacksonException malformed) {
        TokenStreamLocation location = malformed.getLocation();
        throw new Stop(
            positioned(
                "not valid JSON, the rest of the body was not read: "
                    + firstLine(malformed.getOriginalMessage()),
                location == null ? 1 : location.getLineNr(),
                location == null ? 1 : location.getColumnNr()));
      }
    }
  }

  /** NDJSON: one row per line, each line bounded in length. */
  private static final class LineSource implements Source {
    private final JsonMapper mapper;
    private final InputStream in;
    private final int maxLineBytes;
    private long line;
    private boolean ended;

    LineSource(JsonMapper mapper, InputStream in, int maxLineBytes) {
      this.mapper = mapper;
      this.in = new BufferedInputStream(in, 64 * 1024);
      this.maxLineBytes = maxLineBytes;
    }

    @Override
    public Optional<Located> next() {
      while (!ended) {
        Optional<String> text = readLine();
        if (text.isEmpty() || text.get().isBlank()) {
          continue;
        }
        try {
          return Optional.of(new Located(mapper.readTree(text.get()), line, 1));
        } catch (JacksonException malformed) {
          TokenStreamLocation location = malformed.getLocation();
          throw new RejectedLine(
              positioned(
                  "not valid JSON: " + firstLine(malformed.getOriginalMessage()),
                  line,
                  location == null ? 1 : location.getColumnNr()));
        }
      }
      return Optional.empty();
    }

    /** The next line, or empty (and a problem) when it was too long; sets {@code ended}. */
    private Optional<String> readLine() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      boolean tooLong = false;
      line++;
      try {
        int next;
        while ((next = in.read()) != -1 && next != '\n') {
          if (bytes.size() < maxLineBytes) {
            bytes.write(next);
          } else {
            tooLong = true;
          }
        }
        if (next == -1) {
          ended = true;
        }
      } catch (IOException failed) {
        throw new UncheckedIOException(failed);
      }
      if (tooLong) {
        throw new RejectedLine(
            positioned(
                "line is longer than " + maxLineBytes + " bytes (http.max_line_size)", line, 1));
      }
      return Optional.of(bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
