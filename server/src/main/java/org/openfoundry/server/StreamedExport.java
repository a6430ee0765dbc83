package org.openfoundry.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An export streamed to the client as it is read, whose failure the client can always tell from its
 * end: while nothing has gone out the failure is answered as any other, with its status; once the
 * status and part of the body are out, the transfer is broken off, so that the client sees a failed
 * download rather than a short export that ends like a whole one.
 */
public final class StreamedExport {
  private static final Logger log = LoggerFactory.getLogger(StreamedExport.class);

  /** What writes the export's body. */
  @FunctionalInterface
  public interface Body {
    void write(Writer out) throws IOException;
  }

  private StreamedExport() {}

  /** Writes the body as UTF-8 after the status and headers the caller has set. */
  public static void send(Context ctx, String what, Body body) {
    Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
    try {
      body.write(out);
      out.close();
    } catch (IOException gone) {
      log.debug("the client of {} went away", what);
    } catch (RuntimeException failed) {
      if (!ctx.res().isCommitted()) {
        ctx.res().reset();
        throw failed;
      }
      log.error("{} failed part of the way; breaking it off", what, failed);
      ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(failed);
    }
  }
}
