package org.openfoundry.examples.server;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into memory up to a cap: past it the download is cancelled and the body
 * completes with {@link TooLarge}, so a huge or endless image never fills the heap.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final long cap;
  private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  BoundedBody(long cap) {
    this.cap = cap;
  }

  /** A handler that refuses a declared length over the cap before reading any of the body. */
  static HttpResponse.BodyHandler<byte[]> handler(long cap) {
    return info -> {
      long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
      if (declared > cap) {
        return HttpResponse.BodySubscribers.replacing(null);
      }
      return new BoundedBody(cap);
    };
  }

  /** The body was longer than the cap. */
  static final class TooLarge extends RuntimeException {
    TooLarge(long cap) {
      super("longer than " + cap + " bytes");
    }
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription newSubscription) {
    this.subscription = newSubscription;
    newSubscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      if (collected.size() + (long) buffer.remaining() > cap) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(cap));
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      collected.writeBytes(chunk);
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(collected.toByteArray());
  }
}
