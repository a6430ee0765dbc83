package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.openfoundry.outbound.OutboundAddressResolver;
import org.openfoundry.outbound.OutboundBlockedException;
import org.openfoundry.outbound.OutboundPolicy;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * The process's one HTTP client for model endpoints: keep-alive connection pools, redirects never
 * followed, cookies never kept, and per request a connect timeout, a read (idle) timeout, a total
 * timeout and a response size cap that aborts the read. Its owner starts and closes it. Calls block
 * the calling thread, which is meant to be virtual, while the exchange runs asynchronously.
 */
public final class EndpointClient implements AutoCloseable {
  /** The most response headers an endpoint may send; more ends the exchange. */
  static final int MAX_RESPONSE_HEADERS_BYTES = 64 * 1024;

  private final HttpClient http;
  private final Clock clock;

  /** A client that may call any address: for tests on loopback only. */
  public EndpointClient(EndpointClientConfig config, Clock clock) {
    this(config, clock, Optional.empty());
  }

  /**
   * A client that resolves every endpoint host itself and connects only to the addresses the
   * outbound policy permits, checked at each new connection.
   */
  public EndpointClient(EndpointClientConfig config, Clock clock, OutboundPolicy policy) {
    this(config, clock, Optional.of(requireNonNull(policy, "policy is null")));
  }

  private EndpointClient(
      EndpointClientConfig config, Clock clock, Optional<OutboundPolicy> policy) {
    requireNonNull(config, "config is null");
    this.clock = requireNonNull(clock, "clock is null");
    QueuedThreadPool threads = new QueuedThreadPool(config.maxClientThreads(), 2);
    threads.setName("endpoint-client");
    http = new HttpClient();
    http.setExecutor(threads);
    http.setFollowRedirects(false);
    http.setHttpCookieStore(new HttpCookieStore.Empty());
    http.setConnectTimeout(config.connectTimeoutCap().toMillis());
    http.setIdleTimeout(config.idleConnectionTimeout().toMillis());
    http.setMaxConnectionsPerDestination(config.maxConnectionsPerEndpoint());
    http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, config.userAgent()));
    // The body cap says nothing of the headers, which the client would otherwise read whole.
    http.setMaxResponseHeadersSize(MAX_RESPONSE_HEADERS_BYTES);
    policy.ifPresent(
        outbound -> {
          // The client starts the scheduler it is given; the resolver shares it.
          Scheduler scheduler = new ScheduledExecutorScheduler("endpoint-client-scheduler", false);
          http.setScheduler(scheduler);
          http.setSocketAddressResolver(
              new OutboundAddressResolver(
                  new SocketAddressResolver.Async(
                      threads, scheduler, http.getAddressResolutionTimeout()),
                  outbound));
        });
  }

  public void start() {
    try {
      http.start();
      // A 401 or 407 challenge goes to the caller as it came: the handlers the client installs as
      // it starts would buffer its body for a login it has no credentials for, and drop a body
      // past 16 KiB.
      http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
      http.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
    } catch (Exception e) {
      throw new FoundryException(
          ErrorCode.UNAVAILABLE,
          "the endpoint client did not start: " + e.getMessage(),
          List.of(),
          e);
    }
  }

  @Override
  public void close() {
    try {
      http.stop();
    } catch (Exception e) {
      throw new FoundryException(
          ErrorCode.INTERNAL, "the endpoint client did not stop: " + e.getMessage(), List.of(), e);
    }
  }

  /**
   * Sends the request and waits for the exchange to end. Every failure comes back as {@link
   * EndpointExchange.Broken}; only an interrupt of the calling thread is thrown, after aborting.
   */
  public EndpointExchange send(
      EndpointRequest request, EndpointCall.Timeouts timeouts, long maxResponseBytes)
      throws InterruptedException {
    requireNonNull(request, "request is null");
    Optional<EndpointExchange.Broken> unsendable = unsendable(request.credential());
    if (unsendable.isPresent()) {
      return unsendable.get();
    }
    Exchanged exchanged =
        exchange(
            HttpMethod.POST.asString(),
            request.endpoint(),
            request.headers(),
            request.credential(),
            Optional.of(request.body()),
            timeouts,
            maxResponseBytes);
    return exchanged.toEndpointExchange();
  }

  /**
   * Why the credential cannot go out as a header value, as the exchange that never happened; empty
   * when it can.
   */
  static Optional<EndpointExchange.Broken> unsendable(
      Optional<EndpointRequest.Credential> credential) {
    return credential
        .flatMap(secret -> secret.secret().headerProblem())
        .map(
            problem ->
                new EndpointExchange.Broken(
                    EndpointError.SECRET_INVALID,
                    OptionalInt.empty(),
                    Optional.empty(),
                    "the model's secret cannot be sent as the "
                        + "header it is for: "
                        + problem
                        + "; give the model a new secret",
                    "",
                    Duration.ZERO));
  }

  /**
   * One exchange of any method, for adapters and image fetches: the headers as given, the
   * credential when present, a JSON body when present, the same timeouts and size cap as {@link
   * #send}.
   */
  Exchanged exchange(
      String method,
      URI uri,
      Map<String, String> headers,
      Optional<EndpointRequest.Credential> credential,
      Optional<String> jsonBody,
      EndpointCall.Timeouts timeouts,
      long maxResponseBytes)
      throws InterruptedException {
    requireNonNull(uri, "uri is null");
    requireNonNull(timeouts, "timeouts is null");
    if (!http.isStarted()) {
      throw new IllegalStateException("the endpoint client is not started");
    }
    Instant started = clock.instant();
    Request exchange =
        http.newRequest(uri)
            .method(method)
            .headers(
                fields -> {
                  headers.forEach(fields::put);
                  credential.ifPresent(secret -> fields.put(secret.header(), secret.revealValue()));
                })
            .idleTimeout(timeouts.read().toMillis(), TimeUnit.MILLISECONDS);
    jsonBody.ifPresent(
        body ->
            exchange.body(
                new StringRequestContent("application/json", body, StandardCharsets.UTF_8)));
    BodyCollector collector = new BodyCollector(maxResponseBytes);
    Scheduler scheduler = http.getScheduler();
    // The client's own connect timeout is process-wide, so each model's is enforced here: the
    // request must have a connection (and so begin) before its connect timeout elapses.
    Scheduler.Task connectWatch =
        scheduler.schedule(
            () -> exchange.abort(CallAborted.connectTimeout(timeouts.connect())),
            timeouts.connect());
    exchange.onRequestBegin(begun -> connectWatch.cancel());
    Scheduler.Task totalWatch =
        scheduler.schedule(
            () -> exchange.abort(CallAborted.totalTimeout(timeouts.total())), timeouts.total());
    Result result;
    try {
      exchange.send(collector);
      result = collector.await();
    } catch (InterruptedException e) {
      exchange.abort(e);
      throw e;
    } finally {
      connectWatch.cancel();
      totalWatch.cancel();
    }
    return new Exchanged(result, collector, Duration.between(started, clock.instant()));
  }

  /** An exchange as it ended: Jetty's result, the body gathered, and how long it took. */
  record Exchanged(Result result, BodyCollector collector, Duration latency) {
    /** The exchange as the dispatcher records it: answered, or broken off and why. */
    EndpointExchange toEndpointExchange() {
      return exchangeOf(result, collector, latency);
    }
  }

  private static EndpointExchange exchangeOf(
      Result result, BodyCollector collector, Duration latency) {
    Response response = result.getResponse();
    int status = response == null ? 0 : response.getStatus();
    Optional<String> retryAfter = header(response, HttpHeader.RETRY_AFTER);
    if (result.isSucceeded()) {
      String body = collector.body();
      // Bytes that are not UTF-8 decode to U+FFFD; only then is the body read again to find them.
      return new EndpointExchange.Answered(
          status,
          retryAfter,
          header(response, HttpHeader.CONTENT_TYPE),
          body,
          body.indexOf('\uFFFD') < 0 ? OptionalInt.empty() : collector.notUtf8At(),
          latency);
    }
    Throwable failure = result.getFailure();
    return new EndpointExchange.Broken(
        classify(failure),
        status > 0 ? OptionalInt.of(status) : OptionalInt.empty(),
        retryAfter,
        describe(failure),
        collector.prefix(),
        latency);
  }

  private static Optional<String> header(Response response, HttpHeader name) {
    if (response == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(response.getHeaders().get(name));
  }

  /** Maps a failure to its error code; the first cause that says what happened wins. */
  static EndpointError classify(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CallAborted aborted) {
        return aborted.error();
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      // The connection closed before the response was complete, whichever layer noticed: the
      // parser's early EOF is no less a reset than the socket's.
      if (cause instanceof EOFException || isEarlyEof(cause)) {
        return EndpointError.ENDPOINT_CONNECTION_RESET;
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      EndpointError error = classifyOne(cause);
      if (error != null) {
        return error;
      }
    }
    return EndpointError.ENDPOINT_CONNECTION_RESET;
  }

  private static boolean isEarlyEof(Throwable cause) {
    return cause instanceof HttpException
        && String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("early eof");
  }

  private static EndpointError classifyOne(Throwable cause) {
    return switch (cause) {
      case SocketTimeoutException timeout -> EndpointError.ENDPOINT_CONNECT_TIMEOUT;
      case TimeoutException timeout -> EndpointError.ENDPOINT_TIMEOUT;
      case ConnectException refused -> EndpointError.ENDPOINT_UNREACHABLE;
      case NoRouteToHostException noRoute -> EndpointError.ENDPOINT_UNREACHABLE;
      case UnknownHostException unknown -> EndpointError.ENDPOINT_UNREACHABLE;
      case UnresolvedAddressException unresolved -> EndpointError.ENDPOINT_UNREACHABLE;
      case OutboundBlockedException blocked -> EndpointError.OUTBOUND_BLOCKED;
      case SSLException tls -> EndpointError.ENDPOINT_PROTOCOL_ERROR;
      case HttpException notHttp -> EndpointError.ENDPOINT_PROTOCOL_ERROR;
      case ZipException badEncoding -> EndpointError.ENDPOINT_PROTOCOL_ERROR;
      case IOException broken -> EndpointError.ENDPOINT_CONNECTION_RESET;
      default -> null;
    };
  }

  /** A short account of the failure; never the request's headers, so never the secret. */
  private static String describe(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CallAborted aborted) {
        return aborted.getMessage();
      }
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // What the client says of these names its own objects, which is no help to anyone reading it.
    if (root instanceof EOFException || root instanceof ClosedChannelException) {
      return "the connection was closed before the response was complete";
    }
    if (root instanceof HttpException) {
      return "the answer is not well-formed HTTP: " + root.getMessage();
    }
    if (root instanceof ZipException) {
      return "the body's gzip encoding (Content-Encoding: gzip) is broken: " + root.getMessage();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    String text = root.getClass().getSimpleName() + message;
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
