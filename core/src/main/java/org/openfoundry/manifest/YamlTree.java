package org.openfoundry.manifest;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.SourcePosition;
import org.openfoundry.problems.TreeReader;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.AnchorNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one YAML document into a JSON tree, keeping where each path was written. Loading is safe
 * for untrusted input: only the core schema's plain types, no other tags; a duplicate key is an
 * error; and the size of the text, the depth of nesting, the number of aliases and the number of
 * nodes that aliases expand to are all bounded, so that a hostile document ends in a clear error
 * rather than in memory exhaustion or a stack overflow.
 */
final class YamlTree {
  static final int MAX_CODE_POINTS = 1024 * 1024;
  static final int MAX_DEPTH = 64;
  static final int MAX_ALIASES = 50;
  static final int MAX_NODES = 100_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<Tag> PLAIN_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.SEQ, Tag.MAP);
  private static final Set<String> NOT_A_NUMBER =
      Set.of(".inf", "+.inf", "-.inf", ".nan", ".Inf", "+.Inf", "-.Inf", ".INF", "+.INF", "-.INF");

  private final String source;
  private final SourceMap positions = new SourceMap();
  private final List<Problem> problems = new ArrayList<>();
  private int nodes;

  /** A document's tree (absent when the document is empty), its positions, and its problems. */
  record Parsed(Optional<JsonNode> root, SourceMap positions, List<Problem> problems) {}

  private YamlTree(String source) {
    this.source = source;
  }

  /**
   * Reads the single document of {@code text}, named {@code source} in positions. Problems that
   * leave a usable tree (a duplicate key, a forbidden tag) are returned; the others (bad syntax, a
   * limit passed) are thrown.
   *
   * @throws FoundryException {@code INVALID_MANIFEST} when the text cannot be read as one document
   */
  static Parsed parse(String source, Reader text) {
    return new YamlTree(source).read(text);
  }

  private Parsed read(Reader text) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source)
            .setSchema(new CoreSchema())
            .setAllowDuplicateKeys(false)
            .setAllowRecursiveKeys(false)
            .setAllowNonScalarKeys(true)
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setCodePointLimit(MAX_CODE_POINTS + 1)
            .setUseMarks(true)
            .build();
    Optional<Node> document;
    LimitedParser parser =
        new LimitedParser(
            new ParserImpl(settings, new StreamReader(settings, new LimitedReader(text))));
    try {
      document = new Composer(settings, parser).getSingleNode();
    } catch (IllegalArgumentException malformed) {
      // The composer checks some values (a tag's text) only when it builds the node, and throws
      // plainly: the event it was building from is where the problem was written.
      throw fatal(parser.lastMark(), "YAML syntax error: " + malformed.getMessage());
    } catch (LimitExceeded exceeded) {
      throw fatal(exceeded.mark, exceeded.getMessage());
    } catch (MarkedYamlEngineException syntax) {
      throw fatal(syntax.getProblemMark().or(syntax::getContextMark), syntaxMessage(syntax));
    } catch (YamlEngineException unreadable) {
      throw fatal(Optional.empty(), "cannot read the YAML: " + unreadable.getMessage());
    }
    if (document.isEmpty()) {
      return new Parsed(Optional.empty(), positions, problems);
    }
    positions.put("", position(document.get().getStartMark()));
    try {
      return new Parsed(Optional.of(convert(document.get(), "", 1)), positions, problems);
    } catch (LimitExceeded exceeded) {
      throw fatal(exceeded.mark, exceeded.getMessage());
    }
  }

  private JsonNode convert(Node node, String path, int depth) {
    if (++nodes > MAX_NODES) {
      throw new LimitExceeded(
          node.getStartMark(),
          "the document expands to more than "
              + MAX_NODES
              + " values (aliases repeat what they point to); a manifest is far smaller");
    }
    if (depth > MAX_DEPTH) {
      throw new LimitExceeded(
          node.getStartMark(),
          "values are nested more than " + MAX_DEPTH + " levels deep, or an alias contains itself");
    }
    if (node instanceof AnchorNode anchor) {
      return convert(anchor.getRealNode(), path, depth);
    }
    if (!PLAIN_TAGS.contains(node.getTag())) {
      problem(
          node.getStartMark(),
          path,
          "the tag "
              + shortTag(node.getTag())
              + " is not allowed: a manifest holds only strings, numbers, booleans, null, lists"
              + " and mappings");
      return NODES.nullNode();
    }
    if (node instanceof MappingNode mapping) {
      return mapping(mapping, path, depth);
    }
    if (node instanceof SequenceNode sequence) {
      ArrayNode array = NODES.arrayNode();
      List<Node> items = sequence.getValue();
      for (int index = 0; index < items.size(); index++) {
        String itemPath = TreeReader.index(path, index);
        positions.put(itemPath, position(items.get(index).getStartMark()));
        array.add(convert(items.get(index), itemPath, depth + 1));
      }
      return array;
    }
    return scalar((ScalarNode) node, path);
  }

  private ObjectNode mapping(MappingNode mapping, String path, int depth) {
    ObjectNode object = NODES.objectNode();
    for (NodeTuple entry : mapping.getValue()) {
      Node keyNode = entry.getKeyNode();
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        problem(
            keyNode.getStartMark(), path, "a key must be a plain word, not a list or a mapping");
        continue;
      }
      String key = keyScalar.getValue();
      String keyPath = TreeReader.child(path, key);
      if (object.has(key)) {
        problem(
            keyNode.getStartMark(),
            keyPath,
            "duplicate key (first written at "
                + positions.find(keyPath).map(SourcePosition::toString).orElse("an alias")
                + ")");
        continue;
      }
      positions.put(keyPath, position(keyNode.getStartMark()));
      object.set(key, convert(entry.getValueNode(), keyPath, depth + 1));
    }
    return object;
  }

  private JsonNode scalar(ScalarNode scalar, String path) {
    String text = scalar.getValue();
    Tag tag = scalar.getTag();
    try {
      if (tag.equals(Tag.NULL)) {
        return NODES.nullNode();
      }
      if (tag.equals(Tag.BOOL)) {
        return bool(text);
      }
      if (tag.equals(Tag.INT)) {
        return integer(text);
      }
      if (tag.equals(Tag.FLOAT)) {
        return floating(text, scalar, path);
      }
    } catch (NumberFormatException notANumber) {
      problem(
          scalar.getStartMark(),
          path,
          "expected a value of type " + shortTag(tag) + ", got \"" + text + "\"");
      return NODES.nullNode();
    }
    return NODES.stringNode(text);
  }

  private static JsonNode bool(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.equals("true") && !lower.equals("false")) {
      throw new NumberFormatException(text);
    }
    return NODES.booleanNode(lower.equals("true"));
  }

  private static JsonNode integer(String text) {
    String digits = text.replace("_", "");
    boolean negative = digits.startsWith("-");
    String unsigned =
        digits.startsWith("-") || digits.startsWith("+") ? digits.substring(1) : digits;
    BigInteger value;
    if (unsigned.startsWith("0x")) {
      value = new BigInteger(unsigned.substring(2), 16);
    } else if (unsigned.startsWith("0o")) {
      value = new BigInteger(unsigned.substring(2), 8);
    } else {
      value = new BigInteger(unsigned);
    }
    value = negative ? value.negate() : value;
    if (value.bitLength() < 32) {
      return NODES.numberNode(value.intValue());
    }
    if (value.bitLength() < 64) {
      return NODES.numberNode(value.longValue());
    }
    return NODES.numberNode(value);
  }

  private JsonNode floating(String text, ScalarNode scalar, String path) {
    if (NOT_A_NUMBER.contains(text) || text.equalsIgnoreCase(".nan")) {
      problem(
          scalar.getStartMark(),
          path,
          "expected a finite number, got " + text + " (JSON has no infinity or NaN)");
      return NODES.nullNode();
    }
    double value = new BigDecimal(text.replace("_", "")).doubleValue();
    if (!Double.isFinite(value)) {
      problem(scalar.getStartMark(), path, "the number " + text + " is too large");
      return NODES.nullNode();
    }
    return NODES.numberNode(value);
  }

  private void problem(Optional<Mark> mark, String path, String message) {
    Problem problem = Problem.error(path, message);
    problems.add(mark.isPresent() ? problem.at(position(mark)) : problem);
  }

  private FoundryException fatal(Optional<Mark> mark, String message) {
    Problem problem = Problem.error("", message);
    Problem placed = mark.isPresent() ? problem.at(position(mark)) : problem;
    return new FoundryException(
        ErrorCode.INVALID_MANIFEST, source + " is not a valid manifest", List.of(placed));
  }

  private SourcePosition position(Optional<Mark> mark) {
    return mark.map(found -> new SourcePosition(source, found.getLine() + 1, found.getColumn() + 1))
        .orElse(new SourcePosition(source, 1, 1));
  }

  private static String syntaxMessage(MarkedYamlEngineException syntax) {
    String problem = syntax.getProblem() == null ? "" : syntax.getProblem().strip();
    String context = syntax.getContext() == null ? "" : syntax.getContext().strip();
    StringBuilder message = new StringBuilder("YAML syntax error: ");
    if (problem.startsWith("but ")) {
      return message.append(context).append(", ").append(problem).toString();
    }
    message.append(problem);
    if (!context.isEmpty()) {
      message.append(" (").append(context);
      syntax
          .getContextMark()
          .ifPresent(
              mark ->
                  message
                      .append(" that starts at line ")
                      .append(mark.getLine() + 1)
                      .append(", column ")
                      .append(mark.getColumn() + 1));
      message.append(')');
    }
    return message.toString();
  }

  private static String shortTag(Tag tag) {
    String value = tag.getValue();
    return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length()) : value;
  }

  /** A limit passed while reading: the text, the nesting, the aliases or the expanded nodes. */
  private static final class LimitExceeded extends RuntimeException {
    private final Optional<Mark> mark;

    LimitExceeded(Optional<Mark> mark, String message) {
      super(message, null, false, false);
      this.mark = mark;
    }
  }

  /** Stops the composer's recursion before it is deep enough to overflow the stack. */
  private static final class LimitedParser implements Parser {
    private final Parser parser;
    private int depth;
    private int aliases;
    private Optional<Mark> lastMark = Optional.empty();

    LimitedParser(Parser parser) {
      this.parser = parser;
    }

    /** Where the last event handed out starts. */
    Optional<Mark> lastMark() {
      return lastMark;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return parser.hasNext();
    }

    @Override
    public Event next() {
      Event event = parser.next();
      lastMark = event.getStartMark();
      switch (event.getEventId()) {
        case MappingStart, SequenceStart -> {
          if (++depth > MAX_DEPTH) {
            throw new LimitExceeded(
                event.getStartMark(), "values are nested more than " + MAX_DEPTH + " levels deep");
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        case Alias -> {
          if (++aliases > MAX_ALIASES) {
            throw new LimitExceeded(
                event.getStartMark(),
                "the document uses more than " + MAX_ALIASES + " aliases; a manifest needs few");
          }
        }
        case Comment, DocumentEnd, DocumentStart, Scalar, StreamEnd, StreamStart -> {}
      }
      return event;
    }
  }

  /** Refuses a text longer than the limit while it streams in, before it is all in memory. */
  private static final class LimitedReader extends Reader {
    private final Reader reader;
    private long read;

    LimitedReader(Reader reader) {
      this.reader = reader;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      int count = reader.read(buffer, offset, length);
      if (count > 0) {
        read += count;
        if (read > MAX_CODE_POINTS) {
          throw new LimitExceeded(
              Optional.empty(),
              "the document is larger than 1 MiB ("
                  + MAX_CODE_POINTS
                  + " characters); a manifest is far smaller");
        }
      }
      return count;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
