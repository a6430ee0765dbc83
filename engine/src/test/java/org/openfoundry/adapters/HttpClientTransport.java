package org.openfoundry.adapters;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/** The transport of the tests: the JDK HTTP client, JSON bodies, a bearer token when given. */
final class HttpClientTransport implements EndpointTransport {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String token;

  HttpClientTransport(String token) {
    this.token = token;
  }

  HttpClientTransport() {
    this("test-secret");
  }

  @Override
  public AdapterReply exchange(AdapterRequest request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.uri())
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token);
    request.headers().forEach(builder::header);
    HttpRequest.BodyPublisher body =
        request
            .body()
            .map(json -> HttpRequest.BodyPublishers.ofString(json.toString()))
            .orElse(HttpRequest.BodyPublishers.noBody());
    if (request.body().isPresent()) {
      builder.header("Content-Type", "application/json");
    }
    builder.method(request.method().name(), body);
    try {
      HttpResponse<String> response =
          client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new AdapterReply(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new FoundryException(ErrorCode.UNAVAILABLE, "cannot reach " + request.uri() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoundryException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }
}
