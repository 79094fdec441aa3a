-- Lanyard schema, version 1. Runs unchanged on H2 2.x (regular mode) and PostgreSQL 13+.
-- Every table but tenants starts with tenant_id and references tenants ON DELETE CASCADE: deleting a tenant
-- deletes everything it owns, and every query filters by tenant_id.
-- Instants are TIMESTAMP WITH TIME ZONE, written in UTC and truncated to microseconds.
-- Text columns are unbounded VARCHAR (H2: up to 1,000,000 characters); callers validate lengths.

CREATE TABLE tenants (
  id           VARCHAR NOT NULL,
  display_name VARCHAR NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT tenants_pk PRIMARY KEY (id)
);

CREATE TABLE users (
  tenant_id      VARCHAR NOT NULL,
  id             VARCHAR NOT NULL,
  username       VARCHAR NOT NULL,
  email          VARCHAR,
  -- lower-cased by the application (Locale.ROOT) for the case-insensitive, indexed email lookup
  email_lower    VARCHAR,
  email_verified BOOLEAN NOT NULL,
  display_name   VARCHAR,
  enabled        BOOLEAN NOT NULL,
  password_hash  VARCHAR,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT users_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT users_username_uq UNIQUE (tenant_id, username),
  CONSTRAINT users_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);
CREATE INDEX users_email_idx ON users (tenant_id, email_lower);

-- "groups" is a keyword in H2 2.x, hence user_groups.
CREATE TABLE user_groups (
  tenant_id  VARCHAR NOT NULL,
  id         VARCHAR NOT NULL,
  name       VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT user_groups_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT user_groups_name_uq UNIQUE (tenant_id, name),
  CONSTRAINT user_groups_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE group_members (
  tenant_id VARCHAR NOT NULL,
  group_id  VARCHAR NOT NULL,
  user_id   VARCHAR NOT NULL,
  CONSTRAINT group_members_pk PRIMARY KEY (tenant_id, group_id, user_id),
  CONSTRAINT group_members_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT group_members_group_fk FOREIGN KEY (tenant_id, group_id)
    REFERENCES user_groups (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT group_members_user_fk FOREIGN KEY (tenant_id, user_id)
    REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_user_idx ON group_members (tenant_id, user_id);

-- redirect_uris and grant_types are JSON arrays of strings (redirect URIs in registration order,
-- grant types sorted).
CREATE TABLE oauth_clients (
  tenant_id     VARCHAR NOT NULL,
  id            VARCHAR NOT NULL,
  display_name  VARCHAR NOT NULL,
  secret_hash   VARCHAR,
  redirect_uris VARCHAR NOT NULL,
  grant_types   VARCHAR NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT oauth_clients_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT oauth_clients_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE signing_keys (
  tenant_id             VARCHAR NOT NULL,
  kid                   VARCHAR NOT NULL,
  algorithm             VARCHAR NOT NULL,
  public_key            BYTEA NOT NULL,
  encrypted_private_key BYTEA NOT NULL,
  state                 VARCHAR NOT NULL,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  active_from           TIMESTAMP WITH TIME ZONE NOT NULL,
  retire_after          TIMESTAMP WITH TIME ZONE,
  retired_at            TIMESTAMP WITH TIME ZONE,
  unpublish_after       TIMESTAMP WITH TIME ZONE,
  CONSTRAINT signing_keys_pk PRIMARY KEY (tenant_id, kid),
  CONSTRAINT signing_keys_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);
