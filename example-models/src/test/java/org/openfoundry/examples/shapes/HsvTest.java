package org.openfoundry.examples.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HsvTest {

  @Test
  void reads_primary_colours() {
    assertThat(Hsv.of(0xff0000)).isEqualTo(new Hsv(0, 1, 1));
    assertThat(Hsv.of(0x00ff00)).isEqualTo(new Hsv(120, 1, 1));
    assertThat(Hsv.of(0x0000ff)).isEqualTo(new Hsv(240, 1, 1));
    assertThat(Hsv.of(0x000000)).isEqualTo(new Hsv(0, 0, 0));
  }

  @Test
  void round_trips_random_colours_to_within_one_step_per_channel() {
    Random random = new Random(7);
    for (int sample = 0; sample < 2_000; sample++) {
      int rgb = random.nextInt(0x1000000);
      int back = Hsv.of(rgb).rgb();
      for (int shift = 0; shift <= 16; shift += 8) {
        assertThat((back >> shift) & 0xff).isCloseTo((rgb >> shift) & 0xff, within(1));
      }
    }
  }

  @Test
  void classes_colours_by_their_hsv_box_with_reds_wrapping_round_zero() {
    assertThat(PixelClass.of(new Hsv(357, 0.82, 0.78))).isEqualTo(PixelClass.CAR_RED);
    assertThat(PixelClass.of(new Hsv(5, 0.82, 0.78))).isEqualTo(PixelClass.CAR_RED);
    assertThat(PixelClass.of(new Hsv(205, 0.4, 0.9))).isEqualTo(PixelClass.SKY);
    assertThat(PixelClass.of(new Hsv(228, 0.8, 0.62))).isEqualTo(PixelClass.CAR_BLUE);
    assertThat(PixelClass.of(new Hsv(220, 0.05, 0.42))).isEqualTo(PixelClass.ASPHALT);
    assertThat(PixelClass.of(new Hsv(220, 0.03, 0.95))).isEqualTo(PixelClass.WHITE);
    assertThat(PixelClass.of(new Hsv(30, 0.55, 0.38))).isEqualTo(PixelClass.OTHER);
  }

  @Test
  void scores_membership_highest_at_the_centre_of_a_class() {
    double centre = PixelClass.SUN.membership(new Hsv(53, 0.775, 0.875));
    double edge = PixelClass.SUN.membership(new Hsv(41, 0.56, 0.76));

    assertThat(centre).isCloseTo(1, within(1e-9));
    assertThat(edge).isLessThan(centre).isGreaterThanOrEqualTo(0.5);
  }
}
