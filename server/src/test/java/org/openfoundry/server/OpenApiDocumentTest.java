package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.server.openapi.OpenApiResource;
import tools.jackson.databind.JsonNode;

/** The served routes and the OpenAPI document describe each other exactly. */
class OpenApiDocumentTest {
  private static AppFixture server;

  @BeforeAll
  static void start() {
    server = new AppFixture();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  private static List<ApiRoute> routes() {
    return server.app.routes();
  }

  private static HttpFixture http() {
    return server.http;
  }

  private static String adminKey() {
    return server.adminKey;
  }

  static JsonNode document() {
    return OpenApiResource.document(Json.newMapper());
  }

  private static List<ApiRoute> documented() {
    JsonNode document = document();
    boolean securedByDefault = !document.get("security").isEmpty();
    List<ApiRoute> routes = new ArrayList<>();
    document
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        operation -> {
                          if (!METHODS.contains(operation.getKey())) {
                            return;
                          }
                          JsonNode security = operation.getValue().get("security");
                          boolean secured =
                              security == null ? securedByDefault : !security.isEmpty();
                          routes.add(
                              new ApiRoute(
                                  operation.getKey(),
                                  path.getKey(),
                                  secured ? Access.MEMBER : Access.PUBLIC));
                        }));
    return routes;
  }

  private static Set<String> names(List<ApiRoute> routes) {
    Set<String> names = new TreeSet<>();
    routes.forEach(route -> names.add(route.toString()));
    return names;
  }

  @Test
  void every_served_route_is_documented_and_every_documented_route_is_served() {
    assertThat(names(routes())).isEqualTo(names(documented()));
  }

  @Test
  void exactly_the_public_routes_are_documented_without_security() {
    Set<String> publicServed = new TreeSet<>();
    routes().stream()
        .filter(route -> route.access() == Access.PUBLIC)
        .forEach(route -> publicServed.add(route.toString()));
    Set<String> publicDocumented = new TreeSet<>();
    documented().stream()
        .filter(route -> route.access() == Access.PUBLIC)
        .forEach(route -> publicDocumented.add(route.toString()));

    assertThat(publicServed).isEqualTo(publicDocumented);
  }

  @Test
  void every_documented_route_that_needs_a_key_refuses_a_request_without_one() {
    for (ApiRoute route : documented()) {
      if (route.access() == Access.PUBLIC) {
        continue;
      }
      String path = route.path().replaceAll("\\{[^}]+}", "x_01PROBE");
      HttpResponse<String> response =
          http()
              .send(
                  http()
                      .request(path, null)
                      .method(
                          route.method().toUpperCase(Locale.ROOT),
                          HttpRequest.BodyPublishers.ofString("{}")));

      assertThat(response.statusCode()).as(route.toString()).isEqualTo(401);
      assertThat(HttpFixture.json(response).get("error").get("code").asString())
          .as(route.toString())
          .isEqualTo("UNAUTHORIZED");
    }
  }

  @Test
  void the_error_schema_lists_every_error_code() {
    JsonNode codes =
        document().at("/components/schemas/Error/properties/error/properties/code/enum");

    assertThat(codes)
        .extracting(JsonNode::asString)
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(org.openfoundry.problems.ErrorCode.values())
                .map(Enum::name)
                .toArray(String[]::new));
  }

  @Test
  void the_document_is_served_as_json_to_a_key_holder() {
    HttpResponse<String> response = http().get("/api/v1/openapi.json", adminKey());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(HttpFixture.json(response).get("openapi").asString()).isEqualTo("3.1.0");
  }
}
