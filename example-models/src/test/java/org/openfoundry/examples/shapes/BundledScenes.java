package org.openfoundry.examples.shapes;

import java.util.ArrayList;
import java.util.List;

/** The bundled scenes as the generator draws them, drawn once for all tests. */
final class BundledScenes {
  private static List<Scene> scenes;

  private BundledScenes() {}

  static synchronized List<Scene> all() {
    if (scenes == null) {
      SceneGenerator generator = new SceneGenerator(SceneGenerator.BUNDLED_SEED);
      List<Scene> drawn = new ArrayList<>();
      for (int index = 1; index <= SceneGenerator.BUNDLED_SCENES; index++) {
        drawn.add(generator.scene(index));
      }
      scenes = List.copyOf(drawn);
    }
    return scenes;
  }
}
