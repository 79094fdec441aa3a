-- Lanyard schema, version 4: OAuth refresh tokens (in rotation families), OAuth access tokens, and the robot a
-- confidential client acts as in the client_credentials grant. Same rules as V1/V2: runs unchanged on H2 2.x
-- and PostgreSQL 13+, instants are UTC TIMESTAMP WITH TIME ZONE, tenant-owned rows cascade with their tenant.
-- Scopes are stored as one space-separated, sorted string (RFC 6749 §3.3 syntax).

-- Tenant settings: refresh token lifetimes; null = the configured default (ISO-8601 durations, as in V2).
ALTER TABLE tenants ADD COLUMN access_token_lifetime VARCHAR;
ALTER TABLE tenants ADD COLUMN refresh_idle_lifetime VARCHAR;
ALTER TABLE tenants ADD COLUMN refresh_absolute_lifetime VARCHAR;

-- One row per grant that may be refreshed: what the user granted, to which client, until when at the latest.
-- Every use of the family's current token locks this row first (SELECT ... FOR UPDATE), so the uses of one
-- family run one after the other on every database; revoking the family is one update of revoked_at here,
-- which ends every token of the family, including a successor committed a moment later.
-- Deleting the user or the client deletes its families (and with them their tokens).
CREATE TABLE refresh_families (
  tenant_id      VARCHAR NOT NULL,
  id             VARCHAR NOT NULL,
  client_id      VARCHAR NOT NULL,
  user_id        VARCHAR NOT NULL,
  scopes         VARCHAR NOT NULL,
  -- the browser login session the grant came from; null for the password grant
  session_id     VARCHAR,
  auth_time      TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  -- absolute lifetime: no token of the family is valid at or after it, however often it is refreshed
  expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at     TIMESTAMP WITH TIME ZONE,
  -- why: revoked (RFC 7009), replay (a rotated token came back), logout, admin
  revoke_reason  VARCHAR,
  CONSTRAINT refresh_families_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT refresh_families_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT refresh_families_client_fk FOREIGN KEY (tenant_id, client_id)
    REFERENCES oauth_clients (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT refresh_families_user_fk FOREIGN KEY (tenant_id, user_id)
    REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_families_user_idx ON refresh_families (tenant_id, user_id);
CREATE INDEX refresh_families_session_idx ON refresh_families (tenant_id, session_id);
CREATE INDEX refresh_families_expires_idx ON refresh_families (expires_at);

-- The tokens of a family, stored only as the SHA-256 of the token string (unique across tenants). A token is
-- usable while it is the family's newest (rotated_at null), before its idle expiry and while the family lives.
CREATE TABLE refresh_tokens (
  tenant_id  VARCHAR NOT NULL,
  id         VARCHAR NOT NULL,
  token_hash BYTEA NOT NULL,
  family_id  VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  -- idle expiry: created_at + the idle lifetime, never after the family's expires_at
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  -- when it was exchanged for its successor; presenting it again afterwards is a replay
  rotated_at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT refresh_tokens_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT refresh_tokens_hash_uq UNIQUE (token_hash),
  CONSTRAINT refresh_tokens_family_fk FOREIGN KEY (tenant_id, family_id)
    REFERENCES refresh_families (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (tenant_id, family_id);

-- OAuth access tokens (the token endpoint's access_token, for userinfo, introspection and revocation). A table
-- of their own, not a kind in tokens: they are minted on every token request and live minutes, so they stay out
-- of the TokenReview webhook's table and cache, and the webhook can never accept one as a Kubernetes token.
-- The principal is a user or a robot (exactly one of user_id, robot_id), each with a cascading foreign key.
CREATE TABLE access_tokens (
  tenant_id  VARCHAR NOT NULL,
  id         VARCHAR NOT NULL,
  token_hash BYTEA NOT NULL,
  client_id  VARCHAR NOT NULL,
  user_id    VARCHAR,
  robot_id   VARCHAR,
  scopes     VARCHAR NOT NULL,
  -- the refresh family this token was issued with, so that ending the family ends its access tokens
  family_id  VARCHAR,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT access_tokens_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT access_tokens_hash_uq UNIQUE (token_hash),
  CONSTRAINT access_tokens_principal_ck CHECK ((user_id IS NULL AND robot_id IS NOT NULL)
    OR (user_id IS NOT NULL AND robot_id IS NULL)),
  CONSTRAINT access_tokens_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT access_tokens_client_fk FOREIGN KEY (tenant_id, client_id)
    REFERENCES oauth_clients (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT access_tokens_user_fk FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT access_tokens_robot_fk FOREIGN KEY (tenant_id, robot_id)
    REFERENCES robots (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT access_tokens_family_fk FOREIGN KEY (tenant_id, family_id)
    REFERENCES refresh_families (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX access_tokens_family_idx ON access_tokens (tenant_id, family_id);
CREATE INDEX access_tokens_user_idx ON access_tokens (tenant_id, user_id);
CREATE INDEX access_tokens_robot_idx ON access_tokens (tenant_id, robot_id);
CREATE INDEX access_tokens_expires_idx ON access_tokens (expires_at);

-- The robot a confidential client acts as in the client_credentials grant (RFC 6749 §4.4): the principal its
-- access tokens and ID tokens name. At most one per client; a robot may serve several clients.
CREATE TABLE client_robots (
  tenant_id VARCHAR NOT NULL,
  client_id VARCHAR NOT NULL,
  robot_id  VARCHAR NOT NULL,
  CONSTRAINT client_robots_pk PRIMARY KEY (tenant_id, client_id),
  CONSTRAINT client_robots_client_fk FOREIGN KEY (tenant_id, client_id)
    REFERENCES oauth_clients (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT client_robots_robot_fk FOREIGN KEY (tenant_id, robot_id)
    REFERENCES robots (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_robots_robot_idx ON client_robots (tenant_id, robot_id);
