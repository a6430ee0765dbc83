package org.openfoundry.params;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;
import java.util.regex.Pattern;

/**
 * The regular expressions of parameter schemas ({@code pattern}, {@code patternProperties}),
 * matched with a bounded amount of work. A manifest's author writes the pattern and a run's author
 * the value, so a pattern that backtracks without end (such as {@code ^(.*a){12}$}) must fail the
 * check instead of holding a thread for minutes: the matcher reads the value through a view that
 * counts the characters it looks at and gives up past a budget.
 */
final class BoundedPatterns implements RegularExpressionFactory {
  static final BoundedPatterns INSTANCE = new BoundedPatterns();

  /** Character reads allowed for any value: far more than a sane pattern needs on short text. */
  static final long BASE_STEPS = 10_000_000;

  /** Further character reads allowed for each character of the value. */
  static final long STEPS_PER_CHARACTER = 100;

  /** The longest pattern: compiling one recurses once per nested group. */
  static final int MAX_LENGTH = 1_000;

  private BoundedPatterns() {}

  @Override
  public RegularExpression getRegularExpression(String regex) {
    // The same translation of ECMA-262 anchors and property names as the validator's own engine.
    Pattern pattern =
        Pattern.compile(
            RegularExpressions.replaceLongformCharacterProperties(
                RegularExpressions.replaceDollarAnchors(regex)));
    return value -> {
      try {
        return pattern.matcher(new CountedText(regex, value)).find();
      } catch (StackOverflowError tooDeep) {
        // The matcher recurses once per repetition of a group: a long value can exhaust the stack.
        throw new TooMuchBacktracking(regex);
      }
    };
  }

  /** Thrown out of a schema validation when a pattern used up its budget on a value. */
  static final class TooMuchBacktracking extends RuntimeException {
    private final String regex;

    TooMuchBacktracking(String regex) {
      super("the pattern " + regex + " backtracks too much", null, false, false);
      this.regex = regex;
    }

    String regex() {
      return regex;
    }
  }

  /** The value as the matcher sees it, counting every character read against the budget. */
  private static final class CountedText implements CharSequence {
    private final String regex;
    private final String text;
    private final int offset;
    private final int length;
    private final long[] remaining;

    CountedText(String regex, String text) {
      this(
          regex,
          text,
          0,
          text.length(),
          new long[] {BASE_STEPS + STEPS_PER_CHARACTER * text.length()});
    }

    private CountedText(String regex, String text, int offset, int length, long[] remaining) {
      this.regex = regex;
      this.text = text;
      this.offset = offset;
      this.length = length;
      this.remaining = remaining;
    }

    @Override
    public char charAt(int index) {
      if (--remaining[0] < 0) {
        throw new TooMuchBacktracking(regex);
      }
      return text.charAt(offset + index);
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new CountedText(regex, text, offset + start, end - start, remaining);
    }

    @Override
    public String toString() {
      return text.substring(offset, offset + length);
    }
  }
}
