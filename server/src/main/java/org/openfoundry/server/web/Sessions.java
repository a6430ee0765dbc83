package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.apikeys.ApiKeyId;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.server.auth.AccessCheck;
import org.openfoundry.server.auth.ApiKeys;

/**
 * Browser sessions of the web UI, held in this node's memory: a random id in an HttpOnly,
 * SameSite=Strict cookie, a CSRF token per session, and the API key the person signed in with (its
 * id only; the key is checked to be still active on every request). Sessions expire after a time
 * without use.
 */
final class Sessions implements AccessCheck.SessionKeys {
  static final String COOKIE = "openfoundry_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "_csrf";
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  private static final int MAX_SESSIONS = 50_000;

  private final ApiKeys keys;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration idle;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  Sessions(ApiKeys keys, Clock clock, SecureRandom random, Duration idle) {
    this.keys = requireNonNull(keys, "keys is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.random = requireNonNull(random, "random is null");
    this.idle = requireNonNull(idle, "idle is null");
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("idle must be positive, got " + idle);
    }
  }

  /** One browser's session; {@code keyId} is empty until the person signs in. */
  record Session(String id, String csrfToken, Optional<ApiKeyId> keyId, Instant lastSeen) {
    Session {
      requireNonNull(id, "id is null");
      requireNonNull(csrfToken, "csrfToken is null");
      requireNonNull(keyId, "keyId is null");
      requireNonNull(lastSeen, "lastSeen is null");
    }

    boolean signedIn() {
      return keyId.isPresent();
    }
  }

  /** The session of the request's cookie when it is still valid. */
  Optional<Session> find(Context ctx) {
    String id = ctx.cookie(COOKIE);
    if (id == null) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(session.lastSeen().plus(idle))) {
      sessions.remove(id);
      return Optional.empty();
    }
    Session touched = new Session(session.id(), session.csrfToken(), session.keyId(), now);
    sessions.put(id, touched);
    return Optional.of(touched);
  }

  /** The request's session, or a new anonymous one (with its cookie set on the response). */
  Session current(Context ctx) {
    return find(ctx).orElseGet(() -> start(ctx, Optional.empty()));
  }

  /**
   * Signs in with a plain API key: a new session id replaces the old one, so that an id planted
   * before sign-in is worthless after it.
   */
  Session signIn(Context ctx, String presented) {
    ApiKey key =
        keys.authenticate(presented == null ? "" : presented.trim())
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.UNAUTHORIZED, "this API key is not valid or was revoked"));
    if (key.role() == ApiKeyRole.METRICS) {
      throw new FoundryException(
          ErrorCode.FORBIDDEN, "a metrics key may only read metrics; sign in with a member key");
    }
    find(ctx).ifPresent(old -> sessions.remove(old.id()));
    return start(ctx, Optional.of(key.id()));
  }

  void signOut(Context ctx) {
    find(ctx).ifPresent(session -> sessions.remove(session.id()));
    ctx.res().addHeader("Set-Cookie", cookie(ctx, "", 0));
  }

  /** The key of a signed-in session, while that key is still active. */
  Optional<ApiKey> key(Session session) {
    if (session.keyId().isEmpty()) {
      return Optional.empty();
    }
    try {
      ApiKey key = keys.get(session.keyId().get());
      return key.isActive() ? Optional.of(key) : Optional.empty();
    } catch (FoundryException gone) {
      return Optional.empty();
    }
  }

  /**
   * Throws {@code FORBIDDEN} unless the request carries the session's CSRF token and, when the
   * browser says where it comes from, comes from this site.
   */
  void requireToken(Context ctx, Session session) {
    requireSameOrigin(ctx);
    String presented = ctx.header(CSRF_HEADER);
    if (presented == null && isForm(ctx)) {
      presented = ctx.formParam(CSRF_FIELD);
    }
    if (presented == null
        || !MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8),
            session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
      throw new FoundryException(
          ErrorCode.FORBIDDEN,
          "this request did not come from an OpenFoundry page: its CSRF token is missing or wrong;"
              + " reload the page and try again");
    }
  }

  /**
   * API requests without a key but with a session cookie: the session's key, and for a request that
   * changes anything, the CSRF token in {@code X-CSRF-Token} as well.
   */
  @Override
  public Optional<ApiKey> authenticate(Context ctx) {
    Optional<Session> session = find(ctx);
    if (session.isEmpty() || !session.get().signedIn()) {
      return Optional.empty();
    }
    if (!SAFE_METHODS.contains(ctx.method().name().toUpperCase(Locale.ROOT))) {
      requireToken(ctx, session.get());
    }
    return key(session.get());
  }

  /**
   * Browsers name the site a request comes from in {@code Origin} (and, in newer ones, {@code
   * Sec-Fetch-Site}); a request that changes anything is refused when that is another site, even
   * with a token, as a second wall behind the token and the SameSite cookie.
   */
  static void requireSameOrigin(Context ctx) {
    String fetchSite = ctx.header("Sec-Fetch-Site");
    if (fetchSite != null && fetchSite.trim().equalsIgnoreCase("cross-site")) {
      throw crossSite("the browser says it comes from another site (Sec-Fetch-Site: cross-site)");
    }
    String origin = ctx.header("Origin");
    if (origin == null) {
      return;
    }
    String authority = authority(origin.trim());
    if (authority == null
        || !(authority.equalsIgnoreCase(String.valueOf(ctx.header("Host")))
            || authority.equalsIgnoreCase(String.valueOf(ctx.header("X-Forwarded-Host"))))) {
      throw crossSite("it comes from another site (Origin: " + origin.trim() + ")");
    }
  }

  /** The host and port of an origin such as {@code https://foundry.example:8443}, or null. */
  private static String authority(String origin) {
    int scheme = origin.indexOf("://");
    if (scheme <= 0) {
      return null;
    }
    String authority = origin.substring(scheme + 3);
    return authority.isEmpty() || authority.contains("/") ? null : authority;
  }

  private static FoundryException crossSite(String why) {
    return new FoundryException(
        ErrorCode.FORBIDDEN,
        "this request was refused: "
            + why
            + "; changes are taken only from OpenFoundry's own pages");
  }

  private static boolean isForm(Context ctx) {
    String type = ctx.contentType();
    return type != null
        && (type.startsWith("application/x-www-form-urlencoded")
            || type.startsWith("multipart/form-data"));
  }

  int size() {
    return sessions.size();
  }

  private Session start(Context ctx, Optional<ApiKeyId> keyId) {
    if (sessions.size() >= MAX_SESSIONS) {
      forgetExpired();
    }
    if (sessions.size() >= MAX_SESSIONS) {
      forgetAnonymous();
    }
    Session session = new Session(token(), token(), keyId, clock.instant());
    sessions.put(session.id(), session);
    ctx.res().addHeader("Set-Cookie", cookie(ctx, session.id(), idle.toSeconds()));
    return session;
  }

  private void forgetExpired() {
    Instant now = clock.instant();
    sessions.values().removeIf(session -> !now.isBefore(session.lastSeen().plus(idle)));
  }

  /** Under a flood of new visitors, signed-in people keep their sessions. */
  private void forgetAnonymous() {
    sessions.values().removeIf(session -> !session.signedIn());
  }

  private static String cookie(Context ctx, String value, long maxAgeSeconds) {
    String secure = isHttps(ctx) ? "; Secure" : "";
    return COOKIE
        + "="
        + value
        + "; Path=/; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict"
        + secure;
  }

  private static boolean isHttps(Context ctx) {
    String forwarded = ctx.header("X-Forwarded-Proto");
    return "https".equalsIgnoreCase(ctx.scheme())
        || (forwarded != null && forwarded.trim().equalsIgnoreCase("https"));
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
