package org.openfoundry.dispatch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;
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
  // What a Content-Length may have allocated before any of the body arrives; the rest is allocated
  // as it comes, so that an endpoint announcing the cap and sending nothing costs no more.
  private static final int FIRST_ALLOCATION = 64 * 1024;
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
      body = new byte[(int) Math.min(announced, FIRST_ALLOCATION)];
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

  /** Where the body's bytes first fail to be UTF-8 (an offset from 0), if they do. */
  OptionalInt notUtf8At() {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(body, 0, bodyLength);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        return OptionalInt.of(in.position());
      }
      if (result.isUnderflow()) {
        result = decoder.flush(out);
        return result.isError() ? OptionalInt.of(in.position()) : OptionalInt.empty();
      }
      out.clear();
    }
  }

  byte[] bytes() {
    return Arrays.copyOf(body, bodyLength);
  }

  /** The first KiB as text, without a character the cut left incomplete at its end. */
  String prefix() {
    return new String(prefix, 0, wholeCharacters(prefix, prefixLength), StandardCharsets.UTF_8);
  }

  /**
   * How many of the first {@code length} bytes to keep so that a UTF-8 sequence cut off at the end
   * is dropped rather than shown as a replacement character.
   */
  static int wholeCharacters(byte[] bytes, int length) {
    for (int back = 1; back <= Math.min(4, length); back++) {
      int lead = bytes[length - back] & 0xFF;
      if ((lead & 0xC0) == 0x80) {
        continue; // a continuation byte: its lead is further back
      }
      int size = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      return size > back ? length - back : length;
    }
    return length;
  }
}
