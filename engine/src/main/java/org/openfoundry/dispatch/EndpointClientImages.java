package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.openfoundry.chat.FetchedImage;
import org.openfoundry.chat.ImageFetcher;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * Fetches images for adapters that send them inline, on the process's endpoint client and so under
 * the same outbound rules as model calls: no credentials, redirects never followed, the read
 * aborted past the size cap.
 */
public final class EndpointClientImages implements ImageFetcher {
  /** Ten seconds to connect, thirty of silence, a minute in all. */
  public static final EndpointCall.Timeouts TIMEOUTS =
      new EndpointCall.Timeouts(
          Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));

  private final EndpointClient client;
  private final EndpointCall.Timeouts timeouts;

  public EndpointClientImages(EndpointClient client, EndpointCall.Timeouts timeouts) {
    this.client = requireNonNull(client, "client is null");
    this.timeouts = requireNonNull(timeouts, "timeouts is null");
  }

  @Override
  public FetchedImage fetch(URI url, long maxBytes) {
    requireNonNull(url, "url is null");
    EndpointClient.Exchanged exchanged;
    try {
      exchanged =
          client.exchange(
              "GET",
              url,
              Map.of("Accept", "image/*"),
              Optional.empty(),
              Optional.empty(),
              timeouts,
              maxBytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoundryException(ErrorCode.UNAVAILABLE, "interrupted while fetching " + url);
    }
    return switch (exchanged.toEndpointExchange()) {
      case EndpointExchange.Broken broken ->
          throw new FoundryException(
              switch (broken.error()) {
                case RESPONSE_TOO_LARGE -> ErrorCode.PAYLOAD_TOO_LARGE;
                case OUTBOUND_BLOCKED -> ErrorCode.OUTBOUND_BLOCKED;
                default -> ErrorCode.UNAVAILABLE;
              },
              "cannot fetch the image " + url + ": " + broken.detail());
      case EndpointExchange.Answered answered when !answered.isSuccess() ->
          throw new FoundryException(
              ErrorCode.UNREADABLE_ROW_DATA,
              "cannot fetch the image " + url + ": it answered HTTP " + answered.status());
      case EndpointExchange.Answered answered -> image(exchanged);
    };
  }

  private static FetchedImage image(EndpointClient.Exchanged exchanged) {
    Response response = exchanged.result().getResponse();
    return new FetchedImage(
        exchanged.collector().bytes(),
        Optional.ofNullable(response.getHeaders().get(HttpHeader.CONTENT_TYPE)));
  }
}
