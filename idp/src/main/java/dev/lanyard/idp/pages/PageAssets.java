package dev.lanyard.idp.pages;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /assets/lanyard.css}: the pages' one stylesheet, served by Lanyard itself (no outside assets, so the
 * pages work in an air-gapped network and under {@code default-src 'self'}). Read from the classpath on first use.
 */
public final class PageAssets {
  public static final String STYLESHEET = "/assets/lanyard.css";

  private final Vertx vertx;
  private volatile Future<Buffer> stylesheet;

  public PageAssets(Vertx vertx) {
    this.vertx = vertx;
  }

  public void mount(Router router) {
    router.get(STYLESHEET).handler(this::css);
  }

  private void css(RoutingContext ctx) {
    Future<Buffer> css = stylesheet;
    if (css == null) {
      css = vertx.executeBlocking(() -> Buffer.buffer(read("lanyard/pages/assets/lanyard.css")), false);
      stylesheet = css;
    }
    css.onSuccess(body -> ctx.response()
            .putHeader("Content-Type", "text/css;charset=UTF-8")
            .putHeader("Cache-Control", "public, max-age=86400")
            .end(body))
        .onFailure(ctx::fail);
  }

  private static byte[] read(String resource) {
    try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
