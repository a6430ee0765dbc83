package org.openfoundry.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.server.ApiErrors;
import org.openfoundry.server.Routes;

/**
 * The UI's stylesheet, scripts and icon, and htmx from its web jar: everything a page loads comes
 * from this server, so the UI works with no network beyond it.
 */
final class Assets {
  private static final String FOLDER = "org/openfoundry/server/web/assets/";
  private static final String HTMX = "htmx.min.js";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.min)?\\.(js|css|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  private final String htmxPath =
      "META-INF/resources/webjars/htmx.org/" + webjarVersion() + "/dist/" + HTMX;

  void register(Routes routes) {
    routes.page(HandlerType.GET, "/assets/{file}", this::serve);
  }

  private void serve(Context ctx) {
    String file = ctx.pathParam("file");
    InputStream content = null;
    if (NAME.matcher(file).matches()) {
      String path = file.equals(HTMX) ? htmxPath : FOLDER + file;
      content = Assets.class.getClassLoader().getResourceAsStream(path);
    }
    if (content == null) {
      ApiErrors.write(ctx, new FoundryException(ErrorCode.NOT_FOUND, "no asset " + file));
      return;
    }
    ctx.contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)))
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "max-age=300")
        .result(content);
  }

  private static String webjarVersion() {
    try (InputStream in =
        Assets.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the htmx web jar is missing from the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }
}
