package dev.lanyard.idp.tenants;

import dev.lanyard.idp.keys.SigningKeyFactory;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import java.time.Clock;
import java.time.Instant;

/**
 * Creates tenants together with their first RS256 signing key.
 *
 * <p>The first key may sign at once: nobody can hold a cached JWKS of a tenant that did not exist. Every later
 * key must first be published for longer than the JWKS max-age (see {@code KeyState}).
 */
public final class TenantProvisioner {
  private final SigningKeyFactory keys;
  private final int rsaBits;
  private final Clock clock;

  public TenantProvisioner(SigningKeyFactory keys, int rsaBits, Clock clock) {
    this.keys = keys;
    this.rsaBits = rsaBits;
    this.clock = clock;
  }

  /** Generates a first key for a tenant. Slow (RSA key generation): call it off the event loop, before the transaction. */
  public SigningKey firstKey(String tenantId) {
    Instant now = clock.instant();
    return keys.generate(tenantId, rsaBits, now, now);
  }

  /** Inside a transaction: creates the tenant and stores its first key. Fails with AlreadyExistsException. */
  public Tenant create(StoreSession session, String id, String displayName, SigningKey firstKey) {
    if (!TenantIds.isValid(id)) {
      throw new IllegalArgumentException("tenant id '" + id + "': lower-case letters, digits and '-', at most 63");
    }
    Tenant tenant = new Tenant(id, displayName, clock.instant());
    session.tenants().create(tenant);
    session.signingKeys().create(firstKey);
    return tenant;
  }
}
