package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A token signing key pair of a tenant.
 *
 * @param kid stable key id (RFC 7638 thumbprint), the JWT header's {@code kid}
 * @param algorithm JWS algorithm, e.g. {@code RS256}
 * @param publicKey X.509 SubjectPublicKeyInfo, DER
 * @param encryptedPrivateKey PKCS#8 private key encrypted with the master key (opaque to storage)
 * @param activeFrom earliest moment the key may sign: once JWKS caches that predate it have expired
 * @param retireAfter when scheduled rotation should retire it; null when not scheduled
 * @param retiredAt when it stopped signing; null while published or active
 * @param unpublishAfter when it may leave JWKS (retiredAt + longest token lifetime); null until retired
 */
public record SigningKey(
    String tenantId,
    String kid,
    String algorithm,
    byte[] publicKey,
    byte[] encryptedPrivateKey,
    KeyState state,
    Instant createdAt,
    Instant activeFrom,
    Instant retireAfter,
    Instant retiredAt,
    Instant unpublishAfter) {
  public SigningKey {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(encryptedPrivateKey, "encryptedPrivateKey");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(activeFrom, "activeFrom");
  }

  /** Whether JWKS carries this key at {@code now}. */
  public boolean isPublishedAt(Instant now) {
    return state != KeyState.RETIRED || unpublishAfter == null || now.isBefore(unpublishAfter);
  }

  public SigningKey withState(KeyState newState, Instant newRetiredAt, Instant newUnpublishAfter) {
    return new SigningKey(tenantId, kid, algorithm, publicKey, encryptedPrivateKey, newState, createdAt,
        activeFrom, retireAfter, newRetiredAt, newUnpublishAfter);
  }

  // Records compare arrays by reference; keys are equal when their bytes are.
  @Override
  public boolean equals(Object o) {
    return o instanceof SigningKey k
        && tenantId.equals(k.tenantId) && kid.equals(k.kid) && algorithm.equals(k.algorithm)
        && Arrays.equals(publicKey, k.publicKey) && Arrays.equals(encryptedPrivateKey, k.encryptedPrivateKey)
        && state == k.state && createdAt.equals(k.createdAt) && activeFrom.equals(k.activeFrom)
        && Objects.equals(retireAfter, k.retireAfter) && Objects.equals(retiredAt, k.retiredAt)
        && Objects.equals(unpublishAfter, k.unpublishAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, kid);
  }

  @Override
  public String toString() {
    return "SigningKey[" + tenantId + "/" + kid + " " + algorithm + " " + state + "]";
  }
}
