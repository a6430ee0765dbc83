package org.openfoundry.server.auth;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Optional;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.server.Access;

/**
 * Runs before every matched route: public routes pass; every other route needs an active key in
 * {@code Authorization: Bearer <key>} or {@code X-API-Key}, whose role allows the route's access,
 * or else a signed-in browser session of the web UI.
 */
public final class AccessCheck implements Handler {
  /** The request attribute holding the authenticated {@link ApiKey}. */
  public static final String KEY_ATTRIBUTE = "openfoundry.apiKey";

  /**
   * Authenticates a request that presents no key by other means, such as the web UI's session
   * cookie; it throws when the request claims a session but is not allowed (a missing CSRF token).
   */
  @FunctionalInterface
  public interface SessionKeys {
    Optional<ApiKey> authenticate(Context ctx);
  }

  private final ApiKeys keys;
  private final SessionKeys sessions;

  public AccessCheck(ApiKeys keys) {
    this(keys, ctx -> Optional.empty());
  }

  public AccessCheck(ApiKeys keys, SessionKeys sessions) {
    this.keys = requireNonNull(keys, "keys is null");
    this.sessions = requireNonNull(sessions, "sessions is null");
  }

  @Override
  public void handle(Context ctx) {
    Access access =
        ctx.routeRoles().stream()
            .filter(Access.class::isInstance)
            .map(Access.class::cast)
            .findFirst()
            .orElse(Access.ADMIN);
    if (access == Access.PUBLIC) {
      return;
    }
    ApiKey key = authenticate(ctx);
    if (!allows(key.role(), access)) {
      throw new FoundryException(
          ErrorCode.FORBIDDEN,
          "a " + key.role().word() + " key may not call " + ctx.method() + " " + ctx.path());
    }
    ctx.attribute(KEY_ATTRIBUTE, key);
  }

  private ApiKey authenticate(Context ctx) {
    Optional<String> presented = presentedKey(ctx);
    if (presented.isEmpty()) {
      return sessions
          .authenticate(ctx)
          .orElseThrow(
              () ->
                  new FoundryException(
                      ErrorCode.UNAUTHORIZED,
                      "this route needs an API key: send Authorization: Bearer <key> or"
                          + " X-API-Key: <key>"));
    }
    return keys.authenticate(presented.get())
        .orElseThrow(
            () ->
                new FoundryException(
                    ErrorCode.UNAUTHORIZED, "the API key is not valid or was revoked"));
  }

  /** Admin keys may call everything, member keys all but admin routes, metrics keys metrics. */
  static boolean allows(ApiKeyRole role, Access access) {
    return switch (access) {
      case PUBLIC, METRICS -> true;
      case MEMBER -> role == ApiKeyRole.ADMIN || role == ApiKeyRole.MEMBER;
      case ADMIN -> role == ApiKeyRole.ADMIN;
    };
  }

  private static Optional<String> presentedKey(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(authorization.substring(7).trim()).filter(key -> !key.isEmpty());
    }
    return Optional.ofNullable(ctx.header("X-API-Key"))
        .map(String::trim)
        .filter(key -> !key.isEmpty());
  }
}
