package dev.lanyard.discovery;

/**
 * A tenant's rendered documents and when they expire, or {@link #UNKNOWN} for a tenant that does not
 * exist. Immutable.
 */
final class TenantDocuments {
  static final TenantDocuments UNKNOWN = new TenantDocuments(null, null, 0);

  final CachedDocument discovery;
  final CachedDocument jwks;
  /** Clock millis from which storage must be read again. */
  final long expiresAtMillis;

  TenantDocuments(CachedDocument discovery, CachedDocument jwks, long expiresAtMillis) {
    this.discovery = discovery;
    this.jwks = jwks;
    this.expiresAtMillis = expiresAtMillis;
  }

  boolean found() {
    return this != UNKNOWN;
  }

  TenantDocuments until(long newExpiresAtMillis) {
    return new TenantDocuments(discovery, jwks, newExpiresAtMillis);
  }
}
