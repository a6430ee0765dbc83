package org.openfoundry.server.auth;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.Optional;
import org.openfoundry.apikeys.ApiKey;
import org.openfoundry.apikeys.ApiKeyId;
import org.openfoundry.apikeys.ApiKeyRole;
import org.openfoundry.server.Access;
import org.openfoundry.server.Fields;
import org.openfoundry.server.Ids;
import org.openfoundry.server.Paging;
import org.openfoundry.server.Requests;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;

/** {@code /api/v1/api-keys}: create (the key is in this answer only), list, read, revoke. */
public final class ApiKeysResource implements Resource {
  private final ApiKeys keys;

  public ApiKeysResource(ApiKeys keys) {
    this.keys = requireNonNull(keys, "keys is null");
  }

  /** An API key as the API shows it: never its hash. */
  record KeyView(
      String id,
      String name,
      String role,
      String prefix,
      Instant createdAt,
      Optional<Instant> revokedAt,
      Optional<String> key) {
    static KeyView of(ApiKey key, Optional<String> plain) {
      return new KeyView(
          key.id().value(),
          key.name(),
          key.role().word(),
          key.prefix(),
          key.createdAt(),
          key.revokedAt(),
          plain);
    }
  }

  @Override
  public void register(Routes routes) {
    routes.post("/api/v1/api-keys", Access.ADMIN, this::create);
    routes.get("/api/v1/api-keys", Access.ADMIN, this::list);
    routes.get("/api/v1/api-keys/{id}", Access.ADMIN, this::get);
    routes.delete("/api/v1/api-keys/{id}", Access.ADMIN, this::revoke);
  }

  private void create(Context ctx) {
    Fields fields = new Fields(Requests.jsonObject(ctx));
    String name = fields.requiredString("name");
    ApiKeyRole role =
        fields
            .choice("role", ApiKeyRole::parse, "admin, member or metrics")
            .orElse(ApiKeyRole.MEMBER);
    fields.rejectUnknown().throwIfErrors("invalid API key");
    ApiKeys.Created created = keys.create(name, role);
    ctx.status(201).json(KeyView.of(created.key(), Optional.of(created.plain().reveal())));
  }

  private void list(Context ctx) {
    ctx.json(
        Paging.body(keys.list(Paging.request(ctx)).map(key -> KeyView.of(key, Optional.empty()))));
  }

  private void get(Context ctx) {
    ctx.json(KeyView.of(keys.get(id(ctx)), Optional.empty()));
  }

  private void revoke(Context ctx) {
    ctx.json(KeyView.of(keys.revoke(id(ctx)), Optional.empty()));
  }

  private static ApiKeyId id(Context ctx) {
    return Ids.parse(ctx.pathParam("id"), ApiKeyId.PREFIX, ApiKeyId::new, "API key");
  }
}
