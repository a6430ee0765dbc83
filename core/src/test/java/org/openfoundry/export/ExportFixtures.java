package org.openfoundry.export;

import java.util.List;
import java.util.Optional;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Tool;
import org.openfoundry.rle.RleMask;
import tools.jackson.databind.json.JsonMapper;

/** An ontology and the masks the export tests write. */
final class ExportFixtures {
  static final JsonMapper JSON = JsonMapper.builder().build();

  static final Ontology ONTOLOGY =
      new Ontology(
          Optional.of(AssetType.IMAGE),
          List.of(
              Tool.of("cat", FeatureKind.RECTANGLE),
              Tool.of("eye", FeatureKind.POINT),
              Tool.of("road", FeatureKind.RASTER_SEGMENTATION),
              Tool.of("lake", FeatureKind.POLYGON),
              Tool.of("person", FeatureKind.NAMED_ENTITY)),
          List.of(Classification.radio("sentiment", "positive", "negative")));

  /** The reference vector "3250N": rows 01000, 01010, 00010. */
  static final RleMask MASK = RleMask.fromCompressed(3, 5, "3250N");

  private ExportFixtures() {}
}
