package org.openfoundry.examples.shapes;

/** A colour as hue in degrees [0, 360), saturation and value in [0, 1]. */
record Hsv(double hue, double saturation, double value) {
  Hsv {
    if (hue < 0 || hue >= 360 || saturation < 0 || saturation > 1 || value < 0 || value > 1) {
      throw new IllegalArgumentException(
          "hsv out of range: " + hue + ", " + saturation + ", " + value);
    }
  }

  static Hsv of(int rgb) {
    int red = (rgb >> 16) & 0xff;
    int green = (rgb >> 8) & 0xff;
    int blue = rgb & 0xff;
    int max = Math.max(red, Math.max(green, blue));
    int min = Math.min(red, Math.min(green, blue));
    double chroma = max - min;
    double hue;
    if (chroma == 0) {
      hue = 0;
    } else if (max == red) {
      hue = 60 * (((green - blue) / chroma) % 6);
    } else if (max == green) {
      hue = 60 * ((blue - red) / chroma + 2);
    } else {
      hue = 60 * ((red - green) / chroma + 4);
    }
    if (hue < 0) {
      hue += 360;
    }
    if (hue >= 360) {
      hue -= 360;
    }
    return new Hsv(hue, max == 0 ? 0 : chroma / max, max / 255.0);
  }

  /** The packed {@code 0xRRGGBB} colour. */
  int rgb() {
    double chroma = value * saturation;
    double sector = hue / 60;
    double second = chroma * (1 - Math.abs(sector % 2 - 1));
    double[] channels =
        switch ((int) sector) {
          case 0 -> new double[] {chroma, second, 0};
          case 1 -> new double[] {second, chroma, 0};
          case 2 -> new double[] {0, chroma, second};
          case 3 -> new double[] {0, second, chroma};
          case 4 -> new double[] {second, 0, chroma};
          default -> new double[] {chroma, 0, second};
        };
    double lift = value - chroma;
    return channel(channels[0] + lift) << 16
        | channel(channels[1] + lift) << 8
        | channel(channels[2] + lift);
  }

  private static int channel(double fraction) {
    return (int) Math.round(Math.min(1, Math.max(0, fraction)) * 255);
  }
}
