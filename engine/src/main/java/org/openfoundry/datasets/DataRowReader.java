package org.openfoundry.datasets;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.openfoundry.datasets.Utf8Reader.NotUtf8Exception;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Severity;
import org.openfoundry.problems.SourcePosition;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads data rows to import, one at a time, from NDJSON (one object per line) or a JSON array of
 * objects ({@code row_data}, {@code global_key}, {@code media_type}, {@code attachments}, {@code
 * metadata}). A bad entry is skipped and becomes a problem naming its line; the import goes on. The
 * importer may add a check of its own on each row (the server's: that an uploaded file exists). One
 * byte order mark at the very start of the input is skipped.
 */
public final class DataRowReader implements Iterator<NewDataRow> {
  /** The source name problems are reported under: {@code data-rows:12:1 row_data: ...}. */
  public static final String SOURCE = "data-rows";

  /**
   * The longest NDJSON line, in characters: room for the longest {@code row_data} many times over
   * with its metadata, while one hostile line cannot fill the memory.
   */
  public static final int MAX_LINE_LENGTH = 1024 * 1024;

  private static final JsonMapper MAPPER = UntrustedJson.mapper();
  // Reads one element of an array; the rest of the array is not "trailing" garbage.
  private static final ObjectReader ELEMENT =
      MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  // A line holds one value: a second one after it is an error, not silently dropped.
  private static final ObjectReader LINE =
      MAPPER.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> KEYS =
      Set.of("row_data", "global_key", "media_type", "attachments", "metadata");
  private static final Set<AssetType> URL_ONLY = Set.of(AssetType.IMAGE, AssetType.VIDEO);
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  /** A check of the importer's own on each row read, e.g. that an uploaded file it names exists. */
  @FunctionalInterface
  public interface RowCheck {
    /** Accepts every row. */
    RowCheck NONE = row -> Optional.empty();

    /** Empty when the row may be imported, else the problem (its path and message) refusing it. */
    Optional<Problem> refusal(NewDataRow row);
  }

  private final Entries entries;
  private final RowCheck check;
  private final List<Problem> problems = new ArrayList<>();
  private long rejected;
  private NewDataRow next;

  private DataRowReader(Entries entries, RowCheck check) {
    this.entries = entries;
    this.check = requireNonNull(check, "check is null");
  }

  /**
   * Rows from NDJSON: one JSON object per line; blank lines are skipped, and a line longer than
   * {@link #MAX_LINE_LENGTH} characters is refused without being held.
   */
  public static DataRowReader ndjson(Reader reader) {
    return ndjson(reader, MAX_LINE_LENGTH);
  }

  /** Rows from NDJSON whose lines may hold at most {@code maxLineLength} characters. */
  public static DataRowReader ndjson(Reader reader, int maxLineLength) {
    return ndjson(reader, maxLineLength, RowCheck.NONE);
  }

  /**
   * Rows from NDJSON whose lines may hold at most {@code maxLineLength} characters, each row also
   * refused where {@code check} refuses it.
   */
  public static DataRowReader ndjson(Reader reader, int maxLineLength, RowCheck check) {
    return ndjsonEntries(new BufferedReader(reader), maxLineLength, check);
  }

  /**
   * Rows from NDJSON bytes, which must be UTF-8: a line holding bytes that are not is refused
   * whole, naming where the first of them is, and the import goes on.
   */
  public static DataRowReader ndjson(InputStream utf8, int maxLineLength, RowCheck check) {
    return ndjsonEntries(new Utf8Reader(utf8), maxLineLength, check);
  }

  private static DataRowReader ndjsonEntries(Reader reader, int maxLineLength, RowCheck check) {
    if (maxLineLength < 1) {
      throw new IllegalArgumentException("maxLineLength must be >= 1, got " + maxLineLength);
    }
    return new DataRowReader(
        new NdjsonEntries(new WithoutByteOrderMark(reader), maxLineLength), check);
  }

  /** Rows from a JSON array of objects, parsed as a stream (the array is never held whole). */
  public static DataRowReader jsonArray(Reader reader) {
    return jsonArray(reader, RowCheck.NONE);
  }

  /** Rows from a JSON array of objects, each also refused where {@code check} refuses it. */
  public static DataRowReader jsonArray(Reader reader, RowCheck check) {
    return new DataRowReader(
        new ArrayEntries(MAPPER.createParser(new WithoutByteOrderMark(reader))), check);
  }

  /**
   * Rows from a JSON array in bytes, which must be UTF-8: bytes that are not end the array there,
   * as a syntax error does, with one problem naming where they are.
   */
  public static DataRowReader jsonArray(InputStream utf8, RowCheck check) {
    return jsonArray(new Utf8Reader(utf8), check);
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      Optional<Entry> entry = entries.next(this::reject);
      if (entry.isEmpty()) {
        return false;
      }
      next = row(entry.get()).orElse(null);
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

  /** How many entries this reader refused; only the first problems are kept. */
  public long rejected() {
    return rejected;
  }

  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  /** The store's report with the entries this reader refused added, problems in line order. */
  public ImportReport report(ImportReport stored) {
    List<Problem> all = new ArrayList<>(problems);
    all.addAll(stored.problems());
    all.sort(
        Comparator.comparingInt(problem -> problem.position().map(SourcePosition::line).orElse(0)));
    return new ImportReport(
        stored.imported(),
        stored.rejected() + rejected,
        all.subList(0, Math.min(all.size(), ImportReport.MAX_PROBLEMS)));
  }

  private Optional<NewDataRow> row(Entry entry) {
    try {
      ObjectNode object = object(entry.node());
      String rowData = text(object, "row_data").orElseThrow(() -> required("row_data"));
      AssetType mediaType = mediaType(object);
      if (URL_ONLY.contains(mediaType) && !isUrl(rowData)) {
        throw new Rejected(
            "row_data",
            "expected the URL of the " + mediaType.word() + ", got \"" + clip(rowData) + "\"");
      }
      NewDataRow row =
          new NewDataRow(
              entry.line(),
              text(object, "global_key"),
              rowData,
              mediaType,
              attachments(object),
              metadata(object));
      Optional<Problem> refusal = check.refusal(row);
      if (refusal.isPresent()) {
        reject(entry.line(), refusal.get().path(), refusal.get().message());
        return Optional.empty();
      }
      return Optional.of(row);
    } catch (Rejected e) {
      reject(entry.line(), e.path, e.getMessage());
    } catch (IllegalArgumentException e) {
      // NewDataRow's own checks say "path: message".
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      reject(
          entry.line(),
          colon > 0 ? message.substring(0, colon) : "",
          colon > 0 ? message.substring(colon + 2) : message);
    }
    return Optional.empty();
  }

  private static ObjectNode object(JsonNode node) {
    if (!(node instanceof ObjectNode object)) {
      throw new Rejected("", "expected a JSON object, got " + describe(node));
    }
    List<String> unknown =
        object.propertyNames().stream().filter(key -> !KEYS.contains(key)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new Rejected(
          unknown.getFirst(),
          "unknown key; expected one of "
              + KEYS.stream().sorted().collect(Collectors.joining(", ")));
    }
    return object;
  }

  private static AssetType mediaType(ObjectNode object) {
    String word = text(object, "media_type").orElseThrow(() -> required("media_type"));
    return AssetType.parse(word)
        .orElseThrow(
            () ->
                new Rejected(
                    "media_type",
                    "expected one of "
                        + Arrays.stream(AssetType.values())
                            .map(AssetType::name)
                            .collect(Collectors.joining(", "))
                        + ", got \""
                        + word
                        + "\""));
  }

  private static JsonNode attachments(ObjectNode object) {
    JsonNode attachments = object.get("attachments");
    if (attachments == null || attachments.isNull()) {
      return MAPPER.createArrayNode();
    }
    if (!(attachments instanceof ArrayNode)) {
      throw new Rejected("attachments", "expected a JSON array, got " + describe(attachments));
    }
    return attachments;
  }

  private static JsonNode metadata(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata == null || metadata.isNull()) {
      return MAPPER.createObjectNode();
    }
    if (!metadata.isObject() && !metadata.isArray()) {
      throw new Rejected("metadata", "expected a JSON object or array, got " + describe(metadata));
    }
    return metadata;
  }

  /** The key's string value; empty when the key is absent or null. */
  private static Optional<String> text(ObjectNode object, String key) {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isString() || value.asString().isBlank()) {
      throw new Rejected(key, "expected a non-empty string, got " + describe(value));
    }
    return Optional.of(value.asString());
  }

  private static Rejected required(String key) {
    return new Rejected(key, "is required");
  }

  private void reject(long line, String path, String message) {
    rejected++;
    if (problems.size() < ImportReport.MAX_PROBLEMS) {
      problems.add(
          new Problem(
              Severity.ERROR,
              path,
              Optional.of(new SourcePosition(SOURCE, (int) Math.min(Integer.MAX_VALUE, line), 1)),
              message));
    }
  }

  private static boolean isUrl(String text) {
    try {
      URI uri = new URI(text);
      return uri.isAbsolute() && uri.getScheme().length() > 1;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String notJson(JacksonException error) {
    return UntrustedJson.limitPassed(error)
        .map(limit -> "too large to read: " + limit)
        .orElseGet(() -> "not JSON: " + error.getOriginalMessage());
  }

  private static String describe(JsonNode node) {
    String text = node.toString();
    return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + clip(text);
  }

  private static String clip(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  /** Drops one byte order mark (U+FEFF) at the very start, which some editors write. */
  private static final class WithoutByteOrderMark extends FilterReader {
    private boolean started;

    WithoutByteOrderMark(Reader in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      if (started) {
        return in.read();
      }
      started = true;
      int first = in.read();
      return first == BYTE_ORDER_MARK ? in.read() : first;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      if (started || length == 0) {
        return in.read(buffer, offset, length);
      }
      int first = read();
      if (first < 0) {
        return -1;
      }
      buffer[offset] = (char) first;
      return 1;
    }
  }

  /** Why an entry was refused, thrown while it is read and caught once per entry. */
  private static final class Rejected extends RuntimeException {
    private final String path;

    Rejected(String path, String message) {
      super(message, null, false, false);
      this.path = path;
    }
  }

  /** One entry of the input and the line it starts on. */
  private record Entry(long line, JsonNode node) {}

  /** Where problems about unreadable input go. */
  @FunctionalInterface
  private interface Rejections {
    void reject(long line, String path, String message);
  }

  /** The entries of the input, one at a time. */
  private interface Entries {
    Optional<Entry> next(Rejections rejections);
  }

  private static final class NdjsonEntries implements Entries {
    private final Reader reader;
    private final int maxLineLength;
    private final StringBuilder text = new StringBuilder();
    // Bytes of the line that are not UTF-8, the first of them; null when there are none.
    private NotUtf8Exception notUtf8;
    private long line;

    NdjsonEntries(Reader reader, int maxLineLength) {
      this.reader = requireNonNull(reader, "reader is null");
      this.maxLineLength = maxLineLength;
    }

    @Override
    public Optional<Entry> next(Rejections rejections) {
      while (true) {
        Optional<Boolean> fits = readLine();
        if (fits.isEmpty()) {
          return Optional.empty();
        }
        line++;
        if (notUtf8 != null) {
          rejections.reject(line, "", notUtf8.getMessage());
          continue;
        }
        if (!fits.get()) {
          rejections.reject(
              line, "", "the line is longer than " + maxLineLength + " characters, the limit");
          continue;
        }
        if (text.isEmpty() || text.toString().isBlank()) {
          continue;
        }
        try {
          return Optional.of(new Entry(line, LINE.readValue(text.toString())));
        } catch (JacksonException e) {
          rejections.reject(line, "", notJson(e));
        }
      }
    }

    /**
     * Reads the next line into {@code text}: empty at the end of the input, false when the line was
     * longer than the limit (its characters past the limit are skipped, not kept). Bytes in it that
     * are not UTF-8 are skipped too, the first kept in {@code notUtf8}.
     */
    private Optional<Boolean> readLine() {
      text.setLength(0);
      notUtf8 = null;
      boolean fits = true;
      boolean any = false;
      try {
        for (int next = read(); next != -1; next = read()) {
          any = true;
          if (next == '\n') {
            break;
          }
          if (text.length() < maxLineLength) {
            text.append((char) next);
          } else if (next != '\r') {
            fits = false;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the data rows", e);
      }
      if (!any && notUtf8 == null) {
        return Optional.empty();
      }
      if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') {
        text.setLength(text.length() - 1);
      }
      return Optional.of(fits);
    }

    private int read() throws IOException {
      while (true) {
        try {
          return reader.read();
        } catch (NotUtf8Exception e) {
          notUtf8 = notUtf8 == null ? e : notUtf8;
        }
      }
    }
  }

  private static final class ArrayEntries implements Entries {
    private final JsonParser parser;
    private boolean started;
    private boolean finished;

    ArrayEntries(JsonParser parser) {
      this.parser = parser;
    }

    @Override
    public Optional<Entry> next(Rejections rejections) {
      if (finished) {
        return Optional.empty();
      }
      try {
        if (!started) {
          started = true;
          if (parser.nextToken() != JsonToken.START_ARRAY) {
            finished = true;
            rejections.reject(line(), "", "expected a JSON array of data rows");
            return Optional.empty();
          }
        }
        JsonToken token = parser.nextToken();
        if (token == null || token == JsonToken.END_ARRAY) {
          finished = true;
          return Optional.empty();
        }
        long line = line();
        return Optional.of(new Entry(line, ELEMENT.readValue(parser)));
      } catch (JacksonException e) {
        // A syntax error leaves the parser nowhere to resume from: the rest is one problem.
        finished = true;
        notUtf8(e)
            .ifPresentOrElse(
                notUtf8 -> rejections.reject(notUtf8.line(), "", notUtf8.getMessage()),
                () -> rejections.reject(line(), "", notJson(e)));
        return Optional.empty();
      }
    }

    private long line() {
      return Math.max(1, parser.currentTokenLocation().getLineNr());
    }

    private static Optional<NotUtf8Exception> notUtf8(Throwable failure) {
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        if (cause instanceof NotUtf8Exception notUtf8) {
          return Optional.of(notUtf8);
        }
      }
      return Optional.empty();
    }
  }
}
