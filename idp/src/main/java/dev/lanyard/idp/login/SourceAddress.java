package dev.lanyard.idp.login;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/** The client's IP address as the connection shows it (forwarded-for headers are not trusted). */
public final class SourceAddress {
  private SourceAddress() {}

  public static String of(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
  }
}
