package org.openfoundry.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A model endpoint on loopback for load runs: answers every POST with one small detection after a
 * fixed latency, on a virtual thread per request, and notes when requests arrive (up to a bound) so
 * that a run's rate can be read where the model would see it.
 */
final class LoadEndpoint implements AutoCloseable {
  static final String ANSWER = "{\"person\": {\"boxes\": [[12, 40, 96, 210]], \"scores\": [0.91]}}";
  private static final byte[] BODY = ANSWER.getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final Duration latency;
  private final long[] arrivals;
  private final AtomicInteger arrived = new AtomicInteger();
  private final LongAdder answered = new LongAdder();
  private final CountDownLatch closed = new CountDownLatch(1);

  private LoadEndpoint(Duration latency, int arrivalsKept) throws IOException {
    this.latency = latency;
    this.arrivals = new long[arrivalsKept];
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * An endpoint answering after {@code latency}, noting the first {@code arrivalsKept} arrivals.
   */
  static LoadEndpoint start(Duration latency, int arrivalsKept) {
    try {
      return new LoadEndpoint(latency, arrivalsKept);
    } catch (IOException e) {
      throw new UncheckedIOException("the load endpoint did not start", e);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/predict");
  }

  /** Requests answered so far. */
  long answered() {
    return answered.sum();
  }

  /** The arrival times noted so far ({@link System#nanoTime()}), in arrival order. */
  long[] arrivals() {
    int count = Math.min(arrived.get(), arrivals.length);
    long[] copy = Arrays.copyOf(arrivals, count);
    Arrays.sort(copy);
    return copy;
  }

  /** Forgets the arrivals noted so far. */
  void resetArrivals() {
    arrived.set(0);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long now = System.nanoTime();
    int index = arrived.getAndIncrement();
    if (index < arrivals.length) {
      arrivals[index] = now;
    }
    try (InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
    }
    if (!latency.isZero() && waitOrClose(latency)) {
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, BODY.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(BODY);
    }
    answered.increment();
  }

  /** Waits as a model would; true when the endpoint is closing instead. */
  private boolean waitOrClose(Duration wait) {
    try {
      return closed.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
