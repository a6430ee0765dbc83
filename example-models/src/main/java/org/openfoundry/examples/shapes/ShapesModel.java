package org.openfoundry.examples.shapes;

import static java.util.Objects.requireNonNull;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.examples.endpoint.Answer;
import org.openfoundry.examples.endpoint.ExampleModel;
import org.openfoundry.examples.endpoint.ImageLoader;
import org.openfoundry.examples.endpoint.ModelRequest;
import org.openfoundry.examples.endpoint.ModelResponse;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.Tool;
import org.openfoundry.rle.BinaryMask;
import org.openfoundry.rle.RleMask;

/**
 * The shapes example model: finds cars, suns and signs (boxes) and sky, road and grass (masks) in
 * street scenes by colour segmentation, and says whether the weather is clear or cloudy. Objects
 * may also be asked for as masks and regions as boxes. Parameters: {@code confidence} (drop what
 * scores lower, default 0.25) and {@code min_area} (the smallest object in pixels, default 60).
 */
public final class ShapesModel implements ExampleModel {
  public static final String NAME = "shapes";

  static final double DEFAULT_CONFIDENCE = 0.25;
  static final int DEFAULT_MIN_AREA = 60;
  private static final int LARGEST_MIN_AREA = 1_000_000;

  private final ImageLoader images;

  public ShapesModel(ImageLoader images) {
    this.images = requireNonNull(images, "images is null");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AssetType assetType() {
    return AssetType.IMAGE;
  }

  @Override
  public List<Feature> features() {
    return Arrays.stream(SceneFeature.values()).map(SceneFeature::toFeature).toList();
  }

  @Override
  public ModelResponse predict(ModelRequest request) {
    double confidence = request.params().number("confidence", 0, 1, DEFAULT_CONFIDENCE);
    int minArea = request.params().integer("min_area", 1, LARGEST_MIN_AREA, DEFAULT_MIN_AREA);
    List<Feature> wanted = request.featuresToAnswer(features());
    BufferedImage image = images.load(request.dataRow().rowData());
    Segmentation segmentation = new SceneSegmenter(minArea).segment(image);
    Map<String, Answer> answers = new LinkedHashMap<>();
    for (Feature feature : wanted) {
      SceneFeature sceneFeature = SceneFeature.named(feature.name()).orElseThrow();
      answer(feature, sceneFeature, segmentation, confidence)
          .ifPresent(answer -> answers.put(feature.name(), answer));
    }
    return new ModelResponse(answers);
  }

  private static Optional<Answer> answer(
      Feature feature, SceneFeature sceneFeature, Segmentation segmentation, double confidence) {
    return switch (feature) {
      case Tool tool ->
          switch (tool.kind()) {
            case RECTANGLE -> boxes(sceneFeature, segmentation, confidence);
            case RASTER_SEGMENTATION -> masks(sceneFeature, segmentation, confidence);
            case TEXT, RADIO, CHECKLIST, NAMED_ENTITY, POLYGON, POINT, EDGE -> Optional.empty();
          };
      case Classification classification -> weather(classification, sceneFeature, segmentation);
    };
  }

  private static Optional<Answer> boxes(
      SceneFeature feature, Segmentation segmentation, double confidence) {
    if (feature == SceneFeature.WEATHER) {
      return Optional.empty();
    }
    List<Answer.ScoredBox> boxes = new ArrayList<>();
    for (Segment segment : confident(segments(feature, segmentation), confidence)) {
      int[] bounds = segment.pixels().bounds();
      boxes.add(
          new Answer.ScoredBox(
              bounds[0],
              bounds[1],
              bounds[2] - bounds[0] + 1,
              bounds[3] - bounds[1] + 1,
              segment.score()));
    }
    return Optional.of(new Answer.Boxes(boxes));
  }

  private static Optional<Answer> masks(
      SceneFeature feature, Segmentation segmentation, double confidence) {
    if (feature == SceneFeature.WEATHER) {
      return Optional.empty();
    }
    List<Segment> segments =
        feature.isRegion()
            ? Optional.ofNullable(segmentation.regions().get(feature)).stream().toList()
            : segmentation.objects(feature);
    List<Answer.ScoredMask> masks = new ArrayList<>();
    for (Segment segment : confident(segments, confidence)) {
      RleMask rle = RleMask.of(toBinaryMask(segment.pixels()));
      masks.add(
          new Answer.ScoredMask(rle.height(), rle.width(), rle.compressed(), segment.score()));
    }
    return Optional.of(new Answer.Masks(masks));
  }

  private static Optional<Answer> weather(
      Classification classification, SceneFeature feature, Segmentation segmentation) {
    if (feature != SceneFeature.WEATHER) {
      return Optional.empty();
    }
    String found = segmentation.weather();
    if (classification.options().isEmpty()) {
      return Optional.of(new Answer.Radio(found));
    }
    return classification.option(found).map(option -> new Answer.Radio(option.value()));
  }

  private static List<Segment> segments(SceneFeature feature, Segmentation segmentation) {
    if (feature.isRegion()) {
      return segmentation.regionParts().getOrDefault(feature, List.of());
    }
    return segmentation.objects(feature);
  }

  private static List<Segment> confident(List<Segment> segments, double confidence) {
    return segments.stream()
        .filter(segment -> segment.score() >= confidence)
        .sorted(Comparator.comparingDouble(Segment::score).reversed())
        .toList();
  }

  static BinaryMask toBinaryMask(PixelMask pixels) {
    BinaryMask mask = new BinaryMask(pixels.height(), pixels.width());
    for (int y = 0; y < pixels.height(); y++) {
      for (int x = 0; x < pixels.width(); x++) {
        if (pixels.get(x, y)) {
          mask.set(y, x, true);
        }
      }
    }
    return mask;
  }
}
