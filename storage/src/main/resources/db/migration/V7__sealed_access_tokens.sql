-- Lanyard schema, version 7: OAuth access tokens are no longer stored. Each access token now carries its own
-- claims (client, principal, scopes, refresh family, issue and expiry times), encrypted and authenticated under
-- a key derived from the master key, so the token endpoint writes nothing for one. Storing one row per token
-- (four B-trees, a commit) cost more than the rest of a login and slowed the TokenReview webhook beside it
-- (bench/RESULTS.md). What a stored row gave is now checked when a token is used: the client, the principal and
-- the refresh family still exist and are not disabled or revoked.
--
-- Only revocation needs a row: a token revoked before it expires (RFC 7009, or spent by the admin console's
-- sign-in) is recorded until its expiry, then forgotten by the janitor. Access tokens issued before this
-- migration stop working (they live minutes; clients refresh or sign in again).
DROP TABLE access_tokens;

CREATE TABLE revoked_access_tokens (
  tenant_id  VARCHAR NOT NULL,
  -- the token's jti
  token_id   VARCHAR NOT NULL,
  -- the token's own expiry: the row is useless afterwards
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT revoked_access_tokens_pk PRIMARY KEY (tenant_id, token_id),
  CONSTRAINT revoked_access_tokens_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);
CREATE INDEX revoked_access_tokens_expires_idx ON revoked_access_tokens (expires_at);
