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
 */
public record Cluster(String tenantId, String id, String description, byte[] credentialHash,
    String certificateSubject, Instant createdAt) {
  public Cluster {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cluster c && tenantId.equals(c.tenantId) && id.equals(c.id)
        && Objects.equals(description, c.description) && Arrays.equals(credentialHash, c.credentialHash)
        && Objects.equals(certificateSubject, c.certificateSubject) && createdAt.equals(c.createdAt);
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
