-- Lanyard schema, version 2: tenant settings, robots, opaque tokens, clusters, the audit trail and admin roles.
-- Same rules as V1: runs unchanged on H2 2.x and PostgreSQL 13+, instants are UTC TIMESTAMP WITH TIME ZONE,
-- everything a tenant owns references tenants ON DELETE CASCADE, except the audit trail (see audit_events).

-- Tenant settings. Lifetimes are ISO-8601 durations (java.time.Duration#toString), null = configured default.
ALTER TABLE tenants ADD COLUMN username_from VARCHAR DEFAULT 'username' NOT NULL;
ALTER TABLE tenants ADD COLUMN robot_prefix VARCHAR DEFAULT 'robot:' NOT NULL;
ALTER TABLE tenants ADD COLUMN id_token_lifetime VARCHAR;
ALTER TABLE tenants ADD COLUMN token_default_ttl VARCHAR;
ALTER TABLE tenants ADD COLUMN token_max_ttl VARCHAR;

CREATE TABLE robots (
  tenant_id   VARCHAR NOT NULL,
  id          VARCHAR NOT NULL,
  name        VARCHAR NOT NULL,
  description VARCHAR,
  enabled     BOOLEAN NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT robots_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT robots_name_uq UNIQUE (tenant_id, name),
  CONSTRAINT robots_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE robot_group_members (
  tenant_id VARCHAR NOT NULL,
  group_id  VARCHAR NOT NULL,
  robot_id  VARCHAR NOT NULL,
  CONSTRAINT robot_group_members_pk PRIMARY KEY (tenant_id, group_id, robot_id),
  CONSTRAINT robot_group_members_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT robot_group_members_group_fk FOREIGN KEY (tenant_id, group_id)
    REFERENCES user_groups (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT robot_group_members_robot_fk FOREIGN KEY (tenant_id, robot_id)
    REFERENCES robots (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX robot_group_members_robot_idx ON robot_group_members (tenant_id, robot_id);

-- Opaque tokens, stored only as the SHA-256 of the token string. token_hash is unique across tenants: the
-- TokenReview webhook finds a token by it with one unique-index lookup. The principal is a user or a robot,
-- so there is no foreign key to it: deleting a user or robot deletes its tokens in the same transaction
-- (the repositories do it). clusters is a JSON array of cluster ids, [] = every cluster of the tenant.
CREATE TABLE tokens (
  tenant_id      VARCHAR NOT NULL,
  id             VARCHAR NOT NULL,
  token_hash     BYTEA NOT NULL,
  kind           VARCHAR NOT NULL,
  principal_type VARCHAR NOT NULL,
  principal_id   VARCHAR NOT NULL,
  description    VARCHAR,
  clusters       VARCHAR NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at     TIMESTAMP WITH TIME ZONE,
  last_used_at   TIMESTAMP WITH TIME ZONE,
  created_by     VARCHAR,
  CONSTRAINT tokens_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT tokens_hash_uq UNIQUE (token_hash),
  CONSTRAINT tokens_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);
CREATE INDEX tokens_principal_idx ON tokens (tenant_id, principal_type, principal_id);
CREATE INDEX tokens_created_idx ON tokens (tenant_id, created_at);
-- for deleteInactiveBefore, which runs periodically over every tenant
CREATE INDEX tokens_expires_idx ON tokens (expires_at);
CREATE INDEX tokens_revoked_idx ON tokens (revoked_at);

CREATE TABLE clusters (
  tenant_id           VARCHAR NOT NULL,
  id                  VARCHAR NOT NULL,
  description         VARCHAR,
  credential_hash     BYTEA,
  certificate_subject VARCHAR,
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT clusters_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT clusters_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);
CREATE INDEX clusters_credential_idx ON clusters (tenant_id, credential_hash);

-- The audit trail: append-only, and deliberately without a foreign key to tenants, so that what happened in a
-- tenant stays on record after the tenant is deleted. tenant_id is null for process-wide events.
CREATE TABLE audit_events (
  id          VARCHAR NOT NULL,
  occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
  tenant_id   VARCHAR,
  actor       VARCHAR NOT NULL,
  action      VARCHAR NOT NULL,
  target      VARCHAR,
  outcome     VARCHAR NOT NULL,
  source      VARCHAR,
  details     VARCHAR,
  CONSTRAINT audit_events_pk PRIMARY KEY (id)
);
CREATE INDEX audit_events_at_idx ON audit_events (occurred_at, id);
CREATE INDEX audit_events_tenant_at_idx ON audit_events (tenant_id, occurred_at, id);

-- Administrators. scope is '*' (every tenant) or a tenant id; scope_tenant_id repeats that tenant id (null for
-- '*') only so that a foreign key can remove the role with the tenant it is scoped to.
CREATE TABLE admin_roles (
  user_tenant_id  VARCHAR NOT NULL,
  user_id         VARCHAR NOT NULL,
  scope           VARCHAR NOT NULL,
  scope_tenant_id VARCHAR,
  CONSTRAINT admin_roles_pk PRIMARY KEY (user_tenant_id, user_id, scope),
  CONSTRAINT admin_roles_scope_ck CHECK ((scope = '*' AND scope_tenant_id IS NULL) OR scope = scope_tenant_id),
  CONSTRAINT admin_roles_user_fk FOREIGN KEY (user_tenant_id, user_id)
    REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT admin_roles_scope_fk FOREIGN KEY (scope_tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);
CREATE INDEX admin_roles_scope_idx ON admin_roles (scope_tenant_id);
