-- Lanyard schema, version 9: a uid for every OAuth client and cluster row, so that one deleted and registered
-- again under the same id is a new client or cluster, not the old one back. Same rules as V1: runs unchanged on
-- H2 2.x and PostgreSQL 13+.
--
-- What outlives a row names it by its uid: an access token seals its client's uid (access tokens are not stored,
-- so deleting the client cannot delete them), a Kubernetes token lists the uids of the clusters it is valid on, and
-- a cluster's client certificate subject ends with its uid. A new row gets a fresh random uid from the
-- application, never reused; a row that exists now takes its id as its uid, which no new row can get, so the
-- cluster bindings of existing tokens (V2 stored cluster ids, i.e. names) keep naming the cluster they were
-- minted for, and no other.
ALTER TABLE oauth_clients ADD COLUMN uid VARCHAR;
UPDATE oauth_clients SET uid = id;
ALTER TABLE oauth_clients ALTER COLUMN uid SET NOT NULL;

ALTER TABLE clusters ADD COLUMN uid VARCHAR;
UPDATE clusters SET uid = id;
ALTER TABLE clusters ALTER COLUMN uid SET NOT NULL;
