package org.openfoundry.cli.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerCommand;
import org.openfoundry.cli.text.Table;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code foundry datasets}: create datasets and import data rows into them. */
@Command(
    name = "datasets",
    mixinStandardHelpOptions = true,
    description = "Create datasets and import data rows.",
    subcommands = {
      DatasetsCommand.Create.class,
      DatasetsCommand.Import.class,
      DatasetsCommand.ListDatasets.class,
      DatasetsCommand.Show.class
    })
public final class DatasetsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a dataset.")
  static final class Create extends ServerCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The dataset's name.")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the rows are.")
    String description;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    Create(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      ObjectNode body = client.object().put("name", name);
      if (description != null) {
        body.put("description", description);
      }
      JsonNode dataset = client.postJson("/api/v1/datasets", body);
      if (json) {
        printJson(dataset);
        return 0;
      }
      out().println("Created dataset " + name + " (" + dataset.path("id").asString() + ")");
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Import data rows from NDJSON (one {\"row_data\", \"global_key\", \"media_type\","
            + " \"attachments\", \"metadata\"} per line) or a JSON array of them.",
        "A bad row is refused alone, reported at its line, and the others are imported. Exits 0"
            + " when every row was imported, 1 otherwise."
      })
  static final class Import extends ServerCommand {
    @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset's id or name.")
    String dataset;

    @Parameters(index = "1", paramLabel = "FILE", description = "The rows; - reads standard input.")
    String file;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    Import(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      JsonNode target = DatasetRef.resolve(client, dataset);
      String id = target.path("id").asString();
      RowImport.Report report = new RowImport(client).rows(id, open(), source());
      if (json) {
        ObjectNode answer = client.object();
        answer.put("imported", report.imported()).put("rejected", report.rejected());
        report.problems().forEach(problem -> answer.withArray("problems").add(problem.format()));
        printJson(answer);
        return report.rejected() == 0 ? 0 : 1;
      }
      PrintWriter out = out();
      out.println(
          "Imported "
              + report.imported()
              + " rows into "
              + target.path("name").asString()
              + " ("
              + id
              + ")"
              + (report.rejected() == 0 ? "" : "; refused " + report.rejected() + ":"));
      out.flush();
      for (Problem problem : report.problems()) {
        err().println("  " + problem.format());
      }
      if (report.rejected() > report.problems().size()) {
        err().println("  ... and more; the first " + report.problems().size() + " are shown");
      }
      err().flush();
      return report.rejected() == 0 ? 0 : 1;
    }

    private String source() {
      return file.equals("-") ? "stdin" : file;
    }

    private InputStream open() {
      if (file.equals("-")) {
        return environment.stdin();
      }
      try {
        return Files.newInputStream(Path.of(file));
      } catch (NoSuchFileException missing) {
        throw new FoundryException(
            ErrorCode.INVALID_INPUT, "cannot read " + file + ": no such file");
      } catch (IOException unreadable) {
        throw new FoundryException(
            ErrorCode.INVALID_INPUT, "cannot read " + file + ": " + unreadable.getMessage());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the datasets.")
  static final class ListDatasets extends ServerCommand {
    @Option(names = "--json", description = "Print the datasets as a JSON array.")
    boolean json;

    ListDatasets(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      return printListing(
          client,
          client.list("/api/v1/datasets", Integer.MAX_VALUE),
          json,
          "No datasets yet: create one with foundry datasets create NAME",
          new Table("ID", "NAME", "ROWS", "CREATED"),
          each ->
              new String[] {
                each.path("id").asString(""),
                each.path("name").asString(""),
                String.valueOf(each.path("row_count").asLong(0)),
                each.path("created_at").asString("")
              });
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a dataset and its first rows.")
  static final class Show extends ServerCommand {
    @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset's id or name.")
    String dataset;

    @Option(
        names = "--rows",
        paramLabel = "N",
        defaultValue = "5",
        description = "How many rows to show (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    Show(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      JsonNode found = DatasetRef.resolve(client, dataset);
      String id = found.path("id").asString();
      List<JsonNode> first =
          rows < 1
              ? List.of()
              : client.list("/api/v1/datasets/" + FoundryClient.segment(id) + "/data-rows", rows);
      if (json) {
        ObjectNode answer = ((ObjectNode) found).deepCopy();
        answer.set("rows", client.mapper().valueToTree(first));
        printJson(answer);
        return 0;
      }
      PrintWriter out = out();
      out.println(found.path("name").asString() + " (" + id + ")");
      out.println("  rows:        " + found.path("row_count").asLong(0));
      String description = found.path("description").asString("");
      if (!description.isBlank()) {
        out.println("  description: " + description);
      }
      out.println("  created:     " + found.path("created_at").asString(""));
      if (!first.isEmpty()) {
        Table table = new Table("  ID", "GLOBAL KEY", "TYPE", "ROW DATA");
        for (JsonNode row : first) {
          String data = row.path("row_data").asString("").replace('\n', ' ');
          table.row(
              "  " + row.path("id").asString(""),
              row.path("global_key").asString("-"),
              row.path("media_type").asString(""),
              data.length() > 60 ? data.substring(0, 57) + "..." : data);
        }
        table.print(out);
      }
      out.flush();
      return 0;
    }
  }
}
