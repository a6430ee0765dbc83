package org.openfoundry.examples.shapes;

/**
 * The colour classes a pixel can fall in, each an HSV box. Classes are tried in declaration order
 * and the first box that holds the colour wins, so the narrow saturated classes come before the
 * broad ones. Membership is how central a colour sits in its box: 1 at the centre, 0.5 on an edge.
 */
enum PixelClass {
  SUN(new Range(40, 66), new Range(0.55, 1), new Range(0.75, 1)),
  SIGN(new Range(16, 38), new Range(0.7, 1), new Range(0.7, 1)),
  CAR_RED(new Range(340, 372), new Range(0.55, 1), new Range(0.35, 1)),
  CAR_BLUE(new Range(212, 252), new Range(0.62, 1), new Range(0.3, 0.85)),
  CAR_PURPLE(new Range(278, 330), new Range(0.45, 1), new Range(0.3, 1)),
  SKY(new Range(185, 228), new Range(0.15, 0.62), new Range(0.68, 1)),
  GRASS(new Range(72, 155), new Range(0.3, 1), new Range(0.18, 0.9)),
  ASPHALT(new Range(0, 360), new Range(0, 0.16), new Range(0.24, 0.62)),
  WHITE(new Range(0, 360), new Range(0, 0.16), new Range(0.8, 1)),
  DARK(new Range(0, 360), new Range(0, 1), new Range(0, 0.2)),
  OTHER(new Range(0, 360), new Range(0, 1), new Range(0, 1));

  /** A closed interval; hue intervals may run past 360 to wrap around red. */
  record Range(double low, double high) {
    Range {
      if (!(low < high)) {
        throw new IllegalArgumentException("empty range " + low + ".." + high);
      }
    }

    boolean holds(double x) {
      return x >= low && x <= high;
    }

    double centrality(double x) {
      return 1 - Math.abs(x - (low + high) / 2) / (high - low);
    }
  }

  private static final PixelClass[] ORDER = values();

  private final Range hue;
  private final Range saturation;
  private final Range value;

  PixelClass(Range hue, Range saturation, Range value) {
    this.hue = hue;
    this.saturation = saturation;
    this.value = value;
  }

  static PixelClass of(Hsv colour) {
    for (PixelClass candidate : ORDER) {
      if (candidate.holds(colour)) {
        return candidate;
      }
    }
    return OTHER;
  }

  boolean holds(Hsv colour) {
    return hue.holds(unwrap(colour.hue()))
        && saturation.holds(colour.saturation())
        && value.holds(colour.value());
  }

  /** In [0.5, 1] for a colour the class holds; the chromatic classes weigh hue most. */
  double membership(Hsv colour) {
    if (this == OTHER) {
      return 0.5;
    }
    double central =
        isAchromatic()
            ? (saturation.centrality(colour.saturation()) + value.centrality(colour.value())) / 2
            : (2 * hue.centrality(unwrap(colour.hue()))
                    + saturation.centrality(colour.saturation())
                    + value.centrality(colour.value()))
                / 4;
    return Math.max(0.5, Math.min(1, central));
  }

  boolean isCar() {
    return this == CAR_RED || this == CAR_BLUE || this == CAR_PURPLE;
  }

  private boolean isAchromatic() {
    return this == ASPHALT || this == WHITE || this == DARK;
  }

  /** Reds straddle 0 degrees: a red box of 340..372 also holds hue 5 as 365. */
  private double unwrap(double degrees) {
    return hue.high() > 360 && degrees < hue.high() - 360 ? degrees + 360 : degrees;
  }
}
