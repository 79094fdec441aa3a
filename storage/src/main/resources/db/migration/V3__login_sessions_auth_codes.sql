-- Lanyard schema, version 3: browser login sessions, authorization codes and the login throttle.
-- Same rules as V1: runs unchanged on H2 2.x and PostgreSQL 13+, instants are UTC TIMESTAMP WITH TIME ZONE,
-- everything a tenant owns references tenants ON DELETE CASCADE.

-- A browser's login session. The cookie holds "{id}.{secret}"; only the SHA-256 of the secret is stored, so a
-- copy of the database signs nobody in. Ended sessions keep their row (ended_at) until housekeeping deletes
-- them after they expire.
CREATE TABLE login_sessions (
  tenant_id      VARCHAR NOT NULL,
  id             VARCHAR NOT NULL,
  user_id        VARCHAR NOT NULL,
  secret_hash    BYTEA NOT NULL,
  auth_time      TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at       TIMESTAMP WITH TIME ZONE,
  source_address VARCHAR,
  user_agent     VARCHAR,
  CONSTRAINT login_sessions_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT login_sessions_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT login_sessions_user_fk FOREIGN KEY (tenant_id, user_id)
    REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX login_sessions_user_idx ON login_sessions (tenant_id, user_id);
CREATE INDEX login_sessions_expires_idx ON login_sessions (expires_at);

-- Authorization codes (RFC 6749 §4.1), stored only as the SHA-256 of the code. Single use: used_at is set by
-- one UPDATE ... WHERE used_at IS NULL. scopes is a JSON array of strings. session_id is the login session the
-- code came from (no foreign key: ending or deleting a session must not lose the record of a code).
CREATE TABLE auth_codes (
  tenant_id             VARCHAR NOT NULL,
  code_hash             BYTEA NOT NULL,
  client_id             VARCHAR NOT NULL,
  redirect_uri          VARCHAR NOT NULL,
  user_id               VARCHAR NOT NULL,
  session_id            VARCHAR,
  scopes                VARCHAR NOT NULL,
  nonce                 VARCHAR,
  code_challenge        VARCHAR,
  code_challenge_method VARCHAR,
  auth_time             TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  used_at               TIMESTAMP WITH TIME ZONE,
  CONSTRAINT auth_codes_pk PRIMARY KEY (tenant_id, code_hash),
  CONSTRAINT auth_codes_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT auth_codes_client_fk FOREIGN KEY (tenant_id, client_id)
    REFERENCES oauth_clients (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT auth_codes_user_fk FOREIGN KEY (tenant_id, user_id)
    REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX auth_codes_expires_idx ON auth_codes (expires_at);

-- Failed logins, counted per account and per source address, shared by every replica. subject_kind is
-- 'account' (a user id, or the typed login when no user has it) or 'address' (the client's IP address).
CREATE TABLE login_failures (
  tenant_id       VARCHAR NOT NULL,
  subject_kind    VARCHAR NOT NULL,
  subject         VARCHAR NOT NULL,
  failures        INTEGER NOT NULL,
  first_failed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_failed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  locked_until    TIMESTAMP WITH TIME ZONE,
  CONSTRAINT login_failures_pk PRIMARY KEY (tenant_id, subject_kind, subject),
  CONSTRAINT login_failures_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);
CREATE INDEX login_failures_last_idx ON login_failures (last_failed_at);
