package org.openfoundry.cli.runs;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerCommand;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code foundry runs export}: streams a run's predictions from the server to a file or standard
 * output. A file is written beside its final name and moved there when complete, so that an
 * interrupted export never leaves a truncated file under the name asked for.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Stream a run's predictions: ndjson (Labelbox import lines, one per prediction), coco (a"
          + " COCO results document of boxes and masks) or raw (each row's response as the model"
          + " gave it)."
    })
final class ExportCommand extends ServerCommand {
  /** The export formats the server offers. */
  enum Format {
    NDJSON,
    COCO,
    RAW
  }

  @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
  String run;

  @Option(
      names = "--format",
      defaultValue = "ndjson",
      paramLabel = "FORMAT",
      description = "ndjson (default), coco or raw.")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to this file (default: standard output).")
  Path output;

  ExportCommand(CliEnvironment environment) {
    super(environment);
  }

  @Override
  protected int call(FoundryClient client) {
    String path =
        RunsCommand.path(run) + "/predictions?format=" + format.name().toLowerCase(Locale.ROOT);
    if (output == null) {
      client.downloadText(path, out());
      out().flush();
      return 0;
    }
    Path partial = output.resolveSibling(output.getFileName() + ".partial");
    CountingStream counted;
    try (OutputStream file = Files.newOutputStream(partial)) {
      counted = new CountingStream(file);
      client.download(path, counted);
    } catch (IOException failed) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT, "cannot write " + partial + ": " + failed.getMessage());
    } catch (RuntimeException failed) {
      deleteQuietly(partial);
      throw failed;
    }
    try {
      Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException failed) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "cannot move " + partial + " to " + output + ": " + failed.getMessage());
    }
    err()
        .println(
            "Wrote "
                + (format == Format.COCO ? "a COCO document" : counted.lines + " lines")
                + " ("
                + counted.bytes
                + " bytes) to "
                + output);
    err().flush();
    return 0;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // The export failed already; that is the error to report.
    }
  }

  /** Counts the bytes and lines going through. */
  private static final class CountingStream extends FilterOutputStream {
    long bytes;
    long lines;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int value) throws IOException {
      out.write(value);
      bytes++;
      if (value == '\n') {
        lines++;
      }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      out.write(buffer, offset, length);
      bytes += length;
      for (int index = offset; index < offset + length; index++) {
        if (buffer[index] == '\n') {
          lines++;
        }
      }
    }
  }
}
