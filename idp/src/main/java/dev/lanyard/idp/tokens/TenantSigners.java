package dev.lanyard.idp.tokens;

import dev.lanyard.idp.keys.SigningKeyFactory;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's current signing key, decrypted once and kept in memory. A tenant signs with the not-retired
 * key whose {@code activeFrom} passed most recently, so a published key takes over on time on every replica
 * even before its state says ACTIVE; {@link #invalidate} drops the cached signer after a key change.
 */
public final class TenantSigners {
  private final Storage storage;
  private final SigningKeyFactory keys;
  private final Clock clock;
  private final Map<String, Signer> signers = new ConcurrentHashMap<>();

  public TenantSigners(Storage storage, SigningKeyFactory keys, Clock clock) {
    this.storage = storage;
    this.keys = keys;
    this.clock = clock;
  }

  /** Signs {@code claims} as a JWT with the tenant's current key; fails when the tenant has no usable key. */
  public Future<String> sign(String tenantId, JsonObject claims) {
    Signer signer = signers.get(tenantId);
    if (signer != null && !signer.expired(clock.instant())) return Future.succeededFuture(signer.sign(claims));
    // Only the first request after a key change waits for the database; the signer is then shared.
    return load(tenantId).map(loaded -> {
      signers.put(tenantId, loaded);
      return loaded.sign(claims);
    });
  }

  /** Forgets the tenant's signer, so the next token uses whatever key is current in storage. */
  public void invalidate(String tenantId) {
    signers.remove(tenantId);
  }

  private Future<Signer> load(String tenantId) {
    // All on the storage worker, not the event loop: decrypting the key and, on the very first signer, loading
    // the RSA provider's native library (a few hundred milliseconds) both block.
    return storage.transaction(s -> {
          List<SigningKey> list = s.signingKeys().list(tenantId);
          Instant now = clock.instant();
          Optional<SigningKey> current = list.stream()
              .filter(k -> k.state() != KeyState.RETIRED && !k.activeFrom().isAfter(now))
              .max(Comparator.comparing(SigningKey::activeFrom));
          SigningKey key = current.orElseThrow(
              () -> new IllegalStateException("tenant " + tenantId + " has no active signing key"));
          // A published key whose activeFrom is still ahead takes over at that moment.
          Instant staleAt = list.stream()
              .filter(k -> k.state() != KeyState.RETIRED && k.activeFrom().isAfter(now))
              .map(SigningKey::activeFrom).min(Comparator.naturalOrder()).orElse(Instant.MAX);
          if (!SigningKeyFactory.RS256.equals(key.algorithm())) {
            throw new IllegalStateException("tenant " + tenantId + " key " + key.kid() + " is " + key.algorithm()
                + ", only RS256 is supported");
          }
          return new Signer(new JwsSigner(keys.privateKey(key), key.kid(), RsaProvider.get()), staleAt);
        });
  }

  private record Signer(JwsSigner jws, Instant staleAt) {
    String sign(JsonObject claims) {
      return jws.sign(claims);
    }

    boolean expired(Instant now) {
      return !now.isBefore(staleAt);
    }
  }
}
