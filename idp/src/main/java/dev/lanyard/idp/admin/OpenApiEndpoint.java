package dev.lanyard.idp.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /admin/api/v1/openapi.json}: the OpenAPI 3.1 description of this API, a static resource. */
final class OpenApiEndpoint {
  private final Buffer document;

  OpenApiEndpoint() {
    try (InputStream in = OpenApiEndpoint.class.getResourceAsStream("openapi.json")) {
      if (in == null) throw new IllegalStateException("openapi.json missing from the classpath");
      document = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void mount(Router router) {
    router.get(AdminApi.BASE + "/openapi.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache").end(document));
  }
}
