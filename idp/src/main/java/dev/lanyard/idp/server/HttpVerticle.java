package dev.lanyard.idp.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.IntConsumer;

/**
 * One HTTP(S) listener on one event loop. Lanyard deploys one instance per event loop, all on the same port,
 * so requests spread over every core; the endpoints they mount share their caches and storage.
 */
final class HttpVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final String host;
  private final int port;
  private final Routes routes;
  private final IntConsumer boundPort;

  HttpVerticle(HttpServerOptions options, String host, int port, Routes routes, IntConsumer boundPort) {
    this.options = options;
    this.host = host;
    this.port = port;
    this.routes = routes;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    routes.accept(router);
    return vertx.createHttpServer(options)
        .requestHandler(routes.requestHandler(router))
        .listen(port, host)
        .onSuccess(server -> boundPort.accept(server.actualPort()));
  }
}
