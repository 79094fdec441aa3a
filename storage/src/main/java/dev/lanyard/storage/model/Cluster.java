package dev.lanyard.storage.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Kubernetes cluster registered with a tenant: its kube-apiserver calls the TokenReview webhook with this
 * cluster's credential.
 *
 * @param id the cluster's name, unique in the tenant
 * @param credentialHash SHA-256 of the webhook bearer credential; null when the cluster authenticates with a
 *     client certificate only
 * @param certificateSubject the CN of the client certificate issued to it, or null
 * @param description may be null
 * @param uid this row's own identity, set at registration and never changed or reused: a cluster deleted and
 *     registered again under the same name has a new one, so tokens bound to the old cluster (they list uids) and
 *     its client certificates (their subject ends with it) do not count for the new one
 */
public record Cluster(String tenantId, String id, String description, byte[] credentialHash,
    String certificateSubject, Instant createdAt, String uid) {
  public Cluster {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(uid, "uid");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cluster c && tenantId.equals(c.tenantId) && id.equals(c.id)
        && Objects.equals(description, c.description) && Arrays.equals(credentialHash, c.credentialHash)
        && Objects.equals(certificateSubject, c.certificateSubject) && createdAt.equals(c.createdAt)
        && uid.equals(c.uid);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, id);
  }

  @Override
  public String toString() {
    return "Cluster[" + tenantId + "/" + id + "]";
  }
}
