package dev.lanyard.idp.oauth;

import dev.lanyard.idp.tokens.AccessTokens;
import dev.lanyard.idp.tokens.IdTokenIssuer;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.idp.tokens.TokenLifetimes;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.RefreshFamily;
import dev.lanyard.storage.model.RefreshToken;
import dev.lanyard.storage.model.TenantSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link UserTokens} of this build. Every user grant answers with a sealed access token (the tenant's access
 * token lifetime; nothing stored, see {@link AccessTokens}; bound to the login session it came from, if any), an
 * ID token when {@code openid} was granted (with the user's current groups and the access token's
 * {@code at_hash}), and a refresh token that starts a new rotation family when {@code offline_access} was granted
 * and the client may use the refresh_token grant.
 *
 * <p>The storage part ({@link #mint}: the refresh family, the groups) runs inside a transaction, so a grant that
 * has its own (the refresh grant's rotation) mints in that same one; signing ({@link #respond}) happens after the
 * commit.
 */
public final class UserTokenMinter implements UserTokens {
  static final String REFRESH_TOKEN_GRANT = "refresh_token";

  private final Storage storage;
  private final AccessTokens accessTokens;
  private final IdTokenIssuer idTokens;
  private final TokenLifetimes lifetimes;
  private final Clock clock;

  public UserTokenMinter(Storage storage, AccessTokens accessTokens, IdTokenIssuer idTokens, TokenLifetimes lifetimes,
      Clock clock) {
    this.storage = storage;
    this.accessTokens = accessTokens;
    this.idTokens = idTokens;
    this.lifetimes = lifetimes;
    this.clock = clock;
  }

  /**
   * A refresh token the caller already stored (the successor of a rotation), to answer with instead of
   * starting a new family.
   */
  public record Continued(String familyId, String refreshToken) {}

  /** What a token response needs once the transaction has committed. The secrets are shown once, in it. */
  public record Minted(UserAuthorization authorization, TenantSettings settings, List<String> groups,
      String accessToken, long expiresIn, String refreshToken) {}

  @Override
  public Future<JsonObject> issue(UserAuthorization a) {
    return storage.transaction(s -> mint(s, a, null)).compose(this::respond);
  }

  /**
   * Mints the access token and stores a new refresh family (see the class comment) in the caller's transaction.
   *
   * @param continued the refresh token to answer with (refresh grant), or null
   */
  public Minted mint(StoreSession s, UserAuthorization a, Continued continued) {
    TenantSettings settings = s.tenants().find(a.tenantId())
        .orElseThrow(() -> OAuthError.notFound("unknown tenant").exception()).settings();
    return mint(s, a, continued, settings);
  }

  /** As {@link #mint(StoreSession, UserAuthorization, Continued)} with the tenant's settings already read. */
  public Minted mint(StoreSession s, UserAuthorization a, Continued continued, TenantSettings settings) {
    Instant now = clock.instant();
    Set<String> scopes = new LinkedHashSet<>(a.scopes());
    boolean mayRefresh = a.client().allowsGrant(REFRESH_TOKEN_GRANT);
    // offline_access means "a refresh token": a client that may not refresh was not granted it.
    if (!mayRefresh) scopes.remove(Scopes.OFFLINE_ACCESS);
    String familyId = null;
    String refreshToken = null;
    if (continued != null) {
      familyId = continued.familyId();
      refreshToken = continued.refreshToken();
    } else if (scopes.contains(Scopes.OFFLINE_ACCESS)) {
      refreshToken = OpaqueTokenFormat.REFRESH.generate();
      RefreshFamily family = new RefreshFamily(a.tenantId(), TimeOrderedIds.next(), a.client().id(),
          a.user().id(), scopes, a.sessionId(), Instant.ofEpochSecond(a.authTime()), now,
          now.plus(lifetimes.refreshAbsolute(settings)), null, null);
      familyId = family.id();
      s.refreshTokens().createFamily(family, successor(family, refreshToken, now, settings));
    }
    long expiresIn = lifetimes.accessToken(settings).toSeconds();
    // A login's token ends with its session; a refreshed one lives with its family instead, which may outlast the
    // session (offline_access).
    String sessionId = continued == null ? a.sessionId() : null;
    String accessToken = accessTokens.mint(a.tenantId(), a.client(), PrincipalType.USER, a.user().id(), scopes,
        familyId, sessionId, now, lifetimes.accessToken(settings)).value();
    List<String> groups = scopes.contains(Scopes.OPENID) && scopes.contains(Scopes.GROUPS)
        ? s.groups().groupNamesOfUser(a.tenantId(), a.user().id()) : List.of();
    UserAuthorization granted = new UserAuthorization(a.tenantId(), a.client(), a.user(), scopes, a.authTime(),
        a.nonce(), a.sessionId());
    return new Minted(granted, settings, groups, accessToken, expiresIn, refreshToken);
  }

  /** The next (or first) token of {@code family}: idle expiry from now, never past the family's absolute expiry. */
  RefreshToken successor(RefreshFamily family, String secret, Instant now, TenantSettings settings) {
    Instant idle = now.plus(lifetimes.refreshIdle(settings));
    return new RefreshToken(family.tenantId(), TimeOrderedIds.next(), OpaqueTokenFormat.hash(secret),
        family.id(), now, idle.isAfter(family.expiresAt()) ? family.expiresAt() : idle, null);
  }

  /** The RFC 6749 §5.1 / OIDC Core §3.1.3.3 body, with the ID token signed now. */
  public Future<JsonObject> respond(Minted m) {
    UserAuthorization a = m.authorization();
    JsonObject body = new JsonObject()
        .put("access_token", m.accessToken())
        .put("token_type", "Bearer")
        .put("expires_in", m.expiresIn())
        .put("scope", String.join(" ", a.scopes()));
    if (m.refreshToken() != null) body.put("refresh_token", m.refreshToken());
    if (!a.scopes().contains(Scopes.OPENID)) return Future.succeededFuture(body);
    return idTokens.issueForUser(a.tenantId(), m.settings(), a.user(), m.groups(), a.client().id(), a.scopes(),
            a.authTime(), a.nonce(), m.accessToken())
        .map(idToken -> body.put("id_token", idToken));
  }
}
