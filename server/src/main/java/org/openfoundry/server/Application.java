package org.openfoundry.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.chat.ConversationParser;
import org.openfoundry.comparisons.ComparisonService;
import org.openfoundry.directrun.ChatService;
import org.openfoundry.directrun.ChatSettings;
import org.openfoundry.dispatch.Dispatcher;
import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.EndpointClientConfig;
import org.openfoundry.dispatch.ResponseReading;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.engine.EngineNode;
import org.openfoundry.models.SecretValue;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import org.openfoundry.server.auth.AccessCheck;
import org.openfoundry.server.auth.ApiKeys;
import org.openfoundry.server.auth.ApiKeysResource;
import org.openfoundry.server.chat.ChatResource;
import org.openfoundry.server.chat.ComparisonsResource;
import org.openfoundry.server.config.LoadedConfig;
import org.openfoundry.server.config.ServerConfig;
import org.openfoundry.server.datasets.DatasetsResource;
import org.openfoundry.server.files.FileStore;
import org.openfoundry.server.files.FilesResource;
import org.openfoundry.server.files.SignedFileRows;
import org.openfoundry.server.files.SigningKey;
import org.openfoundry.server.files.UrlSigner;
import org.openfoundry.server.metrics.MeteredTaskQueue;
import org.openfoundry.server.metrics.Metrics;
import org.openfoundry.server.metrics.MetricsResource;
import org.openfoundry.server.models.ConnectionTest;
import org.openfoundry.server.models.EndpointCheck;
import org.openfoundry.server.models.ModelsResource;
import org.openfoundry.server.openapi.OpenApiResource;
import org.openfoundry.server.runs.RunsResource;
import org.openfoundry.server.web.WebUi;
import org.openfoundry.store.DatabaseConfig;
import org.openfoundry.store.JdbiApiKeyRepository;
import org.openfoundry.store.JdbiComparisonRepository;
import org.openfoundry.store.Store;
import org.openfoundry.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The composition root: builds the whole object graph by hand from the configuration (store,
 * secrets, API keys, files, the endpoint client, the run engine as the engine worker builds it, the
 * HTTP server) and closes it in the reverse order. Only worker nodes start the engine's dispatcher;
 * every node serving the API sends chat calls through the engine.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);
  private static final ConversationLimits CONVERSATION_LIMITS = ConversationLimits.defaults();

  private final List<AutoCloseable> closeables;
  private final WebServer server;
  private final Optional<Dispatcher> dispatcher;

  private Application(
      List<AutoCloseable> closeables, WebServer server, Optional<Dispatcher> dispatcher) {
    this.closeables = List.copyOf(closeables);
    this.server = server;
    this.dispatcher = dispatcher;
  }

  /**
   * Starts a node. A first admin key, when one is generated, is printed once on {@code console}
   * (not logged): whoever reads that console holds it.
   */
  public static Application start(LoadedConfig loaded, PrintStream console, Clock clock) {
    ServerConfig config = loaded.config();
    log.info("starting OpenFoundry as {} with this configuration:", config.role().word());
    loaded.effective().forEach(line -> log.info("  {}", line));
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      return build(config, console, clock, opened);
    } catch (RuntimeException failed) {
      closeAll(opened);
      throw failed;
    }
  }

  private static Application build(
      ServerConfig config, PrintStream console, Clock clock, List<AutoCloseable> opened) {
    SecureRandom random = new SecureRandom();
    Path dataDir = config.storage().dataDir();
    createFolder(dataDir);
    MasterKey masterKey =
        MasterKey.load(
            config.storage().masterKey().map(SecretValue::reveal),
            java.util.Map.of(),
            dataDir.resolve("master.key"));
    Store store =
        Store.open(
            DatabaseConfig.of(
                config.storage().databaseUrl(),
                config.storage().databaseUser(),
                config.storage().databasePassword().map(SecretValue::reveal)),
            new SecretBox(masterKey, random),
            clock);
    opened.add(store);
    ApiKeys keys = new ApiKeys(new JdbiApiKeyRepository(store.database()), clock, random);
    keys.ensureAdmin(config.auth().adminKey()).ifPresent(key -> printFirstKey(console, key));

    JsonMapper mapper = Json.newMapper();
    Metrics metrics = new Metrics();
    AtomicReference<URI> publicUrl =
        new AtomicReference<>(config.http().publicUrl(config.http().port()));
    UrlSigner signer =
        new UrlSigner(
            SigningKey.load(config.files().signingKey(), dataDir, random),
            clock,
            config.files().urlTtl(),
            publicUrl::get);
    FileStore files = new FileStore(dataDir.resolve("files"));
    Path imports = dataDir.resolve("imports");
    createFolder(imports);
    EndpointClient client =
        new EndpointClient(EndpointClientConfig.defaults(), clock, config.outbound().policy());
    client.start();
    opened.add(client);
    TaskQueue queue = new MeteredTaskQueue(new SignedFileRows(store.tasks(), signer), metrics);

    // One engine for the node: the dispatcher (started on worker nodes only) and the chat calls
    // share each model's rate limit, concurrency cap, adapters and retry policy, chat calls first.
    EngineNode engine =
        EngineNode.assemble(
            new EngineNode.Parts(store, client, queue),
            new ResponseReading(),
            DispatcherConfig.defaults(owner(random))
                .withLeaseAndPollInterval(
                    config.dispatch().leaseDuration(), config.dispatch().pollInterval()),
            clock);
    Optional<Dispatcher> dispatcher =
        config.role().runsWorkers() ? Optional.of(engine.dispatcher()) : Optional.empty();

    List<Resource> resources = new ArrayList<>();
    AccessCheck accessCheck = new AccessCheck(keys);
    resources.add(new HealthResource(config.role().word(), List.of(databaseCheck(store))));
    resources.add(new MetricsResource(metrics, store.tasks(), clock));
    if (config.role().servesApi()) {
      resources.add(new OpenApiResource(mapper));
      resources.add(new ApiKeysResource(keys));
      resources.add(new FilesResource(files, signer, config.http().maxUploadBytes()));
      resources.add(
          new ModelsResource(
              store.models(),
              new EndpointCheck(config.outbound().policy(), EndpointCheck.dns()),
              config.http().maxBodyBytes()));
      resources.add(new ConnectionTest(store.models(), client, engine.adapters(), mapper, clock));
      resources.add(
          new DatasetsResource(
              store.datasets(),
              files,
              config.http().maxImportBytes(),
              config.http().maxLineLength(),
              imports));
      resources.add(
          new RunsResource(
              store.runs(),
              store.models(),
              mapper,
              Sleeper.system(),
              config.http().eventsInterval()));
      ChatService chat = engine.chatService(ChatSettings.defaults());
      ConversationParser conversations = new ConversationParser(CONVERSATION_LIMITS);
      resources.add(new ChatResource(chat, conversations));
      resources.add(
          new ComparisonsResource(
              new ComparisonService(
                  chat, new JdbiComparisonRepository(store.database(), CONVERSATION_LIMITS), clock),
              conversations));
      WebUi web =
          new WebUi(
              new WebUi.Parts(store.models(), store.datasets(), store.runs(), keys, signer, clock),
              random);
      resources.add(web);
      accessCheck = new AccessCheck(keys, web.sessions());
    }
    WebServer server =
        WebServer.start(
            config.http(),
            new WebServer.Parts(mapper, accessCheck, metrics.requestLogger(), resources));
    opened.add(server);
    publicUrl.set(config.http().publicUrl(server.port()));
    // Added after the HTTP server, so that closing stops claiming before the server stops.
    opened.add(engine);
    if (dispatcher.isPresent()) {
      engine.start();
    }
    log.info(
        "OpenFoundry listens on port {}; models reach its files at {}",
        server.port(),
        publicUrl.get());
    return new Application(opened, server, dispatcher);
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return server.port();
  }

  /** Every route served, for tests that hold the API to its document. */
  public List<ApiRoute> routes() {
    return server.routes();
  }

  /** The dispatcher of a worker node. */
  public Optional<Dispatcher> dispatcher() {
    return dispatcher;
  }

  @Override
  public void close() {
    closeAll(new ArrayList<>(closeables));
  }

  private static void closeAll(List<AutoCloseable> opened) {
    for (int index = opened.size() - 1; index >= 0; index--) {
      try {
        opened.get(index).close();
      } catch (Exception failed) {
        log.warn("could not close {}", opened.get(index), failed);
      }
    }
  }

  private static HealthResource.Check databaseCheck(Store store) {
    return new HealthResource.Check() {
      @Override
      public String name() {
        return "database";
      }

      @Override
      public void run() {
        store.datasets().list(PageRequest.first(1));
      }
    };
  }

  private static void printFirstKey(PrintStream console, SecretValue key) {
    console.println();
    console.println("First admin API key (shown once, keep it safe):");
    console.println("  " + key.reveal());
    console.println(
        "Send it as Authorization: Bearer <key>. Create more keys with POST /api/v1/api-keys.");
    console.println();
    console.flush();
  }

  private static String owner(SecureRandom random) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException unknown) {
      host = "node";
    }
    return host + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(random.nextInt());
  }

  private static void createFolder(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException failed) {
      throw new UncheckedIOException("cannot create the data folder " + folder, failed);
    }
  }
}
