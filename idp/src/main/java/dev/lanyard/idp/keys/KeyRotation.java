package dev.lanyard.idp.keys;

import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rules of a signing key's life (PUBLISHED, then ACTIVE, then RETIRED), in one place.
 *
 * <p>The kube-apiserver refetches JWKS for an unknown kid only once the cached JWKS's max-age has run out, so
 * a new key is published for {@link #publishLead()} (the JWKS max-age, plus how long another replica may
 * serve an older JWKS, plus a margin) before it signs anything. A retired key stays published until every
 * token it signed has expired ({@link #retentionAfterRetirement()}). Scheduled rotation calls these methods;
 * so does "rotate now".
 */
public final class KeyRotation {
  /** Slack for clock skew between replicas and the API server's own early refetch. */
  static final Duration MARGIN = Duration.ofSeconds(60);

  private final SigningKeyFactory keys;
  private final int rsaBits;
  private final Duration jwksMaxAge;
  private final Duration documentRefresh;
  private final Duration longestTokenLifetime;
  private final Clock clock;

  /**
   * @param documentRefresh how long a replica may serve JWKS from memory before rereading storage
   * @param longestTokenLifetime the longest lifetime of anything signed with these keys
   */
  public KeyRotation(SigningKeyFactory keys, int rsaBits, Duration jwksMaxAge, Duration documentRefresh,
      Duration longestTokenLifetime, Clock clock) {
    this.keys = keys;
    this.rsaBits = rsaBits;
    this.jwksMaxAge = jwksMaxAge;
    this.documentRefresh = documentRefresh;
    this.longestTokenLifetime = longestTokenLifetime;
    this.clock = clock;
  }

  /** How long a new key is published before it may sign. */
  public Duration publishLead() {
    return jwksMaxAge.plus(documentRefresh).plus(MARGIN);
  }

  /** How long a retired key stays in JWKS. */
  public Duration retentionAfterRetirement() {
    return longestTokenLifetime.plus(MARGIN);
  }

  /**
   * Generates the tenant's next key, PUBLISHED now and signing from {@code now + publishLead()}. Slow (RSA key
   * generation): call it off the event loop; store the result with {@link #publish}.
   */
  public SigningKey nextKey(String tenantId) {
    Instant now = clock.instant();
    return keys.generate(tenantId, rsaBits, now, now.plus(publishLead()));
  }

  /** Inside a transaction: stores a key made by {@link #nextKey}. */
  public void publish(StoreSession session, SigningKey key) {
    if (key.state() != KeyState.PUBLISHED) throw new IllegalArgumentException("a new key starts PUBLISHED");
    session.signingKeys().create(key);
  }

  /**
   * Inside a transaction: brings the tenant's key states up to date. A published key whose time has come
   * becomes ACTIVE and every older active key is RETIRED (it stays in JWKS for
   * {@link #retentionAfterRetirement()}); retired keys past that are deleted.
   *
   * @return the keys whose state changed or that were deleted (callers invalidate caches when non-empty)
   */
  public List<SigningKey> advance(StoreSession session, String tenantId) {
    Instant now = clock.instant();
    List<SigningKey> all = session.signingKeys().list(tenantId);
    List<SigningKey> changed = new ArrayList<>();
    SigningKey newest = all.stream()
        .filter(k -> k.state() != KeyState.RETIRED && !k.activeFrom().isAfter(now))
        .max(Comparator.comparing(SigningKey::activeFrom)).orElse(null);
    for (SigningKey k : all) {
      if (k.state() == KeyState.RETIRED) {
        if (k.unpublishAfter() != null && !now.isBefore(k.unpublishAfter())) {
          session.signingKeys().delete(tenantId, k.kid());
          changed.add(k);
        }
      } else if (k.equals(newest)) {
        if (k.state() == KeyState.PUBLISHED) {
          SigningKey active = k.withState(KeyState.ACTIVE, null, null);
          session.signingKeys().update(active);
          changed.add(active);
        }
      } else if (!k.activeFrom().isAfter(now)) {
        // An older key that has been signing (or could have): retire it, keep it verifiable.
        SigningKey retired = k.withState(KeyState.RETIRED, now, now.plus(retentionAfterRetirement()));
        session.signingKeys().update(retired);
        changed.add(retired);
      }
    }
    return changed;
  }
}
