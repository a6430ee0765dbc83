package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.datasets.DatasetRepository;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.RunRepository;
import org.openfoundry.server.ApiErrors;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;
import org.openfoundry.server.auth.AccessCheck;
import org.openfoundry.server.auth.ApiKeys;
import org.openfoundry.server.files.UrlSigner;
import org.openfoundry.server.runs.RunRequests;

/**
 * The web UI's routes: sign-in, models, datasets, runs, the predictions viewer, chat, and the
 * static files they use. Every page but sign-in needs a signed-in session; every request that
 * changes anything needs the session's CSRF token.
 */
public final class WebUi implements Resource {
  private static final Duration IDLE = Duration.ofHours(12);

  private final Sessions sessions;
  private final Pages pages = new Pages();
  private final ModelPages modelPages;
  private final DatasetPages datasetPages;
  private final RunPages runPages;
  private final ChatPages chatPages;
  private final Assets assets = new Assets();

  /** What the UI reads and writes through: the same stores and checks as the API. */
  public record Parts(
      ModelRepository models,
      DatasetRepository datasets,
      RunRepository runs,
      ApiKeys keys,
      UrlSigner signer,
      Clock clock) {
    public Parts {
      requireNonNull(models, "models is null");
      requireNonNull(datasets, "datasets is null");
      requireNonNull(runs, "runs is null");
      requireNonNull(keys, "keys is null");
      requireNonNull(signer, "signer is null");
      requireNonNull(clock, "clock is null");
    }
  }

  public WebUi(Parts parts, SecureRandom random) {
    this.sessions = new Sessions(parts.keys(), parts.clock(), random, IDLE);
    this.modelPages = new ModelPages(parts.models(), parts.runs(), pages);
    this.datasetPages = new DatasetPages(parts.datasets(), parts.signer(), pages);
    this.runPages =
        new RunPages(
            new RunPages.Stores(parts.models(), parts.datasets(), parts.runs()),
            new RunRequests(parts.models()),
            parts.signer(),
            pages);
    this.chatPages = new ChatPages(parts.models(), pages);
  }

  /** Lets API requests from the UI's pages in on their session (with the CSRF token to write). */
  public AccessCheck.SessionKeys sessions() {
    return sessions;
  }

  /** A page's work, once the session is known to be signed in. */
  @FunctionalInterface
  interface PageHandler {
    void handle(Visit visit) throws Exception;
  }

  /** Registers pages behind the session check. */
  final class Router {
    private final Routes routes;

    private Router(Routes routes) {
      this.routes = routes;
    }

    void get(String path, PageHandler handler) {
      routes.page(HandlerType.GET, path, ctx -> visit(ctx, handler));
    }

    void post(String path, PageHandler handler) {
      routes.page(HandlerType.POST, path, ctx -> visit(ctx, handler));
    }
  }

  @Override
  public void register(Routes routes) {
    routes.page(HandlerType.GET, "/", ctx -> ctx.redirect("/models", HttpStatus.SEE_OTHER));
    routes.page(HandlerType.GET, "/signin", this::signInPage);
    routes.page(HandlerType.POST, "/signin", this::signIn);
    routes.page(HandlerType.POST, "/signout", this::signOut);
    assets.register(routes);
    Router router = new Router(routes);
    modelPages.register(router);
    datasetPages.register(router);
    runPages.register(router);
    chatPages.register(router);
  }

  /** The sign-in page's model. */
  record SignInPage(Chrome chrome, String next, String error) {}

  private void signInPage(Context ctx) {
    Sessions.Session session = sessions.current(ctx);
    if (sessions.key(session).isPresent()) {
      ctx.redirect(next(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
      return;
    }
    pages.send(
        ctx,
        "signin.jte",
        new SignInPage(
            Chrome.anonymous("Sign in", session.csrfToken()), next(ctx.queryParam("next")), ""));
  }

  private void signIn(Context ctx) {
    Sessions.Session session = sessions.current(ctx);
    String next = next(ctx.formParam("next"));
    try {
      sessions.requireToken(ctx, session);
      sessions.signIn(ctx, ctx.formParam("api_key"));
      ctx.redirect(next, HttpStatus.SEE_OTHER);
    } catch (FoundryException refused) {
      Sessions.Session fresh = sessions.current(ctx);
      ctx.status(ApiErrors.status(refused.code()));
      pages.send(
          ctx,
          "signin.jte",
          new SignInPage(
              Chrome.anonymous("Sign in", fresh.csrfToken()), next, refused.getMessage()));
    }
  }

  private void signOut(Context ctx) {
    Optional<Sessions.Session> session = sessions.find(ctx);
    if (session.isPresent()) {
      sessions.requireToken(ctx, session.get());
      sessions.signOut(ctx);
    }
    ctx.redirect("/signin", HttpStatus.SEE_OTHER);
  }

  /** Only a path on this site: anything else could send a person somewhere else after sign-in. */
  static String next(String requested) {
    if (requested == null
        || !requested.startsWith("/")
        || requested.startsWith("//")
        || requested.contains("\\")
        || requested.startsWith("/signin")) {
      return "/models";
    }
    return requested;
  }

  private void visit(Context ctx, PageHandler handler) throws Exception {
    Sessions.Session session = sessions.current(ctx);
    Optional<ApiKey> key = sessions.key(session);
    if (key.isEmpty()) {
      String back = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
      String signIn =
          "/signin?next="
              + URLEncoder.encode(
                  ctx.method() == HandlerType.GET ? back : "/models", StandardCharsets.UTF_8);
      if ("true".equals(ctx.header("HX-Request"))) {
        ctx.header("HX-Redirect", signIn).status(401);
        return;
      }
      ctx.redirect(signIn, HttpStatus.SEE_OTHER);
      return;
    }
    Visit visit = new Visit(ctx, session, key.get());
    try {
      if (ctx.method() != HandlerType.GET) {
        sessions.requireToken(ctx, session);
      }
      handler.handle(visit);
    } catch (FoundryException failure) {
      ctx.status(ApiErrors.status(failure.code()));
      if (visit.fromHtmx()) {
        // htmx leaves error answers unswapped unless told where they go.
        ctx.header("HX-Retarget", "#flash").header("HX-Reswap", "innerHTML").status(200);
        pages.send(ctx, "flash.jte", new ErrorPage(visit.chrome("Error", ""), failure));
        return;
      }
      pages.send(ctx, "error.jte", new ErrorPage(visit.chrome("Error", ""), failure));
    }
  }

  /** A refused or failed page: the error's code, message and problems. */
  record ErrorPage(Chrome chrome, FoundryException failure) {
    String title() {
      return failure.code() == ErrorCode.NOT_FOUND ? "Not found" : "Something went wrong";
    }
  }
}
