package org.openfoundry.predictions;

/** A position in pixels: {@code x} from the left edge, {@code y} from the top edge. */
public record Vertex(double x, double y) {
  public Vertex {
    Checks.coordinate("x", x);
    Checks.coordinate("y", y);
  }
}
