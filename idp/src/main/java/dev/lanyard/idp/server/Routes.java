package dev.lanyard.idp.server;

import dev.lanyard.idp.pages.PageRenderer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.function.Consumer;

/** The whole URL space (DESIGN "URLs"): cross-cutting handlers first, then each endpoint mounts its own routes. */
final class Routes implements Consumer<Router> {
  private final boolean https;
  private final List<DirectEndpoint> direct;
  private final List<Consumer<Router>> endpoints;
  private final PageRenderer pages;

  Routes(boolean https, List<DirectEndpoint> direct, List<Consumer<Router>> endpoints, PageRenderer pages) {
    this.https = https;
    this.direct = List.copyOf(direct);
    this.endpoints = List.copyOf(endpoints);
    this.pages = pages;
  }

  /** The listener's request handler: a direct endpoint when one takes the request, else the router. */
  Handler<HttpServerRequest> requestHandler(Router router) {
    return request -> {
      for (DirectEndpoint endpoint : direct) {
        if (endpoint.accepts(request)) {
          SecurityHeaders.apply(request, https);
          endpoint.handle(request);
          return;
        }
      }
      router.handle(request);
    };
  }

  @Override
  public void accept(Router router) {
    router.route().handler(new SecurityHeaders(https));
    // Before any route with a path parameter: matching one decodes the query, and a malformed one threw there.
    router.route().handler(new QueryStringCheck(pages));
    router.get("/healthz").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "ok")));
    // Lanyard only listens once storage, keys and TLS are ready, so being reachable means ready.
    // Browsers ask for it on every page; there is none, and a 404 would clutter their consoles.
    router.get("/favicon.ico").handler(ctx -> ctx.response().setStatusCode(204)
        .putHeader("Cache-Control", "max-age=86400").end());
    router.get("/readyz").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "ready")));
    endpoints.forEach(e -> e.accept(router));
    // Vert.x matches "/admin" for "/admin/" too: redirect only the bare path, or the console would loop.
    router.get("/admin").handler(ctx -> {
      if (ctx.request().path().equals("/admin")) ctx.redirect("/admin/");
      else ctx.next();
    });
    // The console's files carry no version in their names: browsers revalidate them (ETag / Last-Modified, a 304
    // when unchanged) so an upgraded Lanyard never runs yesterday's scripts against today's API.
    router.get("/admin/*").handler(StaticHandler.create("META-INF/resources/admin")
        .setCachingEnabled(true).setMaxAgeSeconds(0).setDefaultContentEncoding("UTF-8"));
    router.route().last().handler(JsonErrors::notFound);
    router.route().failureHandler(JsonErrors::failure);
  }
}
