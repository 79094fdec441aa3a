package dev.lanyard.storage;

import dev.lanyard.storage.model.Cluster;
import java.util.List;
import java.util.Optional;

/** Clusters registered with a tenant. */
public interface ClusterRepository {
  /** Fails with {@link AlreadyExistsException} when the id is taken in the tenant. */
  void create(Cluster cluster);
  Optional<Cluster> find(String tenantId, String clusterId);
  /** The tenant's cluster whose webhook credential hashes to {@code credentialHash}. */
  Optional<Cluster> findByCredentialHash(String tenantId, byte[] credentialHash);
  /** The tenant's clusters ordered by id. */
  List<Cluster> list(String tenantId);
  /** Replaces description, credential hash and certificate subject. Fails with {@link NotFoundException}. */
  void update(Cluster cluster);
  /** Fails with {@link NotFoundException}. */
  void delete(String tenantId, String clusterId);
}
