package org.openfoundry.dispatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A byte-level endpoint for hostile-endpoint tests: reads each request's head (and its body by
 * Content-Length) and lets the script write whatever bytes it likes, keeping the connection for the
 * next request unless the script says to close.
 */
final class RawEndpoint implements AutoCloseable {
  /** One request as received: its index, the connection it came on, its raw head. */
  record Request(int index, int connection, String head) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  @FunctionalInterface
  interface Script {
    /** Writes the answer; returns true to keep the connection open for another request. */
    boolean answer(Request request, OutputStream out) throws IOException;
  }

  private final ServerSocket listener;
  private final Script script;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  private RawEndpoint(Script script) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    Thread.ofVirtual().start(this::accept);
  }

  static RawEndpoint start(Script script) {
    try {
      return new RawEndpoint(script);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/predict");
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        int connection = connections.getAndIncrement();
        Thread.ofVirtual().start(() -> serve(socket, connection));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket, int connection) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        Request request;
        synchronized (requests) {
          request = new Request(requests.size(), connection, head);
          requests.add(request);
        }
        String length = request.header("Content-Length");
        if (length != null) {
          in.readNBytes(Integer.parseInt(length));
        }
        boolean keep = script.answer(request, out);
        out.flush();
        if (!keep) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
