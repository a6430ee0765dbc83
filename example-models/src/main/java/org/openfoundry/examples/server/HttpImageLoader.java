package org.openfoundry.examples.server;

import static java.util.Objects.requireNonNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.openfoundry.examples.endpoint.ImageLoader;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * Fetches a row's image over HTTP(S) within {@link ImageFetchLimits}: only {@code http} and {@code
 * https} URLs, a connect timeout, one deadline for the whole download, a byte cap enforced while
 * reading, and a pixel cap checked from the image header before decoding.
 */
final class HttpImageLoader implements ImageLoader {
  private static final String PATH = "data_row.row_data";

  private final HttpClient client;
  private final ImageFetchLimits limits;

  HttpImageLoader(HttpClient client, ImageFetchLimits limits) {
    this.client = requireNonNull(client, "client is null");
    this.limits = requireNonNull(limits, "limits is null");
  }

  static HttpClient client(ImageFetchLimits limits) {
    return HttpClient.newBuilder()
        .connectTimeout(limits.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  @Override
  public BufferedImage load(String url) {
    URI uri = parse(url);
    return decode(url, download(url, uri));
  }

  private static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw invalid("expected an http or https URL, got " + quote(url) + ": " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
      throw invalid("expected an http or https URL, got " + quote(url));
    }
    return uri;
  }

  private byte[] download(String url, URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(limits.totalTimeout())
            .header("Accept", "image/*")
            .GET()
            .build();
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(request, BoundedBody.handler(limits.maxBytes()));
    HttpResponse<byte[]> response;
    try {
      response = pending.get(limits.totalTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw unreadable(
          url, "took longer than " + limits.totalTimeout().toSeconds() + " s to fetch");
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw unreadable(url, "fetching it was interrupted");
    } catch (ExecutionException e) {
      throw unreadable(url, failure(e.getCause()));
    }
    if (response.statusCode() != 200) {
      throw unreadable(url, "answered HTTP " + response.statusCode());
    }
    if (response.body() == null) {
      throw unreadable(url, "is longer than " + limits.maxBytes() + " bytes");
    }
    return response.body();
  }

  private String failure(Throwable cause) {
    if (cause instanceof BoundedBody.TooLarge) {
      return "is longer than " + limits.maxBytes() + " bytes";
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return "did not accept a connection within " + limits.connectTimeout().toSeconds() + " s";
    }
    if (cause instanceof HttpTimeoutException) {
      return "took longer than " + limits.totalTimeout().toSeconds() + " s to answer";
    }
    if (cause instanceof ConnectException) {
      return "refused the connection";
    }
    String message = cause == null ? null : cause.getMessage();
    return "could not be fetched ("
        + (cause == null ? "unknown error" : cause.getClass().getSimpleName())
        + (message == null ? "" : ": " + message)
        + ")";
  }

  private BufferedImage decode(String url, byte[] content) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw unreadable(url, "is not an image this model reads (PNG, JPEG, GIF or BMP)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > limits.maxPixels()) {
          throw unreadable(
              url,
              "is "
                  + reader.getWidth(0)
                  + " x "
                  + reader.getHeight(0)
                  + " pixels, more than the "
                  + limits.maxPixels()
                  + " this model decodes");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof FoundryException foundry) {
        throw foundry;
      }
      throw unreadable(url, "could not be decoded as an image (" + e.getMessage() + ")");
    }
  }

  private static FoundryException invalid(String message) {
    Problem problem = Problem.error(PATH, message);
    return new FoundryException(ErrorCode.INVALID_INPUT, problem.format(), List.of(problem));
  }

  private static FoundryException unreadable(String url, String reason) {
    Problem problem = Problem.error(PATH, "the image at " + quote(url) + " " + reason);
    return new FoundryException(ErrorCode.UNREADABLE_ROW_DATA, problem.format(), List.of(problem));
  }

  private static String quote(String url) {
    String shown = url.length() > 200 ? url.substring(0, 200) + "..." : url;
    return "\"" + shown + "\"";
  }
}
