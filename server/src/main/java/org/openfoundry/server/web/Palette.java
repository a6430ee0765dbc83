package org.openfoundry.server.web;

import java.util.List;
import java.util.regex.Pattern;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.Tool;

/**
 * The colour of each feature: the ontology's own colour for a tool when it is a plain hex colour,
 * otherwise one of ten colours that stay apart from each other on photographs, by the feature's
 * place in the ontology.
 */
final class Palette {
  private static final List<String> COLOURS =
      List.of(
          "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#0fa3b1", "#f032e6", "#7a9e1c",
          "#469990", "#9a6324");
  private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}");

  private Palette() {}

  static String colour(Feature feature, int index) {
    String own =
        switch (feature) {
          case Tool tool -> tool.color().filter(colour -> HEX.matcher(colour).matches()).orElse("");
          case Classification classification -> "";
        };
    return own.isEmpty() ? byIndex(index) : own;
  }

  static String byIndex(int index) {
    return COLOURS.get(Math.floorMod(index, COLOURS.size()));
  }
}
