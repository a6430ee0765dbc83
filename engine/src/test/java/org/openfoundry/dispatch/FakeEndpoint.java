package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A model endpoint for tests: a real HTTP server on a free loopback port whose answer to each
 * request is scripted (latency, status sequences, Retry-After, malformed or truncated JSON, huge or
 * endless bodies, slow drips, dropped connections). It records every request it got and counts how
 * many it was serving at once.
 */
public final class FakeEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicReference<Script> script;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicLong bytesSent = new AtomicLong();
  private final CountDownLatch closed = new CountDownLatch(1);

  private FakeEndpoint(Script script) throws IOException {
    this.script = new AtomicReference<>(requireNonNull(script, "script is null"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeEndpoint start(Script script) {
    try {
      return new FakeEndpoint(script);
    } catch (IOException e) {
      throw new UncheckedIOException("the fake endpoint did not start", e);
    }
  }

  /** Answers every request the same way. */
  public static FakeEndpoint answering(Reply reply) {
    return start(always(reply));
  }

  /** The endpoint's URL: {@code http://127.0.0.1:<port>/predict}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/predict");
  }

  public void script(Script next) {
    script.set(requireNonNull(next, "next is null"));
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** Waits until the endpoint has received {@code count} requests; false when the time ran out. */
  public boolean awaitRequests(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      while (requests.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(requests, left);
      }
      return true;
    }
  }

  /** The most requests the endpoint was ever serving at the same time. */
  public int maxConcurrent() {
    return maxConcurrent.get();
  }

  /** Body bytes written to clients so far, including those of aborted responses. */
  public long bytesSent() {
    return bytesSent.get();
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  /** Picks the reply to a request; {@code request.index()} counts from 0. */
  @FunctionalInterface
  public interface Script {
    Reply reply(Recorded request);
  }

  public static Script always(Reply reply) {
    return request -> reply;
  }

  /** The replies in order, the last one repeated for every later request. */
  public static Script sequence(Reply... replies) {
    List<Reply> list = Arrays.asList(replies);
    return request -> list.get(Math.min(request.index(), list.size() - 1));
  }

  /**
   * One request as received: header names are lower-cased; {@code clientPort} tells connections
   * apart.
   */
  public record Recorded(
      int index,
      String method,
      String path,
      Map<String, List<String>> headers,
      String body,
      int clientPort) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  /** What the endpoint does with a request. */
  public sealed interface Reply {
    /** A complete response after {@code latency}. */
    record Respond(int status, Map<String, String> headers, String body, Duration latency)
        implements Reply {
      public Respond after(Duration wait) {
        return new Respond(status, headers, body, wait);
      }
    }

    /**
     * {@code bytes} of filler after the status line, chunked or with a Content-Length; the fake
     * stops writing as soon as the client goes away.
     */
    record Huge(long bytes, boolean announceLength) implements Reply {}

    /** A 200 whose body never ends: a byte every {@code interval}, until the client gives up. */
    record Endless(Duration interval) implements Reply {}

    /** The whole body, {@code chunkBytes} at a time, one chunk every {@code interval}. */
    record Drip(String body, int chunkBytes, Duration interval) implements Reply {}

    /** Closes the connection without a response, after {@code latency}. */
    record Drop(Duration latency) implements Reply {}

    /**
     * Announces {@code declaredLength} bytes, sends {@code body} (fewer), closes the connection.
     */
    record Truncated(String body, int declaredLength) implements Reply {}

    /** Waits until the test counts {@code release} down, then replies with {@code then}. */
    record Hold(CountDownLatch release, Reply then) implements Reply {}

    static Respond json(String body) {
      return json(200, body);
    }

    static Respond json(int status, String body) {
      return new Respond(status, Map.of("Content-Type", "application/json"), body, Duration.ZERO);
    }

    static Respond status(int status) {
      return new Respond(
          status, Map.of("Content-Type", "text/plain"), "status " + status, Duration.ZERO);
    }

    static Respond withHeader(int status, String name, String value) {
      return new Respond(status, Map.of(name, value), "status " + status, Duration.ZERO);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    AtomicBoolean serving = new AtomicBoolean(true);
    // A request stops counting just before its last bytes go out: once the client has them it
    // may start the next request while this handler is still winding down.
    Runnable served =
        () -> {
          if (serving.compareAndSet(true, false)) {
            concurrent.decrementAndGet();
          }
        };
    try {
      Recorded request = record(exchange);
      reply(exchange, script.get().reply(request), served);
    } finally {
      served.run();
    }
  }

  private synchronized Recorded recordOf(HttpExchange exchange, String body) {
    Map<String, List<String>> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    Recorded recorded =
        new Recorded(
            requests.size(),
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            Map.copyOf(headers),
            body,
            exchange.getRemoteAddress().getPort());
    synchronized (requests) {
      requests.add(recorded);
      requests.notifyAll();
    }
    return recorded;
  }

  private Recorded record(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    return recordOf(exchange, body);
  }

  private void reply(HttpExchange exchange, Reply reply, Runnable served) throws IOException {
    switch (reply) {
      case Reply.Respond respond -> {
        pause(respond.latency());
        respond.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] body = respond.body().getBytes(StandardCharsets.UTF_8);
        served.run();
        exchange.sendResponseHeaders(respond.status(), body.length == 0 ? -1 : body.length);
        write(exchange.getResponseBody(), body);
        exchange.close();
      }
      case Reply.Huge huge -> {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, huge.announceLength() ? huge.bytes() : 0);
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) ' ');
        try (OutputStream out = exchange.getResponseBody()) {
          for (long left = huge.bytes(); left > 0; left -= filler.length) {
            out.write(filler, 0, (int) Math.min(filler.length, left));
            bytesSent.addAndGet(Math.min(filler.length, left));
          }
        }
      }
      case Reply.Endless endless -> {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, "{\"summary\": \"".getBytes(StandardCharsets.UTF_8));
        while (!pause(endless.interval())) {
          write(out, "a".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
      case Reply.Drip drip -> {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        byte[] body = drip.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        for (int from = 0; from < body.length; from += drip.chunkBytes()) {
          if (from + drip.chunkBytes() >= body.length) {
            served.run();
          }
          write(
              out, Arrays.copyOfRange(body, from, Math.min(body.length, from + drip.chunkBytes())));
          out.flush();
          pause(drip.interval());
        }
        exchange.close();
      }
      case Reply.Drop drop -> {
        pause(drop.latency());
        // An exception out of the handler makes the server close the connection unanswered.
        throw new DroppedConnection();
      }
      case Reply.Truncated truncated -> {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, truncated.declaredLength());
        OutputStream out = exchange.getResponseBody();
        write(out, truncated.body().getBytes(StandardCharsets.UTF_8));
        out.flush();
        throw new DroppedConnection();
      }
      case Reply.Hold hold -> {
        awaitRelease(hold.release());
        reply(exchange, hold.then(), served);
      }
    }
  }

  private void write(OutputStream out, byte[] bytes) throws IOException {
    out.write(bytes);
    bytesSent.addAndGet(bytes.length);
  }

  /** Waits as a slow endpoint would; true when the fake is closing instead. */
  private boolean pause(Duration latency) {
    if (latency.isZero()) {
      return closed.getCount() == 0;
    }
    try {
      return closed.await(latency.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void awaitRelease(CountDownLatch release) {
    try {
      while (!release.await(10, TimeUnit.MILLISECONDS)) {
        if (closed.getCount() == 0) {
          throw new DroppedConnection();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DroppedConnection();
    }
  }

  /** Thrown out of a handler to drop the connection. */
  private static final class DroppedConnection extends RuntimeException {
    private DroppedConnection() {
      super("dropped on purpose", null, false, false);
    }
  }
}
