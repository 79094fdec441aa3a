package dev.lanyard.idp.oauth;

import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.idp.tokens.AccessToken;
import dev.lanyard.idp.tokens.AccessTokens;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET|POST /t/{tenant}/userinfo} (OIDC Core §5.3): claims about the principal of an access token from the
 * token endpoint, sent as an RFC 6750 bearer token in the {@code Authorization} header (§2.1) or, on POST, as the
 * form parameter {@code access_token} (§2.2), never both.
 *
 * <p>The token must carry {@code openid}; the claims follow its scopes as in the ID token ({@code email},
 * {@code profile}, {@code groups}), {@code sub} is the ID token's, and groups are read now. For a robot (client
 * credentials) {@code preferred_username} and {@code groups} are always given, as in its ID token. Failures are
 * RFC 6750 §3: 401 with {@code WWW-Authenticate: Bearer} and {@code error="invalid_token"} for a bad, expired or
 * revoked token or a disabled principal, 400 {@code invalid_request} for a malformed request, 403
 * {@code insufficient_scope} without {@code openid}.
 */
public final class UserinfoHandler {
  private static final int BODY_LIMIT = 16_384;
  private static final String REALM = "lanyard";

  private final Storage storage;
  private final AccessTokens accessTokens;
  private final Clock clock;

  public UserinfoHandler(Storage storage, AccessTokens accessTokens, Clock clock) {
    this.storage = storage;
    this.accessTokens = accessTokens;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/t/:tenant/userinfo").handler(this::handle);
    router.post("/t/:tenant/userinfo").handler(RequestBodies.limitedTo(BODY_LIMIT)).handler(this::handle);
  }

  /** An RFC 6750 §3.1 error: status, code (null for "no credentials at all") and a description. */
  private record BearerError(int status, String code, String description) {
    BearerFailure failure() {
      return new BearerFailure(this);
    }
  }

  private static final class BearerFailure extends RuntimeException {
    final BearerError error;

    BearerFailure(BearerError error) {
      super(error.code(), null, false, false);
      this.error = error;
    }
  }

  private void handle(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    Future.succeededFuture(ctx.request())
        .map(UserinfoHandler::bearerToken)
        .compose(token -> claims(tenantId, token))
        .onSuccess(claims -> ctx.response()
            .putHeader("Content-Type", "application/json;charset=UTF-8")
            .putHeader("Cache-Control", "no-store")
            .putHeader("Pragma", "no-cache")
            .end(claims.encode()))
        .onFailure(err -> respond(ctx, err));
  }

  /** The access token of the request; fails with a BearerFailure. */
  private static String bearerToken(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    String fromHeader = null;
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new BearerError(401, null, "bearer token required").failure();
      }
      fromHeader = header.substring(7).trim();
      if (fromHeader.isEmpty()) throw new BearerError(400, "invalid_request", "empty bearer token").failure();
    }
    String fromBody = null;
    if (request.method() == HttpMethod.POST && RequestBodies.isForm(request)) {
      MultiMap form = request.formAttributes();
      List<String> values = form.getAll("access_token");
      if (values.size() > 1) throw new BearerError(400, "invalid_request", "access_token is repeated").failure();
      if (values.size() == 1 && !values.get(0).isEmpty()) fromBody = values.get(0);
    }
    if (fromHeader != null && fromBody != null) {
      throw new BearerError(400, "invalid_request", "send the access token one way, not two").failure();
    }
    String token = fromHeader != null ? fromHeader : fromBody;
    if (token == null) throw new BearerError(401, null, "bearer token required").failure();
    return token;
  }

  private Future<JsonObject> claims(String tenantId, String token) {
    AccessToken t = accessTokens.open(tenantId, token).orElse(null);
    if (t == null) return Future.failedFuture(invalidToken("unknown access token"));
    return storage.transaction(s -> {
      if (!AccessTokens.isLive(s, t, clock.instant())) throw invalidToken("access token unknown, expired or revoked");
      if (!t.scopes().contains(Scopes.OPENID)) {
        throw new BearerError(403, "insufficient_scope", "the access token lacks the openid scope").failure();
      }
      return t.principalType() == PrincipalType.USER ? userClaims(s, t) : robotClaims(s, t);
    });
  }

  private static JsonObject userClaims(StoreSession s, AccessToken t) {
    User user = s.users().find(t.tenantId(), t.principalId()).filter(User::enabled)
        .orElseThrow(() -> invalidToken("account disabled"));
    JsonObject claims = new JsonObject().put("sub", user.id());
    if (t.scopes().contains(Scopes.EMAIL) && user.email() != null) {
      claims.put("email", user.email()).put("email_verified", user.emailVerified());
    }
    if (t.scopes().contains(Scopes.PROFILE)) {
      claims.put("preferred_username", user.username());
      if (user.displayName() != null) claims.put("name", user.displayName());
    }
    if (t.scopes().contains(Scopes.GROUPS)) {
      claims.put("groups", new JsonArray(s.groups().groupNamesOfUser(t.tenantId(), user.id())));
    }
    return claims;
  }

  private static JsonObject robotClaims(StoreSession s, AccessToken t) {
    Robot robot = s.robots().find(t.tenantId(), t.principalId()).filter(Robot::enabled)
        .orElseThrow(() -> invalidToken("robot disabled"));
    String prefix = s.tenants().find(t.tenantId()).map(Tenant::settings).orElseThrow().robotPrefix();
    return new JsonObject().put("sub", robot.id()).put("preferred_username", prefix + robot.name())
        .put("groups", new JsonArray(s.robots().groupNames(t.tenantId(), robot.id())));
  }

  private static BearerFailure invalidToken(String why) {
    return new BearerError(401, "invalid_token", why).failure();
  }

  private static void respond(RoutingContext ctx, Throwable failure) {
    if (!(failure instanceof BearerFailure bf)) {
      // Not a token problem (database down, a bug): the OAuth responder logs it and answers 5xx.
      OAuthErrorResponder.respond(ctx, failure);
      return;
    }
    BearerError e = bf.error;
    StringBuilder challenge = new StringBuilder("Bearer realm=\"" + REALM + "\"");
    JsonObject body = new JsonObject();
    if (e.code() != null) {
      // Descriptions are fixed strings of ours: no quote or backslash to escape (RFC 6750 §3).
      challenge.append(", error=\"").append(e.code()).append("\", error_description=\"").append(e.description())
          .append('"');
      if (e.status() == 403) challenge.append(", scope=\"openid\"");
      body.put("error", e.code()).put("error_description", e.description());
    }
    if (ctx.response().ended()) return;
    ctx.response().setStatusCode(e.status())
        .putHeader("WWW-Authenticate", challenge.toString())
        .putHeader("Content-Type", "application/json;charset=UTF-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache")
        .end(body.encode());
  }
}
