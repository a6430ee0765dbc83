package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Tool;
import org.openfoundry.predictions.Box;
import org.openfoundry.predictions.Checklist;
import org.openfoundry.predictions.Choice;
import org.openfoundry.predictions.FreeText;
import org.openfoundry.predictions.Mask;
import org.openfoundry.predictions.ParseReport;
import org.openfoundry.predictions.Polygon;
import org.openfoundry.predictions.Radio;
import org.openfoundry.predictions.Vertex;
import org.openfoundry.rle.RleMask;

class ReportPrinterTest {
  private static final OptionalDouble UNSCORED = OptionalDouble.empty();

  private static final Ontology ONTOLOGY =
      new Ontology(
          Optional.of(AssetType.IMAGE),
          List.of(
              Tool.of("cat", FeatureKind.RECTANGLE),
              Tool.of("road", FeatureKind.RASTER_SEGMENTATION),
              Tool.of("lake", FeatureKind.POLYGON)),
          List.of(Classification.text("summary")));

  private static String print(ParseReport report) {
    StringWriter out = new StringWriter();
    ReportPrinter.print(report, ONTOLOGY, UNSCORED, new PrintWriter(out, true));
    return out.toString();
  }

  @Test
  void indents_the_answers_nested_under_objects_and_options() {
    Checklist parts =
        new Checklist("visible parts", List.of(Choice.of("head"), Choice.of("tail")), UNSCORED);
    Radio pose = new Radio("pose", new Choice("sitting", List.of(parts)), OptionalDouble.of(0.8));
    ParseReport report =
        new ParseReport(
            List.of(new Box("cat", 1, 2, 3, 4, UNSCORED, List.of(pose))), List.of(), Map.of());

    assertThat(print(report))
        .isEqualTo(
            """
            cat (rectangle): 1 prediction
              box left 1, top 2, width 3, height 4
                pose: sitting, score 0.8
                  visible parts: head, tail
            1 prediction, 0 warnings, 0 errors
            """);
  }

  @Test
  void describes_masks_polygons_and_text_briefly() {
    Polygon lake =
        new Polygon(
            "lake",
            List.of(
                new Vertex(0, 0),
                new Vertex(1, 0),
                new Vertex(2, 1),
                new Vertex(2, 2),
                new Vertex(1, 3),
                new Vertex(0, 3),
                new Vertex(0, 1.5)),
            UNSCORED,
            List.of());
    ParseReport report =
        new ParseReport(
            List.of(
                new Mask("road", RleMask.fromCompressed(3, 5, "3250N"), UNSCORED, List.of()),
                lake,
                new FreeText("summary", "line one\nline two", UNSCORED)),
            List.of(),
            Map.of());

    assertThat(print(report))
        .contains(
            "  mask 5x3, 4 pixels set, within box left 1, top 0, width 3, height 3\n",
            "  polygon (0, 0) (1, 0) (2, 1) (2, 2) (1, 3) (0, 3) ... (7 vertices)\n",
            "  summary: \"line one\\nline two\"\n");
  }
}
