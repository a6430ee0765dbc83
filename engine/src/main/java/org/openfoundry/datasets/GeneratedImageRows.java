package org.openfoundry.datasets;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.openfoundry.ontology.AssetType;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Image rows made one at a time as an import reads them, never held as a list: row {@code n} has
 * the global key {@code <prefix>-<n>.jpg}, a URL of that name and the metadata {@code {"index":
 * n}}. For load runs and tests that need many rows.
 */
public final class GeneratedImageRows implements Iterator<NewDataRow> {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String prefix;
  private final int count;
  private int made;

  public GeneratedImageRows(String prefix, int count) {
    this.prefix = requireNonNull(prefix, "prefix is null");
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    this.count = count;
  }

  @Override
  public boolean hasNext() {
    return made < count;
  }

  @Override
  public NewDataRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + count + " rows were made");
    }
    made++;
    String name = prefix + "-" + made + ".jpg";
    return new NewDataRow(
        made,
        Optional.of(name),
        "https://images.example.com/" + name,
        AssetType.IMAGE,
        JSON.arrayNode(),
        JSON.objectNode().put("index", made));
  }
}
