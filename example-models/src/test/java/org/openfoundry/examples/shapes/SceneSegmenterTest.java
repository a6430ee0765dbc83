package org.openfoundry.examples.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.examples.bundle.ExampleBundle;

class SceneSegmenterTest {
  private final SceneSegmenter segmenter = new SceneSegmenter(ShapesModel.DEFAULT_MIN_AREA);

  @Test
  void finds_every_visible_object_of_the_bundled_scenes_and_nothing_else() throws IOException {
    int objects = 0;
    for (Scene scene : BundledScenes.all()) {
      Segmentation found = segmenter.segment(bundled(scene));
      List<Segment> unmatched = new ArrayList<>(confident(found.objects()));
      for (Scene.TrueObject truth : scene.objects()) {
        Segment best = best(truth, unmatched);
        assertThat(best).as("%s: %s at %s", scene.name(), truth.feature(), box(truth)).isNotNull();
        assertThat(boxIou(truth.box(), box(best))).as(scene.name()).isGreaterThanOrEqualTo(0.8);
        unmatched.remove(best);
        objects++;
      }
      assertThat(unmatched).as("%s: false detections", scene.name()).isEmpty();
    }
    assertThat(objects).isGreaterThan(50);
  }

  @Test
  void segments_sky_road_and_grass_close_to_their_true_pixels() throws IOException {
    for (Scene scene : BundledScenes.all()) {
      Segmentation found = segmenter.segment(bundled(scene));
      for (SceneFeature region : List.of(SceneFeature.SKY, SceneFeature.ROAD, SceneFeature.GRASS)) {
        PixelMask mask = found.regions().get(region).pixels();
        assertThat(mask.iou(scene.regions().get(region)))
            .as("%s %s", scene.name(), region)
            .isGreaterThanOrEqualTo(0.95);
      }
    }
  }

  @Test
  void tells_clear_from_cloudy_weather() throws IOException {
    for (Scene scene : BundledScenes.all()) {

      assertThat(segmenter.segment(bundled(scene)).weather())
          .as(scene.name())
          .isEqualTo(scene.weather());
    }
  }

  @Test
  void gives_a_car_its_tyres_and_fills_its_windows() throws IOException {
    Scene scene = sceneWithCar();
    Scene.TrueObject car =
        scene.objects().stream()
            .filter(o -> o.feature() == SceneFeature.CAR)
            .findFirst()
            .orElseThrow();
    Segment found = best(car, segmenter.segment(bundled(scene)).objects(SceneFeature.CAR));

    // The tyres reach below the body and the windows sit inside it: both are in the true pixels.
    assertThat(found.pixels().iou(car.pixels())).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void drops_objects_smaller_than_the_minimum_area() throws IOException {
    Scene scene = sceneWithCar();
    Segmentation found = new SceneSegmenter(100_000).segment(bundled(scene));

    assertThat(found.objects()).isEmpty();
  }

  private static Scene sceneWithCar() {
    return BundledScenes.all().stream()
        .filter(scene -> scene.objects().stream().anyMatch(o -> o.feature() == SceneFeature.CAR))
        .findFirst()
        .orElseThrow();
  }

  static java.awt.image.BufferedImage bundled(Scene scene) throws IOException {
    return SceneGeneratorTest.read(ExampleBundle.image(scene.name()).orElseThrow());
  }

  private static List<Segment> confident(List<Segment> segments) {
    return segments.stream()
        .filter(segment -> segment.score() >= ShapesModel.DEFAULT_CONFIDENCE)
        .toList();
  }

  private static Segment best(Scene.TrueObject truth, List<Segment> candidates) {
    Segment best = null;
    double bestIou = 0;
    for (Segment candidate : candidates) {
      double iou = boxIou(truth.box(), box(candidate));
      if (candidate.feature() == truth.feature() && iou > bestIou) {
        best = candidate;
        bestIou = iou;
      }
    }
    return best;
  }

  private static int[] box(Segment segment) {
    int[] bounds = segment.pixels().bounds();
    return new int[] {bounds[0], bounds[1], bounds[2] - bounds[0] + 1, bounds[3] - bounds[1] + 1};
  }

  private static List<Integer> box(Scene.TrueObject truth) {
    return Arrays.stream(truth.box()).boxed().toList();
  }

  static double boxIou(int[] first, int[] second) {
    int left = Math.max(first[0], second[0]);
    int top = Math.max(first[1], second[1]);
    int right = Math.min(first[0] + first[2], second[0] + second[2]);
    int bottom = Math.min(first[1] + first[3], second[1] + second[3]);
    double overlap = (double) Math.max(0, right - left) * Math.max(0, bottom - top);
    return overlap / ((double) first[2] * first[3] + (double) second[2] * second[3] - overlap);
  }
}
