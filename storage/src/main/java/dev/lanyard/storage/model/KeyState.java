package dev.lanyard.storage.model;

/**
 * Life of a signing key. The kube-apiserver refetches JWKS for an unknown kid only after the cached JWKS
 * expires, so a key is PUBLISHED (in JWKS, not signing) for longer than the JWKS max-age before it
 * becomes ACTIVE (signing), and a RETIRED key stays in JWKS until every token it signed has expired.
 */
public enum KeyState {
  /** In JWKS; not yet used to sign. */
  PUBLISHED,
  /** In JWKS and signing new tokens. */
  ACTIVE,
  /** In JWKS until its last token expires; signs nothing. */
  RETIRED
}
