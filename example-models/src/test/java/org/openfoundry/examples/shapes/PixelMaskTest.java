package org.openfoundry.examples.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PixelMaskTest {

  @Test
  void fills_enclosed_holes_up_to_the_limit_and_leaves_larger_ones() {
    PixelMask mask = ring(0, 0, 5, 5);
    PixelMask big = ring(6, 0, 12, 7);
    mask.addAll(big);
    int before = mask.area();

    mask.fillHoles(9);

    assertThat(mask.get(2, 2)).isTrue();
    assertThat(mask.get(9, 3)).isFalse();
    assertThat(mask.area()).isEqualTo(before + 9);
  }

  @Test
  void does_not_fill_a_gap_that_opens_to_the_edge_of_the_mask() {
    PixelMask mask = ring(0, 0, 5, 5);
    mask = without(mask, 2, 0);

    mask.fillHoles(Integer.MAX_VALUE);

    assertThat(mask.get(2, 2)).isFalse();
  }

  @Test
  void measures_intersection_over_union() {
    PixelMask first = rectangle(0, 0, 4, 4);
    PixelMask second = rectangle(2, 0, 6, 4);

    assertThat(first.iou(second)).isEqualTo(8.0 / 24);
    assertThat(first.bounds()).containsExactly(0, 0, 3, 3);
  }

  private static PixelMask ring(int left, int top, int right, int bottom) {
    PixelMask mask = new PixelMask(16, 10);
    for (int y = top; y < bottom; y++) {
      for (int x = left; x < right; x++) {
        if (y == top || y == bottom - 1 || x == left || x == right - 1) {
          mask.set(x, y);
        }
      }
    }
    return mask;
  }

  private static PixelMask rectangle(int left, int top, int right, int bottom) {
    PixelMask mask = new PixelMask(16, 10);
    for (int y = top; y < bottom; y++) {
      for (int x = left; x < right; x++) {
        mask.set(x, y);
      }
    }
    return mask;
  }

  private static PixelMask without(PixelMask mask, int gapX, int gapY) {
    PixelMask copy = new PixelMask(mask.width(), mask.height());
    for (int y = 0; y < mask.height(); y++) {
      for (int x = 0; x < mask.width(); x++) {
        if (mask.get(x, y) && !(x == gapX && y == gapY)) {
          copy.set(x, y);
        }
      }
    }
    return copy;
  }
}
