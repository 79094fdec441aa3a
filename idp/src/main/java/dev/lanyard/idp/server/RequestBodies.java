package dev.lanyard.idp.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * How endpoints read request bodies: no file uploads, a size limit (413 above it), and a body buffer sized
 * from {@code Content-Length} instead of vertx-web's default 1 KiB. Token requests and reviews are a few
 * hundred bytes and arrive tens of thousands of times a second; an exactly sized buffer halves the garbage
 * each one leaves, and queued password logins hold less memory while argon2 works through them.
 */
public final class RequestBodies {
  private static final int PREALLOCATE_LIMIT = 64 * 1024;

  private RequestBodies() {}

  /** The router's way: reads the whole body (at most {@code limit} bytes) before the next handler runs. */
  public static BodyHandler limitedTo(long limit) {
    return BodyHandler.create(false).setBodyLimit(limit).setPreallocateBodyBuffer(true);
  }

  /**
   * A {@link DirectEndpoint}'s way, with the same rules as {@link #limitedTo}: the whole body, or a failed
   * future with {@link TooLarge} as soon as it is known to exceed {@code limit} bytes (from
   * {@code Content-Length}, or while it arrives); what arrives after that is dropped. Call it before the
   * request handler returns, or the body's first bytes are lost.
   */
  public static Future<Buffer> read(HttpServerRequest request, int limit) {
    long declared = declaredLength(request);
    if (declared > limit) {
      request.handler(ignored -> {});
      return Future.failedFuture(new TooLarge(limit));
    }
    Promise<Buffer> body = Promise.promise();
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) request.response().writeContinue();
    // Sized from Content-Length, but a header alone never reserves more than PREALLOCATE_LIMIT: the buffer
    // grows as bytes actually arrive.
    Buffer buffer = Buffer.buffer(declared >= 0 ? (int) Math.min(declared, PREALLOCATE_LIMIT) : 256);
    request.handler(chunk -> {
      if (body.future().isComplete()) return;
      if (buffer.length() + chunk.length() > limit) {
        body.fail(new TooLarge(limit));
      } else {
        buffer.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> body.tryComplete(buffer));
    request.exceptionHandler(body::tryFail);
    return body.future();
  }

  /** {@code Content-Length} as a number, or -1 when absent or not a number (a chunked or HTTP/2 body). */
  private static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) return -1;
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The body is larger than the endpoint takes: answer 413. */
  public static final class TooLarge extends RuntimeException {
    TooLarge(int limit) {
      super("the request body is larger than " + limit + " bytes", null, false, false);
    }
  }
}
