package dev.lanyard.discovery;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code GET}/{@code HEAD /t/{tenant}/.well-known/openid-configuration} (OpenID Connect Discovery 1.0 §4)
 * and {@code /t/{tenant}/jwks} (RFC 7517 §5), served from a {@link TenantDocumentCache}.
 *
 * <p>Answers carry {@code Content-Type: application/json}, a strong {@code ETag} and
 * {@code Cache-Control: public, max-age=N}; a matching {@code If-None-Match} gives 304 without a body.
 * Unknown or malformed tenant ids get 404 {@code {"error":"not_found",...}}; a storage fault 503 with
 * {@code Retry-After}. Only the JWKS {@code max-age} matters to the kube-apiserver: it refetches JWKS for
 * an unknown {@code kid} only once that has run out, which bounds how early new keys must be published.
 */
public final class DiscoveryRoutes {
  /** Route of the discovery document; the path parameter is {@code tenant}. */
  public static final String DISCOVERY_PATH = "/t/:tenant/.well-known/openid-configuration";
  /** Route of the JWKS; the path parameter is {@code tenant}. */
  public static final String JWKS_PATH = "/t/:tenant/jwks";

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private static final CharSequence ANY_ORIGIN = HttpHeaders.createOptimized("*");
  private static final CharSequence RETRY_AFTER_SECONDS = HttpHeaders.createOptimized("5");
  private static final Buffer NOT_FOUND_BODY =
      Buffer.buffer("{\"error\":\"not_found\",\"error_description\":\"unknown tenant\"}");
  private static final Buffer UNAVAILABLE_BODY = Buffer.buffer(
      "{\"error\":\"temporarily_unavailable\",\"error_description\":\"tenant documents cannot be read now, retry later\"}");

  private final TenantDocumentCache cache;
  private final CharSequence discoveryCacheControl;
  private final CharSequence jwksCacheControl;

  /**
   * @param cache the documents
   * @param discoveryMaxAge {@code max-age} of discovery answers (whole seconds, not negative)
   * @param jwksMaxAge {@code max-age} of JWKS answers (whole seconds, not negative); a new key must be
   *     published longer than this plus the cache's refresh interval before it signs
   */
  public DiscoveryRoutes(TenantDocumentCache cache, Duration discoveryMaxAge, Duration jwksMaxAge) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.discoveryCacheControl = cacheControl(discoveryMaxAge);
    this.jwksCacheControl = cacheControl(jwksMaxAge);
  }

  /** Registers GET and HEAD of {@link #DISCOVERY_PATH} and {@link #JWKS_PATH} on {@code router}. */
  public void mount(Router router) {
    router.route(DISCOVERY_PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::discovery);
    router.route(JWKS_PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::jwks);
  }

  private void discovery(RoutingContext rc) {
    serve(rc, false);
  }

  private void jwks(RoutingContext rc) {
    serve(rc, true);
  }

  private void serve(RoutingContext rc, boolean jwks) {
    String tenantId = rc.pathParam("tenant");
    TenantDocuments docs = cache.peek(tenantId);
    if (docs != null) {
      write(rc, docs, jwks);
      return;
    }
    // Miss: the load may complete on another event loop's thread; answer on this request's own.
    Thread thread = Thread.currentThread();
    Context context = Vertx.currentContext();
    cache.get(tenantId).onComplete(ar -> {
      if (Thread.currentThread() == thread || context == null) {
        answer(rc, ar, jwks);
      } else {
        context.runOnContext(v -> answer(rc, ar, jwks));
      }
    });
  }

  private void answer(RoutingContext rc, AsyncResult<TenantDocuments> ar, boolean jwks) {
    HttpServerResponse res = rc.response();
    if (res.ended() || res.closed()) {
      return;
    }
    if (ar.failed()) {
      // The cache logged the cause; the client learns only that it may retry.
      res.setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, JSON).putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
          .putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).end(UNAVAILABLE_BODY);
    } else if (!ar.result().found()) {
      res.setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, JSON).putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
          .end(NOT_FOUND_BODY);
    } else {
      write(rc, ar.result(), jwks);
    }
  }

  private void write(RoutingContext rc, TenantDocuments docs, boolean jwks) {
    CachedDocument doc = jwks ? docs.jwks : docs.discovery;
    HttpServerResponse res = rc.response()
        .putHeader(HttpHeaders.ETAG, doc.etagHeader)
        .putHeader(HttpHeaders.CACHE_CONTROL, jwks ? jwksCacheControl : discoveryCacheControl)
        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN);
    String ifNoneMatch = rc.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && notModified(rc, doc.etag)) {
      res.setStatusCode(304).end();
      return;
    }
    res.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(doc.body);
  }

  private static boolean notModified(RoutingContext rc, String etag) {
    // The header may be sent more than once; together the lines form one list.
    List<String> values = rc.request().headers().getAll(HttpHeaders.IF_NONE_MATCH);
    for (String value : values) {
      if (EntityTags.matches(value, etag)) {
        return true;
      }
    }
    return false;
  }

  private static CharSequence cacheControl(Duration maxAge) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("max-age must not be negative: " + maxAge);
    }
    return HttpHeaders.createOptimized("public, max-age=" + maxAge.toSeconds());
  }
}
