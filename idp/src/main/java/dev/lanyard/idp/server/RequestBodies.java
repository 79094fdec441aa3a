package dev.lanyard.idp.server;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How endpoints read request bodies: no file uploads, a size limit (413 above it), and a body buffer sized
 * from {@code Content-Length} instead of vertx-web's default 1 KiB. Token requests and reviews are a few
 * hundred bytes and arrive tens of thousands of times a second; an exactly sized buffer halves the garbage
 * each one leaves, and queued password logins hold less memory while argon2 works through them.
 */
public final class RequestBodies {
  private static final int PREALLOCATE_LIMIT = 64 * 1024;
  private static final String FORM_TYPE = "application/x-www-form-urlencoded";
  /** Marks a routing context whose form body has been read, so a second visit of the handler passes on. */
  private static final String FORM_READ = RequestBodies.class.getName() + ".formRead";

  private RequestBodies() {}

  /**
   * The router's way: reads the whole body (at most {@code limit} bytes, else 413) before the next handler
   * runs. An {@code application/x-www-form-urlencoded} body is decoded here into the request's
   * {@link HttpServerRequest#formAttributes() form attributes} (not merged into {@code params()}); a malformed
   * one fails the request with 400 and {@link MalformedForm}. Other bodies go to vertx-web's
   * {@link BodyHandler}. Forms do not, because BodyHandler hands them to Netty's multipart decoder, which
   * ends every form by constructing an exception with its stack trace: a measurable share of each password
   * login's event-loop time (bench/RESULTS.md).
   */
  public static Handler<RoutingContext> limitedTo(int limit) {
    BodyHandler otherBodies = BodyHandler.create(false).setBodyLimit(limit).setPreallocateBodyBuffer(true);
    return ctx -> {
      HttpServerRequest request = ctx.request();
      if (ctx.get(FORM_READ) != null) {
        ctx.next();
        return;
      }
      if (!isForm(request) || request.isEnded()) {
        otherBodies.handle(ctx);
        return;
      }
      ctx.put(FORM_READ, true);
      read(request, limit).onComplete(body -> {
        if (body.failed()) {
          ctx.fail(body.cause() instanceof TooLarge ? 413 : 400, body.cause());
          return;
        }
        try {
          request.formAttributes().addAll(decodeForm(body.result()));
        } catch (MalformedForm e) {
          ctx.fail(400, e);
          return;
        }
        ctx.next();
      });
      request.resume(); // the router pauses a request until a handler asks for its body
    };
  }

  /** Whether the request declares an {@code application/x-www-form-urlencoded} body (any parameters). */
  public static boolean isForm(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null && type.regionMatches(true, 0, FORM_TYPE, 0, FORM_TYPE.length());
  }

  /**
   * Decodes a form body as browsers and OAuth clients write it (WHATWG URL-encoded: {@code &}-separated,
   * {@code +} for space, UTF-8 percent escapes); a name may repeat.
   *
   * @throws MalformedForm for a broken percent escape
   */
  static MultiMap decodeForm(Buffer body) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    if (body.length() == 0) return form;
    QueryStringDecoder decoder = QueryStringDecoder.builder()
        .hasPath(false)
        .semicolonIsNormalChar(true) // only '&' separates fields in a form body
        .maxParams(Integer.MAX_VALUE) // the body limit bounds the count; never drop fields silently
        .charset(StandardCharsets.UTF_8)
        .build(body.toString(StandardCharsets.UTF_8));
    try {
      for (Map.Entry<String, List<String>> field : decoder.parameters().entrySet()) {
        form.add(field.getKey(), field.getValue());
      }
    } catch (IllegalArgumentException e) { // "unterminated escape sequence", "invalid hex byte"
      throw new MalformedForm();
    }
    return form;
  }

  /**
   * A {@link DirectEndpoint}'s way, with the same rules as {@link #limitedTo}: the whole body, or a failed
   * future with {@link TooLarge} as soon as it is known to exceed {@code limit} bytes (from
   * {@code Content-Length}, or while it arrives); what arrives after that is dropped. Call it before the
   * request handler returns, or pause the request until then (and resume it after), or the body's first bytes
   * are lost. Sends {@code 100 Continue} when asked for: check the caller before reading.
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

  /** The form body has a broken percent escape: answer 400. */
  public static final class MalformedForm extends RuntimeException {
    MalformedForm() {
      super("the body is not valid application/x-www-form-urlencoded", null, false, false);
    }
  }

  /** The body is larger than the endpoint takes: answer 413. */
  public static final class TooLarge extends RuntimeException {
    TooLarge(int limit) {
      super("the request body is larger than " + limit + " bytes", null, false, false);
    }
  }
}
