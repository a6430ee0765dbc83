package org.openfoundry.ontology;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a feature predicts. Tools mark a region of the asset; classifications answer a question
 * about it. The manifest word and its accepted aliases are those of the reference documentation.
 */
public enum FeatureKind {
  TEXT("text", Family.CLASSIFICATION, List.of("free-text", "free_text")),
  RADIO("radio", Family.CLASSIFICATION, List.of()),
  CHECKLIST("checklist", Family.CLASSIFICATION, List.of()),
  RECTANGLE("rectangle", Family.TOOL, List.of("bbox", "box", "bounding-box")),
  RASTER_SEGMENTATION(
      "raster-segmentation", Family.TOOL, List.of("mask", "segmentation", "raster_segmentation")),
  NAMED_ENTITY("named-entity", Family.TOOL, List.of("ner", "named_entity", "entity")),
  POLYGON("polygon", Family.TOOL, List.of()),
  POINT("point", Family.TOOL, List.of()),
  EDGE("edge", Family.TOOL, List.of("line", "polyline"));

  /** Whether a feature kind marks a region (tool) or answers a question (classification). */
  public enum Family {
    TOOL,
    CLASSIFICATION
  }

  private static final Set<FeatureKind> SPATIAL =
      EnumSet.of(RECTANGLE, RASTER_SEGMENTATION, POLYGON, POINT, EDGE);

  private final String word;
  private final Family family;
  private final List<String> aliases;

  FeatureKind(String word, Family family, List<String> aliases) {
    this.word = word;
    this.family = family;
    this.aliases = aliases;
  }

  /** The canonical manifest word: {@code rectangle}, {@code raster-segmentation}, ... */
  public String word() {
    return word;
  }

  public List<String> aliases() {
    return aliases;
  }

  public Family family() {
    return family;
  }

  public boolean isTool() {
    return family == Family.TOOL;
  }

  public boolean isClassification() {
    return family == Family.CLASSIFICATION;
  }

  /** Classifications fit every asset; spatial tools fit images and video; entities fit text. */
  public boolean fits(AssetType asset) {
    if (isClassification()) {
      return true;
    }
    if (SPATIAL.contains(this)) {
      return asset == AssetType.IMAGE || asset == AssetType.VIDEO;
    }
    return asset == AssetType.TEXT || asset == AssetType.HTML || asset == AssetType.CONVERSATIONAL;
  }

  /** Accepts the canonical word or an alias, case-insensitively, with {@code _} for {@code -}. */
  public static Optional<FeatureKind> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    String dashed = wanted.replace('_', '-');
    return Arrays.stream(values())
        .filter(
            kind ->
                kind.word.equals(wanted)
                    || kind.word.equals(dashed)
                    || kind.aliases.contains(wanted)
                    || kind.aliases.contains(dashed))
        .findFirst();
  }

  /** Every accepted word, canonical ones first: for "expected one of" messages. */
  public static List<String> words() {
    return Arrays.stream(values()).map(FeatureKind::word).toList();
  }
}
