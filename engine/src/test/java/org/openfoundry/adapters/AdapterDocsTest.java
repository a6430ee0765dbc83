package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openfoundry.manifest.LoadedManifest;
import org.openfoundry.manifest.ManifestLoader;

/**
 * Every adapter page's manifest loads, with its adapter options checked, and builds its adapter.
 */
class AdapterDocsTest {
  private static final Path DOCS = Path.of("..", "docs", "adapters");
  private static final Pattern YAML = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  static Stream<String> adapters() {
    return new AdapterRegistry(Fixtures.environment()).names().stream();
  }

  @ParameterizedTest
  @MethodSource("adapters")
  void documents_the_adapter_with_a_manifest_that_loads(String name) throws IOException {
    Path page = DOCS.resolve(name + ".md");
    String text = Files.readString(page);
    Matcher block = YAML.matcher(text);
    assertThat(block.find()).as(page + " has a model.yaml example").isTrue();
    AdapterRegistry registry = new AdapterRegistry(Fixtures.environment());

    LoadedManifest loaded = new ManifestLoader(registry).load(page.toString(), block.group(1));

    assertThat(loaded.warnings()).as(page + " loads without warnings").isEmpty();
    assertThat(loaded.manifest().endpoint().adapter()).isEqualTo(name);
    assertThat(registry.forManifest(loaded.manifest()).name()).isEqualTo(name);
    assertThat(Files.readString(DOCS.resolve("README.md"))).contains("(" + name + ".md)");
    assertThat(List.of(text.split("\n"))).anyMatch(line -> line.startsWith("## Options"));
  }
}
