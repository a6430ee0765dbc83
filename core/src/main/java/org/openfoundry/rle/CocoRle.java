package org.openfoundry.rle;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * The COCO compressed counts string: each run is written as groups of five bits, least significant
 * first, one character per group ({@code '0'} + group). A character's bit {@code 0x20} says that
 * more groups follow and the last group's bit {@code 0x10} is the sign. From the fourth run on, the
 * value written is the difference to the run two places earlier, which keeps the strings of smooth
 * shapes short.
 */
public final class CocoRle {
  private static final char FIRST_CHARACTER = '0';
  private static final char LAST_CHARACTER = 'o';
  private static final int GROUP_BITS = 5;
  private static final int PAYLOAD = 0x1f;
  private static final int SIGN = 0x10;
  private static final int MORE = 0x20;

  // A difference of two runs lies within +-(2^31 - 1): 32 bits with the sign, so 7 groups.
  private static final int LONGEST_ENCODED_RUN = 7;

  // Encoders may pad a value with extra groups; beyond twelve a long can no longer hold it.
  private static final int LONGEST_DECODED_RUN = 12;

  private CocoRle() {}

  /**
   * Decodes a compressed counts string into run lengths.
   *
   * @throws FoundryException with {@link ErrorCode#INVALID_RLE} naming the character index of a
   *     character outside {@code '0'..'o'}, a value cut short, a negative run or a run beyond int;
   *     {@link ErrorCode#PAYLOAD_TOO_LARGE} for a string of more than {@link RleMask#MAX_RUNS} runs
   */
  public static int[] decode(String compressed) {
    requireNonNull(compressed, "compressed is null");
    int length = compressed.length();
    // Every run takes at least one character, so the string's length bounds the number of runs.
    int[] counts = new int[Math.min(length, RleMask.MAX_RUNS)];
    int runs = 0;
    int index = 0;
    while (index < length) {
      if (runs == RleMask.MAX_RUNS) {
        throw tooManyRuns("more than " + RleMask.MAX_RUNS);
      }
      int start = index;
      long value = 0;
      int shift = 0;
      int group;
      do {
        if (index == length) {
          throw invalid(
              "the string ends at index "
                  + length
                  + " inside the value that starts at index "
                  + start
                  + ": its last character "
                  + describe(compressed.charAt(length - 1))
                  + " says more characters follow");
        }
        if (index - start == LONGEST_DECODED_RUN) {
          throw invalid(
              "the value that starts at index "
                  + start
                  + " goes on for more than "
                  + LONGEST_DECODED_RUN
                  + " characters, beyond the range of a run");
        }
        group = group(compressed, index);
        value |= (long) (group & PAYLOAD) << shift;
        shift += GROUP_BITS;
        index++;
      } while ((group & MORE) != 0);
      if ((group & SIGN) != 0) {
        value |= -1L << shift;
      }
      if (runs > 2) {
        value += counts[runs - 2];
      }
      if (value < 0) {
        throw invalid(
            "run "
                + runs
                + " (the value at index "
                + start
                + ") is "
                + value
                + ", a negative run length");
      }
      if (value > Integer.MAX_VALUE) {
        throw invalid(
            "run "
                + runs
                + " (the value at index "
                + start
                + ") is "
                + value
                + ", beyond the largest run length "
                + Integer.MAX_VALUE);
      }
      counts[runs++] = (int) value;
    }
    return Arrays.copyOf(counts, runs);
  }

  /**
   * Encodes run lengths as a compressed counts string, byte for byte as the COCO tools do.
   *
   * @throws FoundryException with {@link ErrorCode#INVALID_RLE} when a run is negative
   */
  public static String encode(int[] counts) {
    requireNonNull(counts, "counts is null");
    byte[] characters = new byte[counts.length * LONGEST_ENCODED_RUN];
    int length = 0;
    for (int run = 0; run < counts.length; run++) {
      if (counts[run] < 0) {
        throw new FoundryException(
            ErrorCode.INVALID_RLE,
            "cannot encode COCO RLE counts: run "
                + run
                + " is "
                + counts[run]
                + ", a negative run length");
      }
      long value = run > 2 ? (long) counts[run] - counts[run - 2] : counts[run];
      boolean more;
      do {
        int group = (int) (value & PAYLOAD);
        value >>= GROUP_BITS;
        more = (group & SIGN) != 0 ? value != -1 : value != 0;
        characters[length++] = (byte) (FIRST_CHARACTER + (more ? group | MORE : group));
      } while (more);
    }
    return new String(characters, 0, length, StandardCharsets.US_ASCII);
  }

  private static int group(String compressed, int index) {
    char character = compressed.charAt(index);
    if (character < FIRST_CHARACTER || character > LAST_CHARACTER) {
      throw invalid(
          "character "
              + describe(character)
              + " at index "
              + index
              + " is outside '0'..'o' (codes 48..111)");
    }
    return character - FIRST_CHARACTER;
  }

  private static String describe(char character) {
    if (character >= ' ' && character <= '~') {
      return "'" + character + "'";
    }
    return String.format("U+%04X", (int) character);
  }

  /** The error for a mask of more than {@link RleMask#MAX_RUNS} runs. */
  static FoundryException tooManyRuns(String runs) {
    return new FoundryException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "the mask has "
            + runs
            + " runs, more than the limit of "
            + RleMask.MAX_RUNS
            + " (the runs of a 2048 x 2048 checkerboard)");
  }

  private static FoundryException invalid(String message) {
    return new FoundryException(
        ErrorCode.INVALID_RLE, "invalid COCO RLE counts string: " + message);
  }
}
