package org.openfoundry.adapters;

/** Tokens a model reports it read and wrote for one call. */
public record TokenUsage(long inputTokens, long outputTokens, long totalTokens) {
  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0 || totalTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must not be negative, got "
              + inputTokens
              + ", "
              + outputTokens
              + ", "
              + totalTokens);
    }
  }

  /** The total as reported, or input plus output when the vendor gives no total. */
  public static TokenUsage of(long inputTokens, long outputTokens, long reportedTotal) {
    return new TokenUsage(
        inputTokens, outputTokens, reportedTotal > 0 ? reportedTotal : inputTokens + outputTokens);
  }
}
