package dev.lanyard.idp.tokens;

import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.LoginSession;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.RefreshFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of the token endpoint's access tokens, for every place that mints, reads or revokes one. A token is
 * sealed ({@link AccessTokenSeal}), never stored, so what a stored row used to settle is checked on use instead:
 * see {@link #isLive}. Deleting what a token depends on (its client, family or session) cannot reach the token
 * itself, so the token names each by an identity that is never reused. Revoking one records its id until it expires.
 */
public final class AccessTokens {
  private final AccessTokenSeal seal;

  public AccessTokens(AccessTokenSeal seal) {
    this.seal = seal;
  }

  /** A minted token: its claims, and the string shown once to the client. */
  public record Minted(AccessToken token, String value) {}

  /**
   * A new token for {@code client} valid for {@code lifetime} from {@code now}. Writes nothing.
   *
   * @param familyId the refresh family it comes with, or null
   * @param sessionId the login session it is issued in, or null
   */
  public Minted mint(String tenantId, OAuthClient client, PrincipalType principalType, String principalId,
      Set<String> scopes, String familyId, String sessionId, Instant now, Duration lifetime) {
    AccessToken token = new AccessToken(tenantId, TimeOrderedIds.next(), client.id(), client.uid(), principalType,
        principalId, scopes, familyId, sessionId, now, now.plusSeconds(lifetime.toSeconds()));
    return new Minted(token, seal.seal(token));
  }

  /** The claims of {@code value} if this tenant issued it; nothing about expiry or revocation. No database read. */
  public Optional<AccessToken> open(String tenantId, String value) {
    return seal.open(tenantId, value);
  }

  /**
   * Whether an opened token may be used at {@code now}: unexpired, not revoked, the very client it was issued to
   * still there (not another one created since under its id: the uids differ), its refresh family (if any) neither
   * revoked nor deleted, and the login session it was issued in (if any) not ended. A session that merely ran out
   * leaves its tokens to their own expiry; one whose row is gone (ended or expired a day ago, or its user deleted)
   * counts as ended. The principal's own checks (there, enabled) are the caller's, which reads the principal anyway.
   * Two to four primary-key reads.
   */
  public static boolean isLive(StoreSession s, AccessToken t, Instant now) {
    if (!t.isUnexpiredAt(now)) return false;
    if (s.revokedAccessTokens().contains(t.tenantId(), t.id())) return false;
    Optional<OAuthClient> client = s.clients().find(t.tenantId(), t.clientId());
    if (client.isEmpty() || !client.get().uid().equals(t.clientUid())) return false;
    if (t.familyId() != null) {
      Optional<RefreshFamily> family = s.refreshTokens().findFamily(t.tenantId(), t.familyId());
      if (family.isEmpty() || family.get().revokedAt() != null) return false;
    }
    if (t.sessionId() != null) {
      Optional<LoginSession> session = s.loginSessions().find(t.tenantId(), t.sessionId());
      if (session.isEmpty() || session.get().endedAt() != null) return false;
    }
    return true;
  }

  /**
   * Records the token as revoked until it expires; returns false when it already was (or has expired: nothing to
   * record). A concurrent revocation of the same token may make this fail with
   * {@link dev.lanyard.storage.AlreadyExistsException}.
   */
  public static boolean revoke(StoreSession s, AccessToken t, Instant now) {
    if (!t.isUnexpiredAt(now)) return false;
    return s.revokedAccessTokens().add(t.tenantId(), t.id(), t.expiresAt(), now);
  }
}
