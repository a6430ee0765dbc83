package org.openfoundry.engine;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openfoundry.adapters.AdapterEnvironment;
import org.openfoundry.adapters.AdapterRegistry;
import org.openfoundry.chat.AttachmentInliner;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.directrun.ChatService;
import org.openfoundry.directrun.ChatSettings;
import org.openfoundry.dispatch.AdapterTaskCaller;
import org.openfoundry.dispatch.Dispatcher;
import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.EndpointClientImages;
import org.openfoundry.dispatch.EndpointTaskCaller;
import org.openfoundry.dispatch.InteractiveCalls;
import org.openfoundry.dispatch.ResponsePostProcessor;
import org.openfoundry.dispatch.RetryPolicy;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.ratelimit.RateLimiter;
import org.openfoundry.secrets.SecretBox;
import org.openfoundry.store.Store;
import org.openfoundry.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the run engine: the store and its task queue, the rate limiter (in memory on SQLite,
 * where one node works the queue; the store's GCRA row per model on PostgreSQL, shared by every
 * node), the endpoint client, the adapters, the retry policy, the interactive lane and the
 * dispatcher, wired by hand. {@link #open} builds and owns all of it; {@link #assemble} builds on a
 * store, client and queue its caller owns (the server). {@link #chatService} sends conversations on
 * the same limiter, lane, adapters and retry policy as the dispatcher's batch calls, chat calls
 * first. {@link #start()} starts claiming; a node never started still serves chat. {@link #close()}
 * lets calls in flight finish within the dispatcher's grace period, then closes what the node owns
 * in reverse order.
 */
public final class EngineNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EngineNode.class);
  private static final ConversationLimits CONVERSATION_LIMITS = ConversationLimits.defaults();

  private final Parts parts;
  private final Calls calls;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final String owner;
  private final List<AutoCloseable> owned;

  private EngineNode(
      Parts parts,
      Calls calls,
      Dispatcher dispatcher,
      Clock clock,
      String owner,
      List<AutoCloseable> owned) {
    this.parts = parts;
    this.calls = calls;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.owner = owner;
    this.owned = List.copyOf(owned);
  }

  /** What batch calls and chat calls of this node share. */
  private record Calls(
      RateLimiter rateLimiter,
      InteractiveCalls interactive,
      RetryPolicy retries,
      AdapterRegistry adapters,
      EndpointClientImages images) {}

  /**
   * What a node runs on when its caller owns them: the store, a started endpoint client (the server
   * passes the one with its outbound policy), and the task queue (the store's, or the store's
   * wrapped in metrics or URL signing).
   */
  public record Parts(Store store, EndpointClient client, TaskQueue queue) {
    public Parts {
      requireNonNull(store, "store is null");
      requireNonNull(client, "client is null");
      requireNonNull(queue, "queue is null");
    }

    /** The store's own task queue. */
    public static Parts of(Store store, EndpointClient client) {
      return new Parts(store, client, store.tasks());
    }
  }

  /**
   * Opens the database (migrating it), loads the master key, starts the endpoint client and builds
   * the node on them; the node closes them. Nothing is claimed before {@link #start()}.
   */
  public static EngineNode open(EngineConfig config, Clock clock) {
    requireNonNull(config, "config is null");
    requireNonNull(clock, "clock is null");
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      SecureRandom random = new SecureRandom();
      Store store =
          Store.open(config.database(), new SecretBox(config.masterKey().load(), random), clock);
      opened.add(store);
      EndpointClient client = new EndpointClient(config.client(), clock);
      client.start();
      opened.add(client);
      return build(
          Parts.of(store, client), config.postProcessor(), config.dispatcher(), clock, opened);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  /** Builds a node on parts its caller opened and will close. */
  public static EngineNode assemble(
      Parts parts, ResponsePostProcessor postProcessor, DispatcherConfig dispatcher, Clock clock) {
    requireNonNull(parts, "parts is null");
    requireNonNull(postProcessor, "postProcessor is null");
    requireNonNull(dispatcher, "dispatcher is null");
    requireNonNull(clock, "clock is null");
    return build(parts, postProcessor, dispatcher, clock, List.of());
  }

  private static EngineNode build(
      Parts parts,
      ResponsePostProcessor postProcessor,
      DispatcherConfig config,
      Clock clock,
      List<AutoCloseable> owned) {
    RateLimiter limiter =
        parts.store().sharedRateLimiter().orElseGet(() -> new InMemoryRateLimiter(clock));
    RetryPolicy retries = RetryPolicy.standard(new SplittableRandom());
    EndpointClientImages images =
        new EndpointClientImages(parts.client(), EndpointClientImages.TIMEOUTS);
    AdapterRegistry adapters =
        new AdapterRegistry(
            new AdapterEnvironment(
                clock, Sleeper.system(), images, CONVERSATION_LIMITS.maxImageBytes()));
    Calls calls = new Calls(limiter, new InteractiveCalls(), retries, adapters, images);
    EndpointTaskCaller wireContract =
        new EndpointTaskCaller(parts.client(), postProcessor, retries, limiter, clock);
    AdapterTaskCaller caller =
        new AdapterTaskCaller(
            adapters, parts.client(), wireContract, postProcessor, retries, limiter, clock);
    Dispatcher dispatcher =
        new Dispatcher(
            parts.queue(), limiter, caller, clock, Sleeper.system(), config, calls.interactive());
    return new EngineNode(parts, calls, dispatcher, clock, config.owner(), owned);
  }

  /** Starts the dispatcher's cycles on a thread of their own. */
  public void start() {
    dispatcher.start();
    log.info("engine node {} started", owner);
  }

  /** The name this node's leases carry. */
  public String owner() {
    return owner;
  }

  public Store store() {
    return parts.store();
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The rate limiter the node's dispatcher and chat calls reserve start slots from. */
  public RateLimiter rateLimiter() {
    return calls.rateLimiter();
  }

  /** The lane through which chat calls go before the dispatcher's batch calls of a model. */
  public InteractiveCalls interactive() {
    return calls.interactive();
  }

  /** How the node's batch and chat calls retry a failed attempt. */
  public RetryPolicy retryPolicy() {
    return calls.retries();
  }

  /** The adapters by name, configured for this node's endpoint client. */
  public AdapterRegistry adapters() {
    return calls.adapters();
  }

  /**
   * Chat calls on this node's endpoint client (so under its outbound policy) through each model's
   * adapter, sharing the dispatcher's rate limiter, interactive lane and retry policy.
   */
  public ChatService chatService(ChatSettings settings) {
    requireNonNull(settings, "settings is null");
    return new ChatService(
        new ChatService.Parts(
            parts.store().models(),
            calls.adapters(),
            parts.client(),
            new AttachmentInliner(calls.images(), CONVERSATION_LIMITS),
            calls.rateLimiter(),
            calls.interactive(),
            calls.retries()),
        clock,
        Sleeper.system(),
        settings);
  }

  @Override
  public void close() {
    try {
      dispatcher.close();
    } finally {
      closeAll(new ArrayList<>(owned));
    }
  }

  private static void closeAll(List<AutoCloseable> opened) {
    for (int index = opened.size() - 1; index >= 0; index--) {
      try {
        opened.get(index).close();
      } catch (Exception e) {
        log.warn("could not close {}", opened.get(index), e);
      }
    }
  }
}
