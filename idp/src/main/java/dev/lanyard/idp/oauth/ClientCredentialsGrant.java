package dev.lanyard.idp.oauth;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.tokens.AccessTokens;
import dev.lanyard.idp.tokens.IdTokenIssuer;
import dev.lanyard.idp.tokens.TokenLifetimes;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.TenantSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Client credentials grant (RFC 6749 §4.4), kubelogin's {@code --grant-type=client-credentials}: a confidential
 * client gets tokens for the robot it is linked to (admin API {@code robot} field of a client, or {@code robot:}
 * in an import file). A client acts as exactly one robot, so its access tokens, ID tokens, introspection answers
 * and audit events name a principal with groups, like a user's, that an operator can disable at once.
 *
 * <p>The answer holds an access token and, when {@code openid} is asked, an RS256 ID token for the robot
 * ({@code sub} = robot id, {@code preferred_username} = the tenant's robot prefix + name, {@code groups}), which
 * the kube-apiserver's OIDC path accepts like a user's. Never a refresh token (§4.4.3): the client can always
 * ask again. A public client, an unlinked client and a disabled robot are refused.
 */
public final class ClientCredentialsGrant implements Grant {
  private final Storage storage;
  private final AccessTokens accessTokens;
  private final IdTokenIssuer idTokens;
  private final TokenLifetimes lifetimes;
  private final AuditLog audit;
  private final Clock clock;

  public ClientCredentialsGrant(Storage storage, AccessTokens accessTokens, IdTokenIssuer idTokens,
      TokenLifetimes lifetimes, AuditLog audit, Clock clock) {
    this.storage = storage;
    this.accessTokens = accessTokens;
    this.idTokens = idTokens;
    this.lifetimes = lifetimes;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return "client_credentials";
  }

  private record Minted(TenantSettings settings, Robot robot, List<String> groups, Set<String> scopes,
      String accessToken, long expiresIn) {}

  @Override
  public Future<JsonObject> exchange(String tenantId, OAuthClient client, TokenRequest request, String source) {
    // §4.4: only confidential clients; a public client's "authentication" by client_id alone proves nothing.
    if (client.isPublic()) {
      return Future.failedFuture(OAuthError.invalidClient("client_credentials needs a confidential client").exception());
    }
    Set<String> scopes = new LinkedHashSet<>(Scopes.granted(request.param("scope")));
    scopes.remove(Scopes.OFFLINE_ACCESS);
    return storage.transaction(s -> mint(s, tenantId, client, scopes, source)).compose(m -> {
      JsonObject body = new JsonObject()
          .put("access_token", m.accessToken())
          .put("token_type", "Bearer")
          .put("expires_in", m.expiresIn())
          .put("scope", String.join(" ", m.scopes()));
      if (!m.scopes().contains(Scopes.OPENID)) return Future.succeededFuture(body);
      return idTokens.issueForRobot(tenantId, m.settings(), m.robot(), m.groups(), client.id(), m.accessToken())
          .map(idToken -> body.put("id_token", idToken));
    });
  }

  private Minted mint(StoreSession s, String tenantId, OAuthClient client, Set<String> scopes, String source) {
    TenantSettings settings = s.tenants().find(tenantId)
        .orElseThrow(() -> OAuthError.notFound("unknown tenant").exception()).settings();
    String robotId = s.clients().robotOf(tenantId, client.id()).orElseThrow(() ->
        OAuthError.unauthorizedClient("client is not linked to a robot").exception());
    Robot robot = s.robots().find(tenantId, robotId).filter(Robot::enabled).orElseThrow(() ->
        OAuthError.unauthorizedClient("the client's robot is disabled").exception());
    Instant now = clock.instant();
    long expiresIn = lifetimes.accessToken(settings).toSeconds();
    AccessTokens.Minted minted = accessTokens.mint(tenantId, client, PrincipalType.ROBOT, robot.id(), scopes, null,
        null, now, lifetimes.accessToken(settings));
    List<String> groups = scopes.contains(Scopes.OPENID) ? s.robots().groupNames(tenantId, robot.id()) : List.of();
    audit.record(s, new AuditLog.Entry(tenantId, "client:" + client.id(), "token.client_credentials",
        "robot:" + robot.id(), AuditLog.SUCCESS, source, new JsonObject().put("accessToken", minted.token().id())
            .put("scope", new JsonArray(List.copyOf(scopes)))));
    return new Minted(settings, robot, groups, scopes, minted.value(), expiresIn);
  }
}
