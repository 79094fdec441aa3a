package dev.lanyard.idp.k8s;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.Cluster;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Registers clusters with a tenant and gives each the credential its kube-apiserver presents to the
 * TokenReview webhook (a {@code lyw_} bearer token, shown once; storage keeps its SHA-256).
 */
public final class ClusterService {
  /** Change-feed topic; the payload is {@code tenantId/clusterId}. */
  public static final String CHANGE_TOPIC = "cluster";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");

  private final Storage storage;
  private final AuditLog audit;
  private final Clock clock;

  public ClusterService(Storage storage, AuditLog audit, Clock clock) {
    this.storage = storage;
    this.audit = audit;
    this.clock = clock;
  }

  /** A registered cluster and its webhook credential in clear, which is never available again. */
  public record Registered(Cluster cluster, String credential) {}

  /** Registers; fails with IllegalArgumentException (bad name), NotFoundException, AlreadyExistsException. */
  public Future<Registered> register(String tenantId, String name, String description, String actor, String source) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Future.failedFuture(new IllegalArgumentException(
          "name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 63"));
    }
    String credential = OpaqueTokenFormat.WEBHOOK.generate();
    return storage.transaction(s -> {
      if (s.tenants().find(tenantId).isEmpty()) throw new NotFoundException("no tenant " + tenantId);
      Cluster cluster = new Cluster(tenantId, name, description, OpaqueTokenFormat.hash(credential), null,
          clock.instant());
      s.clusters().create(cluster);
      audit.record(s, new AuditLog.Entry(tenantId, actor, "cluster.create", "cluster:" + name, AuditLog.SUCCESS,
          source, null));
      return new Registered(cluster, credential);
    });
  }

  /** A new credential for a cluster; the old one stops working at once. */
  public Future<Registered> rotateCredential(String tenantId, String name, String actor, String source) {
    String credential = OpaqueTokenFormat.WEBHOOK.generate();
    return storage.transaction(s -> {
      Cluster old = s.clusters().find(tenantId, name)
          .orElseThrow(() -> new NotFoundException("no cluster " + name + " in tenant " + tenantId));
      Cluster updated = new Cluster(tenantId, name, old.description(), OpaqueTokenFormat.hash(credential),
          old.certificateSubject(), old.createdAt());
      s.clusters().update(updated);
      s.notifyChange(CHANGE_TOPIC, tenantId + "/" + name);
      audit.record(s, new AuditLog.Entry(tenantId, actor, "cluster.rotate-credential", "cluster:" + name,
          AuditLog.SUCCESS, source, null));
      return new Registered(updated, credential);
    });
  }
}
