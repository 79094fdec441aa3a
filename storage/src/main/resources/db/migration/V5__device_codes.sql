-- Lanyard schema, version 5: RFC 8628 device authorizations. Same rules as V1: runs unchanged on H2 2.x and
-- PostgreSQL, instants are UTC TIMESTAMP WITH TIME ZONE, everything references its tenant ON DELETE CASCADE.
--
-- device_code_hash is the SHA-256 of the device code (256 random bits), which is never stored. user_code is
-- the normalised user code (8 upper-case consonants, no dash). It stays unique per tenant while the row exists:
-- neither database has portable partial unique indexes, so creating an authorization first deletes an expired
-- row holding the same user code (see JdbcDeviceAuthorizationRepository.create).
-- status: PENDING, then APPROVED or DENIED on the verification page, then CONSUMED once tokens were issued.
-- user_id, auth_time and session_id are set on approval. Deleting the client or the user deletes the row.
CREATE TABLE device_authorizations (
  tenant_id         VARCHAR NOT NULL,
  id                VARCHAR NOT NULL,
  device_code_hash  BYTEA NOT NULL,
  user_code         VARCHAR NOT NULL,
  client_id         VARCHAR NOT NULL,
  -- JSON array of the requested (known) scopes, in request order
  scopes            VARCHAR NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  -- seconds the client must wait between polls; raised by 5 with every slow_down (RFC 8628 §3.5)
  poll_interval     INTEGER NOT NULL,
  last_polled_at    TIMESTAMP WITH TIME ZONE,
  status            VARCHAR NOT NULL,
  user_id           VARCHAR,
  auth_time         TIMESTAMP WITH TIME ZONE,
  session_id        VARCHAR,
  decided_at        TIMESTAMP WITH TIME ZONE,
  CONSTRAINT device_authorizations_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT device_authorizations_code_uq UNIQUE (device_code_hash),
  CONSTRAINT device_authorizations_user_code_uq UNIQUE (tenant_id, user_code),
  CONSTRAINT device_authorizations_status_ck CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'CONSUMED')),
  CONSTRAINT device_authorizations_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT device_authorizations_client_fk FOREIGN KEY (tenant_id, client_id)
    REFERENCES oauth_clients (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT device_authorizations_user_fk FOREIGN KEY (tenant_id, user_id)
    REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
-- for deleteExpiredBefore, which runs periodically over every tenant
CREATE INDEX device_authorizations_expires_idx ON device_authorizations (expires_at);
