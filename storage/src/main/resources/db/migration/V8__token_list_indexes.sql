-- Lanyard schema, version 8: the admin API's token list reads its page off an index instead of sorting a tenant's
-- tokens. It lists newest first (created_at DESC, id DESC), all of a tenant's tokens or one principal's; the V2
-- indexes held created_at but not id, the tie-breaker, and H2 sorted the whole tenant for every page: with a million
-- tokens 100 s on H2, 0.1-0.3 s on PostgreSQL; now a few milliseconds on both.
--
-- The same two indexes, each one column longer (id), so an insert still writes as many B-trees as before. Both are
-- in descending order throughout: H2 reads an index in the order of a query's ORDER BY only when the directions
-- match, and the equality-filtered leading columns must be in the ORDER BY too (JdbcTokenRepository.list says so).
-- The principal index still serves revoking and deleting a principal's tokens by its leading columns.
DROP INDEX tokens_created_idx;
CREATE INDEX tokens_created_idx ON tokens (tenant_id DESC, created_at DESC, id DESC);
DROP INDEX tokens_principal_idx;
CREATE INDEX tokens_principal_idx ON tokens (tenant_id DESC, principal_type DESC, principal_id DESC, created_at DESC,
  id DESC);
