package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.predictions.Box;
import org.openfoundry.predictions.EntitySpan;
import org.openfoundry.predictions.Mask;
import org.openfoundry.rle.BinaryMask;
import org.openfoundry.rle.RleMask;

class OverlayTest {
  @Test
  void draws_a_box_in_image_pixels_with_its_label_and_score() {
    Overlay overlay =
        new Overlay(
            Ontology.empty(),
            List.of(new Box("car", 40, 60, 100, 50, OptionalDouble.of(0.92), List.of())));

    Overlay.Shape box = overlay.shapes().getFirst();
    assertThat(List.of(box.x(), box.y(), box.width(), box.height()))
        .containsExactly("40", "60", "100", "50");
    assertThat(box.label()).isEqualTo("car 0.92");
    assertThat(box.score()).isEqualTo("0.9200");
    assertThat(overlay.legend()).extracting(Overlay.LegendItem::count).containsExactly(1);
  }

  @Test
  void hands_a_mask_over_as_uncompressed_run_lengths() {
    BinaryMask mask = new BinaryMask(2, 3);
    mask.set(1, 0, true);
    mask.set(0, 2, true);
    Overlay overlay =
        new Overlay(
            Ontology.empty(),
            List.of(new Mask("road", RleMask.of(mask), OptionalDouble.empty(), List.of())));

    Overlay.MaskLayer layer = overlay.masks().getFirst();
    assertThat(layer.height()).isEqualTo(2);
    assertThat(layer.width()).isEqualTo(3);
    assertThat(layer.counts()).isEqualTo("1 1 2 1 1");
    assertThat(layer.score()).isEmpty();
  }

  @Test
  void highlights_entities_in_the_text_and_skips_one_that_overlaps_an_earlier_one() {
    Overlay overlay =
        new Overlay(
            Ontology.empty(),
            List.of(
                new EntitySpan("person", 0, 3, "Tom", OptionalDouble.empty(), List.of()),
                new EntitySpan("org", 24, 27, "IBM", OptionalDouble.empty(), List.of()),
                new EntitySpan("place", 1, 5, "om a", OptionalDouble.empty(), List.of())));

    List<Overlay.Segment> segments = overlay.segments("Tom is happy to work at IBM.");

    assertThat(segments)
        .extracting(Overlay.Segment::text)
        .containsExactly("Tom", " is happy to work at ", "IBM", ".");
    assertThat(segments)
        .extracting(Overlay.Segment::marked)
        .containsExactly(true, false, true, false);
  }
}
