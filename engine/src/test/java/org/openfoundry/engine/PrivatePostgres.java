package org.openfoundry.engine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of one test's own, made with the PostgreSQL server programs ({@code initdb},
 * {@code pg_ctl}) in a temporary folder and listening on a free loopback port, so that the test can
 * stop it abruptly and start it again without disturbing the shared server other tests use. As
 * root, the programs run as the {@code postgres} user (PostgreSQL refuses to run as root). Without
 * the programs the test is skipped, with the reason printed, except under {@code CI=true}, where
 * that is a failure.
 */
final class PrivatePostgres implements AutoCloseable {
  static final String USER = "postgres";
  private static final long COMMAND_SECONDS = 120;

  private final Path bin;
  private final Path home;
  private final int port;
  private final List<String> runAs;
  private boolean running;

  private PrivatePostgres(Path bin, Path home, int port, List<String> runAs) {
    this.bin = bin;
    this.home = home;
    this.port = port;
    this.runAs = runAs;
  }

  /** Makes a cluster and starts it, or skips the test when this machine cannot. */
  static PrivatePostgres start() {
    Path bin = binaries().orElseGet(() -> skip("the PostgreSQL server programs are not installed"));
    List<String> runAs = runAs();
    Path home;
    try {
      home = Files.createTempDirectory("foundry-pg-");
      if (!runAs.isEmpty()) {
        UserPrincipal owner =
            home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        Files.setOwner(home, owner);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a folder for a PostgreSQL cluster", e);
    }
    PrivatePostgres postgres = new PrivatePostgres(bin, home, freePort(), runAs);
    try {
      postgres.run(
          "initdb",
          "-D",
          postgres.data().toString(),
          "-U",
          USER,
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-sync");
      postgres.startAgain();
      return postgres;
    } catch (RuntimeException | AssertionError e) {
      postgres.close();
      throw e;
    }
  }

  /** The JDBC URL of the cluster's {@code postgres} database. */
  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Starts the stopped cluster (after an immediate stop, it recovers from its log first). */
  void startAgain() {
    run(
        "pg_ctl",
        "-D",
        data().toString(),
        "-l",
        home.resolve("postgres.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p "
            + port
            + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
            + home
            + " -c fsync=off",
        "start");
    running = true;
  }

  /**
   * Stops the cluster the way a crash does: every server process quits at once, without a
   * checkpoint, and open connections are cut.
   */
  void stopImmediately() {
    run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
    running = false;
  }

  @Override
  public void close() {
    try {
      if (running) {
        stopImmediately();
      }
    } finally {
      delete(home);
    }
  }

  private Path data() {
    return home.resolve("data");
  }

  private void run(String program, String... arguments) {
    List<String> command = new ArrayList<>(runAs);
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(arguments));
    Path output = home.resolve("commands.log");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
              .start();
      if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(program + " did not finish within " + COMMAND_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + " exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + program, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + program, e);
    }
  }

  /** The newest installed server programs: on the path, or in Debian's versioned folders. */
  private static Optional<Path> binaries() {
    List<Path> candidates = new ArrayList<>(path());
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .sorted(Comparator.comparing(PrivatePostgres::version).reversed())
            .forEach(version -> candidates.add(version.resolve("bin")));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + debian, e);
      }
    }
    return candidates.stream()
        .filter(
            folder ->
                Files.isExecutable(folder.resolve("initdb"))
                    && Files.isExecutable(folder.resolve("pg_ctl")))
        .findFirst();
  }

  /** The folders of the PATH variable. */
  private static List<Path> path() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(folder -> !folder.isEmpty())
        .map(Path::of)
        .toList();
  }

  private static int version(Path folder) {
    try {
      return Integer.parseInt(folder.getFileName().toString());
    } catch (NumberFormatException notAVersion) {
      return 0;
    }
  }

  /** Nothing as another user; as root, {@code runuser} to the {@code postgres} user. */
  private static List<String> runAs() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    Optional<Path> runuser =
        Stream.concat(path().stream(), Stream.of(Path.of("/usr/sbin"), Path.of("/sbin")))
            .map(folder -> folder.resolve("runuser"))
            .filter(Files::isExecutable)
            .findFirst();
    if (runuser.isEmpty()) {
      return skip("running as root, and runuser is missing to run PostgreSQL as " + USER);
    }
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
    } catch (IOException noSuchUser) {
      return skip("running as root, and there is no " + USER + " user to run PostgreSQL as");
    }
    return List.of(runuser.get().toString(), "-u", USER, "--");
  }

  private static <T> T skip(String reason) {
    String why = "no private PostgreSQL cluster: " + reason;
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(why + " (CI=true: this test must run)");
    }
    System.out.println("skipped: " + why);
    Assumptions.abort(why);
    throw new AssertionError("unreachable");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  private static void delete(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(each);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the cluster folder " + folder, e);
    }
  }
}
