package org.openfoundry.dispatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Gathers a response body up to a cap and aborts the exchange the moment more arrives (or a
 * Content-Length announces more), so that a huge or endless body is never buffered. Keeps the first
 * KiB whatever happens, for the failure record.
 */
final class BodyCollector implements Response.Listener {
  static final int PREFIX_BYTES = 1024;
  private static final int LARGEST_ARRAY = Integer.MAX_VALUE - 16;

  private final long limit;
  private final CompletableFuture<Result> done = new CompletableFuture<>();
  private final byte[] prefix = new byte[PREFIX_BYTES];
  private int prefixLength;
  private byte[] body = new byte[0];
  private int bodyLength;
  private long received;

  BodyCollector(long limit) {
    this.limit = Math.min(limit, LARGEST_ARRAY);
  }

  @Override
  public void onHeaders(Response response) {
    long announced = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (announced > limit) {
      response.abort(CallAborted.tooLarge(announced, limit));
      return;
    }
    if (announced > 0) {
      body = new byte[(int) announced];
    }
  }

  @Override
  public void onContent(Response response, ByteBuffer content) {
    int length = content.remaining();
    int toPrefix = Math.min(length, PREFIX_BYTES - prefixLength);
    content.duplicate().get(prefix, prefixLength, toPrefix);
    prefixLength += toPrefix;
    received += length;
    if (received > limit) {
      response.abort(CallAborted.tooLarge(received, limit));
      return;
    }
    if (bodyLength + length > body.length) {
      long grown = Math.max((long) body.length * 2, bodyLength + (long) length);
      body = Arrays.copyOf(body, (int) Math.min(Math.max(grown, 8192), limit));
    }
    content.get(body, bodyLength, length);
    bodyLength += length;
  }

  @Override
  public void onComplete(Result result) {
    done.complete(result);
  }

  /** Waits for the exchange to end, however it ends. */
  Result await() throws InterruptedException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the response listener cannot fail", e);
    }
  }

  String body() {
    return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
  }

  byte[] bytes() {
    return Arrays.copyOf(body, bodyLength);
  }

  String prefix() {
    return new String(prefix, 0, prefixLength, StandardCharsets.UTF_8);
  }
}
