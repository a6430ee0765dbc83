package org.openfoundry.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Tool;
import org.openfoundry.predictions.ImageSize;
import org.openfoundry.predictions.ParseContext;
import org.openfoundry.predictions.ParseReport;
import org.openfoundry.predictions.ResponseParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a detector's response of 1,000 scored boxes, from JSON text to a checked {@link
 * ParseReport}: what the platform does for every row an object-detection model answers.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ResponseParseBenchmark {
  static final int BOXES = 1_000;
  static final long SEED = 1_000;
  static final ImageSize IMAGE = new ImageSize(1920, 1080);
  static final double CONFIDENCE = 0.25;
  static final int CLIPPED_EVERY = 20;
  static final List<String> CLASSES = List.of("person", "car", "bicycle", "dog");

  /** The feature-keyed wire shape, or the same boxes as Labelbox annotation objects. */
  @Param({"wire", "labelbox"})
  public String format;

  private final ResponseParser parser = new ResponseParser();
  private ParseContext context;
  private String response;

  @Setup
  public void createResponse() {
    Ontology ontology =
        new Ontology(
            Optional.of(AssetType.IMAGE),
            CLASSES.stream().map(name -> Tool.of(name, FeatureKind.RECTANGLE)).toList(),
            List.of());
    context = ParseContext.of(ontology).withImageSize(IMAGE).withConfidence(CONFIDENCE);
    response =
        format.equals("wire")
            ? wire(new SplittableRandom(SEED))
            : labelbox(new SplittableRandom(SEED));
  }

  @Benchmark
  public ParseReport parse() {
    return parser.parse(response, context);
  }

  /** {@code {"person": {"boxes": [...], "scores": [...]}, ...}}, boxes shared among the classes. */
  static String wire(SplittableRandom random) {
    StringBuilder json = new StringBuilder("{");
    int perClass = BOXES / CLASSES.size();
    for (int feature = 0; feature < CLASSES.size(); feature++) {
      StringBuilder boxes = new StringBuilder();
      StringBuilder scores = new StringBuilder();
      for (int index = 0; index < perClass; index++) {
        double[] box = box(random, index);
        boxes
            .append(index == 0 ? "" : ",")
            .append(
                String.format(
                    Locale.ROOT, "[%.2f,%.2f,%.2f,%.2f]", box[0], box[1], box[2], box[3]));
        scores
            .append(index == 0 ? "" : ",")
            .append(String.format(Locale.ROOT, "%.4f", random.nextDouble()));
      }
      json.append(feature == 0 ? "" : ",")
          .append('"')
          .append(CLASSES.get(feature))
          .append("\":{\"boxes\":[")
          .append(boxes)
          .append("],\"scores\":[")
          .append(scores)
          .append("]}");
    }
    return json.append('}').toString();
  }

  /** {@code {"objects": [{"name", "bounding_box", "confidence"}, ...]}}. */
  static String labelbox(SplittableRandom random) {
    StringBuilder json = new StringBuilder("{\"objects\":[");
    for (int index = 0; index < BOXES; index++) {
      double[] box = box(random, index);
      json.append(index == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"name\":\"%s\",\"bounding_box\":{\"top\":%.2f,\"left\":%.2f,\"height\":%.2f,"
                      + "\"width\":%.2f},\"confidence\":%.4f}",
                  CLASSES.get(index % CLASSES.size()),
                  box[1],
                  box[0],
                  box[3],
                  box[2],
                  random.nextDouble()));
    }
    return json.append("]}").toString();
  }

  /** A box inside the image, except every twentieth, which runs over the right edge. */
  private static double[] box(SplittableRandom random, int index) {
    double width = 8 + random.nextDouble(400);
    double height = 8 + random.nextDouble(300);
    double left =
        index % CLIPPED_EVERY == 0
            ? IMAGE.width() - width / 2
            : random.nextDouble(IMAGE.width() - width);
    double top = random.nextDouble(IMAGE.height() - height);
    return new double[] {left, top, width, height};
  }
}
