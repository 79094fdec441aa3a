package dev.lanyard.idp.admin;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin API request as an endpoint sees it: the authenticated administrator, the tenant in the path
 * (checked against the administrator's roles), the JSON body and paging. {@link #handler} is the single exit
 * of every endpoint: a value becomes JSON, any failure a problem.
 */
final class AdminRequest {
  private static final Logger log = LoggerFactory.getLogger(AdminRequest.class);
  static final String PRINCIPAL_KEY = "lanyard.admin.principal";
  static final String PROBLEM_JSON = "application/problem+json";

  final RoutingContext ctx;

  private AdminRequest(RoutingContext ctx) {
    this.ctx = ctx;
  }

  /**
   * A route handler: runs {@code work}, answers {@code status} with the JSON it returns ({@code null}: 204),
   * or a problem for any failure, thrown or in the future.
   */
  static Handler<RoutingContext> handler(int status, Function<AdminRequest, Future<?>> work) {
    return ctx -> {
      Future<?> result;
      try {
        result = work.apply(new AdminRequest(ctx));
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onSuccess(value -> {
        if (ctx.response().ended()) return;
        if (value == null) {
          ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
        } else {
          ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
              .putHeader("Cache-Control", "no-store").end(Buffer.buffer(String.valueOf(value)));
        }
      }).onFailure(err -> problem(ctx, err));
    };
  }

  /** Writes {@code failure} as problem JSON; unexpected failures are logged, never shown. */
  static void problem(RoutingContext ctx, Throwable failure) {
    Problem p = Problem.from(failure);
    if (p.status >= 500 && !(failure instanceof Problem)) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    }
    if (ctx.response().ended()) return;
    var res = ctx.response().setStatusCode(p.status).putHeader("Content-Type", PROBLEM_JSON)
        .putHeader("Cache-Control", "no-store");
    if (p.status == 401) res.putHeader("WWW-Authenticate", "Bearer realm=\"lanyard-admin\"");
    if (p.status == 503) res.putHeader("Retry-After", "1");
    if (p.retryAfterSeconds > 0) res.putHeader("Retry-After", Long.toString(p.retryAfterSeconds));
    res.end(p.toJson().toBuffer());
  }

  AdminPrincipal principal() {
    AdminPrincipal p = ctx.get(PRINCIPAL_KEY);
    if (p == null) throw Problem.unauthorized("an admin bearer token is required");
    return p;
  }

  String actor() {
    return principal().actor();
  }

  /** The client address, for audit events. */
  String source() {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
  }

  /** The {@code :tenant} path parameter, once the administrator may manage it (else a 403 problem). */
  String tenant() {
    String tenant = path("tenant");
    if (!principal().canManage(tenant)) throw Problem.forbidden();
    return tenant;
  }

  /**
   * Inside a transaction: fails with a 403 problem when the user {@code userId} of {@code tenant} holds an admin
   * role the caller's own roles do not cover, so a tenant admin cannot reset the password of, disable or
   * revoke the admin token of a global admin (or of an admin of another tenant) whose account lives in their tenant.
   */
  void requireCovers(dev.lanyard.storage.StoreSession s, String tenant, String userId) {
    AdminPrincipal p = principal();
    if (p.isGlobal()) return;
    for (var role : s.adminRoles().rolesOf(tenant, userId)) {
      if (role.isGlobal() || !p.canManage(role.scope())) throw Problem.forbidden();
    }
  }

  /** Fails with a 403 problem unless the administrator is global. */
  void requireGlobal() {
    if (!principal().isGlobal()) throw Problem.forbidden();
  }

  /** A path parameter; a 400 problem naming it when it holds a control character (e.g. {@code %00}). */
  String path(String name) {
    return plain(name, ctx.pathParam(name));
  }

  /** A query parameter or null; a 400 problem naming it when it holds a control character. */
  String query(String name) {
    return plain(name, ctx.queryParams().get(name));
  }

  private static String plain(String name, String value) {
    if (value != null && Fields.hasControlCharacter(value)) throw Problem.invalid(name, Fields.CONTROL_MESSAGE);
    return value;
  }

  Page page() {
    return Page.parse(query("offset"), query("limit"));
  }

  /** The body as a JSON object; a 400 problem for anything else. */
  JsonObject body() {
    Buffer b = ctx.body() == null ? null : ctx.body().buffer();
    if (b == null || b.length() == 0) throw Problem.of(400, "a JSON object body is required");
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(b);
      if (parsed instanceof JsonObject o) return o;
    } catch (DecodeException e) {
      throw Problem.of(400, "the body is not valid JSON");
    }
    throw Problem.of(400, "the body must be a JSON object");
  }

  Fields fields() {
    return new Fields(body());
  }

  /** A value, or a 404 problem: for what the request's path names. */
  static <T> T found(java.util.Optional<T> value, String what) {
    return value.orElseThrow(() -> Problem.notFound("no " + what));
  }

  /** A value, or a 400 problem naming {@code field}: for what the request's body names. */
  static <T> T referenced(String field, java.util.Optional<T> value, String what) {
    return value.orElseThrow(() -> Problem.invalid(field, "no " + what));
  }
}
