package org.openfoundry.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.openfoundry.export.CocoExporter;
import org.openfoundry.export.DataRowKey;
import org.openfoundry.export.DataRowRef;
import org.openfoundry.export.ExportRow;
import org.openfoundry.export.NdjsonExporter;
import org.openfoundry.export.RowSource;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.manifest.LoadedManifest;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.predictions.ImageSize;
import org.openfoundry.predictions.ParseContext;
import org.openfoundry.predictions.ParseReport;
import org.openfoundry.predictions.ResponseParser;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code foundry response check}: reads a saved model response against a manifest's ontology and
 * inference parameters exactly as a model run would, and shows the predictions, warnings and
 * errors, or the NDJSON or COCO the run would export.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Read a model response the way a model run would: see its predictions, what was repaired"
          + " and what does not fit the manifest's ontology.",
      "Exits 0 when the response has no errors, 1 otherwise."
    })
final class ResponseCheckCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int HAS_ERRORS = 1;

  /** What to print: the report for people, or what a run would export. */
  enum Format {
    REPORT,
    NDJSON,
    COCO
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--manifest",
      required = true,
      paramLabel = "FILE",
      description = "The model.yaml whose ontology and inference parameters the run uses.")
  Path manifest;

  @Option(
      names = "--response",
      required = true,
      paramLabel = "FILE",
      description = "The model's JSON response to one task.")
  Path response;

  @ArgGroup(exclusive = true)
  RowText rowText;

  /** The row text, given inline or in a file. */
  static final class RowText {
    @Option(
        names = "--row-text",
        paramLabel = "TEXT",
        description = "The data row's text, against which entity offsets are checked.")
    String inline;

    @Option(
        names = "--row-text-file",
        paramLabel = "FILE",
        description = "A UTF-8 file holding the data row's text.")
    Path file;
  }

  @Option(
      names = "--params",
      paramLabel = "JSON",
      description =
          "The run's inference parameters as a JSON object; the manifest's defaults fill in the"
              + " rest. Their confidence is the threshold under which predictions are dropped.")
  String params;

  @Option(
      names = "--image-size",
      paramLabel = "WxH",
      converter = ImageSizeConverter.class,
      description = "The image's width and height in pixels, to clip boxes and check masks.")
  ImageSize imageSize;

  @Option(
      names = "--class-map",
      paramLabel = "CLASS=FEATURE",
      description = "Maps a model class name to an ontology feature name; may be repeated.")
  Map<String, String> classMapping = new LinkedHashMap<>();

  @Option(
      names = "--format",
      defaultValue = "report",
      paramLabel = "FORMAT",
      description = "report (default), ndjson or coco.")
  Format format;

  @Option(
      names = "--data-row-id",
      defaultValue = "data-row",
      paramLabel = "ID",
      description =
          "The data row id written in ndjson and coco output (default: ${DEFAULT-VALUE}).")
  String dataRowId;

  @Option(
      names = "--global-key",
      paramLabel = "KEY",
      description = "The data row's global key: ndjson lines then name the row by it.")
  String globalKey;

  @Option(
      names = "--run-id",
      defaultValue = "response-check",
      paramLabel = "ID",
      description = "The run id the ndjson uuids derive from (default: ${DEFAULT-VALUE}).")
  String runId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      LoadedManifest loaded = new ManifestLoader().load(manifest);
      loaded.warnings().forEach(warning -> err.println(warning.format()));
      Manifest model = loaded.manifest();
      ParseContext context = context(model);
      OptionalDouble threshold = context.confidence();
      ParseReport report =
          new ResponseParser().parse(read(response, "response"), response.toString(), context);
      write(report, model, threshold, out, err);
      out.flush();
      return report.hasErrors() ? HAS_ERRORS : OK;
    } catch (FoundryException failure) {
      err.println("error: " + failure.describe());
      return HAS_ERRORS;
    }
  }

  private ParseContext context(Manifest model) {
    ParseContext context =
        ParseContext.of(model.ontology())
            .withClassMapping(classMapping)
            .withInferenceParams(params(model));
    if (imageSize != null) {
      context = context.withImageSize(imageSize);
    }
    Optional<String> text = rowText();
    return text.isPresent() ? context.withRowText(text.get()) : context;
  }

  private void write(
      ParseReport report,
      Manifest model,
      OptionalDouble threshold,
      PrintWriter out,
      PrintWriter err) {
    switch (format) {
      case REPORT -> ReportPrinter.print(report, model.ontology(), threshold, out);
      case NDJSON -> {
        new NdjsonExporter(runId, DataRowKey.GLOBAL_KEY).export(rows(report), out);
        problems(report, err);
      }
      case COCO -> {
        new CocoExporter(model.ontology()).export(rows(report), out);
        out.println();
        problems(report, err);
      }
    }
  }

  private RowSource rows(ParseReport report) {
    DataRowRef dataRow = new DataRowRef(dataRowId, Optional.ofNullable(globalKey));
    return RowSource.of(
        List.of(new ExportRow(dataRow, Optional.ofNullable(imageSize), report.predictions())));
  }

  private static void problems(ParseReport report, PrintWriter err) {
    report.problems().stream().map(Problem::format).forEach(err::println);
  }

  /** The run's inference parameters: those given, with the manifest's defaults filled in. */
  private JsonNode params(Manifest model) {
    JsonNode given = null;
    if (params != null) {
      try {
        given = UntrustedJson.mapper().readTree(params);
      } catch (JacksonException unreadable) {
        Optional<String> limit = UntrustedJson.limitPassed(unreadable);
        if (limit.isPresent()) {
          throw new FoundryException(
              ErrorCode.INVALID_PARAMETERS, "--params: too large to read: " + limit.get());
        }
        throw new FoundryException(
            ErrorCode.INVALID_PARAMETERS,
            "--params: expected a JSON object such as {\"confidence\": 0.5}, got text that is not"
                + " JSON: "
                + unreadable.getOriginalMessage());
      }
    }
    return model.parameters().resolve(given);
  }

  private Optional<String> rowText() {
    if (rowText == null) {
      return Optional.empty();
    }
    if (rowText.inline != null) {
      return Optional.of(rowText.inline);
    }
    return Optional.of(read(rowText.file, "row text"));
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException unreadable) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "cannot read the "
              + what
              + " file "
              + file
              + ": "
              + (unreadable instanceof NoSuchFileException
                  ? "no such file"
                  : unreadable.getMessage()));
    }
  }

  /** Reads {@code --image-size 640x480}. */
  static final class ImageSizeConverter implements ITypeConverter<ImageSize> {
    @Override
    public ImageSize convert(String value) {
      try {
        return ImageSize.parse(value);
      } catch (FoundryException invalid) {
        throw new TypeConversionException(invalid.getMessage());
      }
    }
  }
}
