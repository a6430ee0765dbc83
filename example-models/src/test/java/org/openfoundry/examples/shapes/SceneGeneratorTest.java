package org.openfoundry.examples.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openfoundry.examples.bundle.ExampleBundle;

class SceneGeneratorTest {
  private static final int LARGEST_PNG = 30 * 1024;

  @Test
  void regenerates_the_bundled_images_pixel_for_pixel() throws IOException {
    for (Scene scene : BundledScenes.all()) {
      byte[] png = ExampleBundle.image(scene.name()).orElseThrow();
      BufferedImage bundled = read(png);

      assertThat(png.length).as(scene.name()).isLessThan(LARGEST_PNG);
      assertThat(pixels(bundled)).as(scene.name()).isEqualTo(pixels(scene.image()));
    }
  }

  @Test
  void regenerates_the_bundled_ground_truth() {
    assertThat(SceneGenerator.groundTruth(BundledScenes.all()))
        .isEqualTo(ExampleBundle.groundTruth());
  }

  @Test
  void draws_scenes_with_every_object_kind_occlusion_and_both_weathers() {
    List<Scene> scenes = BundledScenes.all();

    assertThat(scenes)
        .flatExtracting(Scene::objects)
        .extracting(Scene.TrueObject::feature)
        .contains(SceneFeature.CAR, SceneFeature.SUN, SceneFeature.SIGN);
    assertThat(scenes).extracting(Scene::weather).contains("clear", "cloudy");
    assertThat(scenes)
        .filteredOn(
            scene ->
                scene.objects().stream().filter(o -> o.feature() == SceneFeature.CAR).count() == 3)
        .isNotEmpty();
    // A hidden part shows as a visible box smaller than the drawn shape: some sun is cut by cloud.
    assertThat(scenes)
        .flatExtracting(Scene::objects)
        .filteredOn(object -> object.feature() == SceneFeature.SUN)
        .anyMatch(sun -> sun.box()[2] != sun.box()[3]);
  }

  @Test
  void gives_the_same_scene_for_the_same_seed_and_another_for_another_seed() {
    Scene first = BundledScenes.all().get(2);
    Scene again = new SceneGenerator(SceneGenerator.BUNDLED_SEED).scene(3);
    Scene other = new SceneGenerator(SceneGenerator.BUNDLED_SEED + 1).scene(3);

    assertThat(pixels(again.image())).isEqualTo(pixels(first.image()));
    assertThat(pixels(other.image())).isNotEqualTo(pixels(first.image()));
  }

  static BufferedImage read(byte[] png) throws IOException {
    try (InputStream in = new java.io.ByteArrayInputStream(png)) {
      return ImageIO.read(in);
    }
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
