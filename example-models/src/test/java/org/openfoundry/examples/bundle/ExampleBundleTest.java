package org.openfoundry.examples.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ExampleBundleTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void lists_the_bundled_scenes_and_serves_each_as_a_png() {
    List<String> names = ExampleBundle.imageNames();

    assertThat(names).hasSize(24).startsWith("scene-01.png").endsWith("scene-24.png");
    for (String name : names) {
      byte[] png = ExampleBundle.image(name).orElseThrow();
      assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }
  }

  @Test
  void serves_no_image_for_a_name_outside_the_bundle() {
    assertThat(ExampleBundle.image("../models/shapes/model.yaml")).isEmpty();
    assertThat(ExampleBundle.image("scene-99.png")).isEmpty();
    assertThat(ExampleBundle.image("ground-truth.json")).isEmpty();
  }

  @Test
  void resolves_the_scene_rows_against_the_base_url_where_the_images_are_served() {
    List<JsonNode> rows =
        ExampleBundle.streetScenes(URI.create("http://127.0.0.1:9000/"))
            .lines()
            .map(JSON::readTree)
            .toList();

    assertThat(rows).hasSize(24);
    assertThat(rows.getFirst().get("row_data").asString())
        .isEqualTo("http://127.0.0.1:9000/images/scene-01.png");
    assertThat(rows)
        .allSatisfy(row -> assertThat(row.get("media_type").asString()).isEqualTo("IMAGE"));
  }

  @Test
  void bundles_news_snippets_as_text_rows_with_unique_global_keys() {
    List<JsonNode> rows = ExampleBundle.newsSnippets().lines().map(JSON::readTree).toList();

    assertThat(rows).hasSize(24);
    assertThat(rows).extracting(row -> row.get("global_key").asString()).doesNotHaveDuplicates();
    assertThat(rows)
        .allSatisfy(row -> assertThat(row.get("media_type").asString()).isEqualTo("TEXT"));
  }

  @Test
  void fills_in_the_endpoint_of_a_manifest() {
    String manifest =
        ExampleBundle.manifest("shapes", URI.create("http://127.0.0.1:40123/models/shapes"));

    assertThat(manifest)
        .contains("\ninference_endpoint: http://127.0.0.1:40123/models/shapes\n")
        .doesNotContain("8081");
  }

  @Test
  void refuses_a_manifest_that_is_not_bundled() {
    assertThatThrownBy(() -> ExampleBundle.manifest("../../etc"))
        .isInstanceOf(FoundryException.class)
        .hasMessage("no bundled example model is called \"../../etc\"");
  }
}
