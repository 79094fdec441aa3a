-- Lanyard schema, version 6: fewer indexes on the two tables the token endpoint writes on every request. Each
-- index is one more B-tree insert, commit and page write per token, and each foreign key one more parent lookup.
--
-- Access tokens lose their foreign keys to the tenant, the client, the user and the robot, and the indexes that
-- served only those keys. The token endpoint has just read the client and the principal in the same transaction,
-- so the keys checked nothing new. Deleting a tenant, user, robot or client deletes its access tokens in the
-- repository's delete, in the same transaction, as it already does for Kubernetes tokens (for a user, robot or
-- client a scan of access_tokens: they live minutes, so the table stays small).
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_tenant_fk;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_client_fk;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_user_fk;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_robot_fk;
DROP INDEX access_tokens_user_idx;
DROP INDEX access_tokens_robot_idx;

-- H2 gave every foreign key declared in CREATE TABLE an index of its own, next to the (tenant_id, family_id)
-- indexes V4 created for the same columns. Declared again now that those exist, the keys use them, and H2 drops
-- its copies with the old keys. PostgreSQL never indexes a foreign key by itself: there this only re-checks them.
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_family_fk;
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_family_fk FOREIGN KEY (tenant_id, family_id)
  REFERENCES refresh_families (tenant_id, id) ON DELETE CASCADE;
ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_family_fk;
ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_family_fk FOREIGN KEY (tenant_id, family_id)
  REFERENCES refresh_families (tenant_id, id) ON DELETE CASCADE;
