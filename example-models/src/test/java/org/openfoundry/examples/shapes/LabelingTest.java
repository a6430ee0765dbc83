package org.openfoundry.examples.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelingTest {
  private static final Map<Character, Integer> COLOURS =
      Map.of(
          '.', new Hsv(120, 0.6, 0.55).rgb(),
          'R', new Hsv(0, 0.85, 0.8).rgb(),
          'Y', new Hsv(52, 0.85, 0.98).rgb());

  @Test
  void joins_diagonal_neighbours_into_one_component() {
    Labeling labeling = label("R...", ".R..", "..R.", "...R");

    List<Component> red = of(labeling, PixelClass.CAR_RED);
    assertThat(red).hasSize(1);
    assertThat(red.getFirst().area()).isEqualTo(4);
    assertThat(bounds(red.getFirst())).containsExactly(0, 0, 3, 3);
  }

  @Test
  void keeps_apart_components_of_one_class_that_do_not_touch() {
    Labeling labeling = label("RR..RR", "RR..RR", "......", "..RR..");

    assertThat(of(labeling, PixelClass.CAR_RED))
        .extracting(Component::area)
        .containsExactlyInAnyOrder(4, 4, 2);
  }

  @Test
  void merges_provisional_labels_that_meet_late_in_the_scan() {
    // The two arms of the U get different labels on the first row and meet on the last.
    Labeling labeling = label("R...R", "R...R", "R...R", "RRRRR");

    List<Component> red = of(labeling, PixelClass.CAR_RED);
    assertThat(red).hasSize(1);
    assertThat(red.getFirst().area()).isEqualTo(11);
  }

  @Test
  void separates_touching_pixels_of_different_classes() {
    Labeling labeling = label("RRYY", "RRYY");

    assertThat(of(labeling, PixelClass.CAR_RED)).hasSize(1);
    assertThat(of(labeling, PixelClass.SUN)).hasSize(1);
    assertThat(labeling.labelAt(0)).isNotEqualTo(labeling.labelAt(2));
  }

  @Test
  void labels_every_pixel_with_its_components_dense_id() {
    Labeling labeling = label("R.R", "...", "R.R");

    for (int index = 0; index < 9; index++) {
      Component component = labeling.components().get(labeling.labelAt(index));
      assertThat(component.id()).isEqualTo(labeling.labelAt(index));
    }
    assertThat(labeling.components()).hasSize(5);
  }

  private static Labeling label(String... rows) {
    BufferedImage image =
        new BufferedImage(rows[0].length(), rows.length, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < rows[y].length(); x++) {
        image.setRGB(x, y, COLOURS.get(rows[y].charAt(x)));
      }
    }
    return Labeling.of(ColourMap.of(image));
  }

  private static List<Component> of(Labeling labeling, PixelClass pixelClass) {
    return labeling.components().stream()
        .filter(component -> component.pixelClass() == pixelClass)
        .toList();
  }

  private static List<Integer> bounds(Component component) {
    return List.of(component.minX(), component.minY(), component.maxX(), component.maxY());
  }
}
