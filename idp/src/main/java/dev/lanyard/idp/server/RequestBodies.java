package dev.lanyard.idp.server;

import io.vertx.ext.web.handler.BodyHandler;

/**
 * The body handler every form and JSON endpoint uses: no file uploads, a size limit (413 above it), and a body
 * buffer sized from {@code Content-Length} instead of vertx-web's default 1 KiB. Token requests and reviews
 * are a few hundred bytes and arrive tens of thousands of times a second; an exactly sized buffer halves the
 * garbage each one leaves, and queued password logins hold less memory while argon2 works through them.
 */
public final class RequestBodies {
  private RequestBodies() {}

  /** Reads the whole body (at most {@code limit} bytes) before the next handler runs. */
  public static BodyHandler limitedTo(long limit) {
    return BodyHandler.create(false).setBodyLimit(limit).setPreallocateBodyBuffer(true);
  }
}
