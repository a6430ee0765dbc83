package org.openfoundry.problems;

/** How serious a {@link Problem} is: errors reject the input, warnings only inform. */
public enum Severity {
  ERROR,
  WARNING;

  /** The lower-case word used in reports. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
