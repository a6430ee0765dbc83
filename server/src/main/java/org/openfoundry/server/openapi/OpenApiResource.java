package org.openfoundry.server.openapi;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.server.Access;
import org.openfoundry.server.Resource;
import org.openfoundry.server.Routes;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/openapi.json} (needs a key, like the API it describes), and the public page
 * {@code /api/docs} that asks for a key, fetches the document with it and renders it.
 */
public final class OpenApiResource implements Resource {
  private static final String DOCUMENT = "/org/openfoundry/server/openapi/openapi.yaml";
  private static final String PAGE = "/org/openfoundry/server/openapi/docs.html";
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.(js|css|png)");

  private final String document;
  private final String page;
  private final String assetFolder;

  public OpenApiResource(JsonMapper mapper) {
    this.document = mapper.writeValueAsString(document(mapper));
    this.page = text(PAGE);
    this.assetFolder = WEBJAR + webjarVersion() + "/";
  }

  /** The OpenAPI document as JSON, read from the YAML the project maintains. */
  public static JsonNode document(JsonMapper mapper) {
    Object yaml = new Load(LoadSettings.builder().build()).loadFromString(text(DOCUMENT));
    return mapper.valueToTree(yaml);
  }

  @Override
  public void register(Routes routes) {
    routes.get(
        "/api/v1/openapi.json",
        Access.MEMBER,
        ctx -> ctx.contentType("application/json").result(document));
    routes.get("/api/docs", Access.PUBLIC, ctx -> ctx.html(page));
    routes.get("/api/docs/assets/{file}", Access.PUBLIC, this::asset);
  }

  private void asset(Context ctx) {
    String file = ctx.pathParam("file");
    InputStream content =
        ASSET.matcher(file).matches()
            ? OpenApiResource.class.getClassLoader().getResourceAsStream(assetFolder + file)
            : null;
    if (content == null) {
      throw new FoundryException(ErrorCode.NOT_FOUND, "no documentation asset " + file);
    }
    String type =
        Map.of("js", "text/javascript", "css", "text/css", "png", "image/png")
            .get(file.substring(file.lastIndexOf('.') + 1));
    ctx.contentType(type).header("Cache-Control", "max-age=86400").result(content);
  }

  private static String webjarVersion() {
    try (InputStream in =
        OpenApiResource.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the swagger-ui web jar is missing from the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }

  private static String text(String resource) {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }
}
