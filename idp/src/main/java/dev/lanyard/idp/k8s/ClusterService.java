package dev.lanyard.idp.k8s;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.Cluster;
import io.vertx.core.Future;
import dev.lanyard.idp.tls.IssuedCertificate;
import dev.lanyard.idp.tls.LocalCertificateAuthority;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Registers clusters with a tenant and gives each the credential its kube-apiserver presents to the
 * TokenReview webhook (a {@code lyw_} bearer token, shown once; storage keeps its SHA-256).
 *
 * <p>Each registration gets a new {@link Cluster#uid uid}, and what is bound to a cluster (tokens, client
 * certificates) names that uid: a cluster deleted and registered again under its name is a new cluster, on which
 * nothing of the old one counts.
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

  /**
   * A registered cluster and its webhook credential in clear, which is never available again; {@code certificate}
   * is its TLS client certificate when one was asked for, else null.
   */
  public record Registered(Cluster cluster, String credential, IssuedCertificate certificate) {}

  /** Registers; fails with IllegalArgumentException (bad name), NotFoundException, AlreadyExistsException. */
  public Future<Registered> register(String tenantId, String name, String description, String actor, String source) {
    return register(tenantId, name, description, null, null, actor, source);
  }

  /**
   * Registers, and when {@code ca} is not null also issues the cluster a TLS client certificate valid for
   * {@code validity} (see {@link #issueClientCertificate}), in the same transaction: on any failure nothing is
   * written, so the name stays free for another try. Blocking while a key is generated when {@code ca} is given.
   */
  public Future<Registered> register(String tenantId, String name, String description, LocalCertificateAuthority ca,
      Duration validity, String actor, String source) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Future.failedFuture(new IllegalArgumentException(
          "name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 63"));
    }
    String credential = OpaqueTokenFormat.WEBHOOK.generate();
    String uid = TimeOrderedIds.next();
    String subject = ca == null ? null : certificateSubject(tenantId, name, uid);
    IssuedCertificate certificate = ca == null ? null : ca.issueClientCertificate(subject, validity);
    return storage.transaction(s -> {
      if (s.tenants().find(tenantId).isEmpty()) throw new NotFoundException("no tenant " + tenantId);
      Cluster cluster = new Cluster(tenantId, name, description, OpaqueTokenFormat.hash(credential), subject,
          clock.instant(), uid);
      s.clusters().create(cluster);
      audit.record(s, new AuditLog.Entry(tenantId, actor, "cluster.create", "cluster:" + name, AuditLog.SUCCESS,
          source, null));
      if (certificate != null) {
        audit.record(s, new AuditLog.Entry(tenantId, actor, "cluster.issue-certificate", "cluster:" + name,
            AuditLog.SUCCESS, source, null));
      }
      return new Registered(cluster, credential, certificate);
    });
  }

  /** A cluster with the TLS client certificate issued to it (PEM; the key is shown only now). */
  public record Certified(Cluster cluster, IssuedCertificate certificate) {}

  /**
   * The client certificate CN Lanyard gives a cluster: names the tenant, so it fits one tenant only, and ends with
   * the cluster's uid, so it fits this cluster only: not one registered later under the same name after this one
   * was deleted.
   */
  public static String certificateSubject(String tenantId, String name, String uid) {
    return "lanyard-webhook:" + tenantId + ":" + name + ":" + uid;
  }

  /**
   * Issues the cluster a TLS client certificate signed by {@code ca} and records its subject, so its
   * kube-apiserver may call the webhook with the certificate instead of (or as well as) the bearer
   * credential. The listener verifies such certificates only when Lanyard generated its TLS files, i.e. when
   * {@code ca} is the CA in the data directory. A certificate issued earlier stays valid until it expires
   * (there is no revocation list); deleting the cluster stops it for good, even if the name is registered again.
   *
   * <p>Blocking while the key is generated; call from a worker or a command line.
   *
   * @param validity how long the certificate is valid, cut to the CA's expiry
   * @throws NotFoundException (as the failed future) for an unknown cluster
   */
  public Future<Certified> issueClientCertificate(String tenantId, String name, LocalCertificateAuthority ca,
      Duration validity, String actor, String source) {
    return storage.transaction(s -> {
      Cluster old = s.clusters().find(tenantId, name)
          .orElseThrow(() -> new NotFoundException("no cluster " + name + " in tenant " + tenantId));
      // The subject names the uid read here, so the certificate is issued in this transaction.
      String subject = certificateSubject(tenantId, name, old.uid());
      IssuedCertificate certificate = ca.issueClientCertificate(subject, validity);
      Cluster updated = new Cluster(tenantId, name, old.description(), old.credentialHash(), subject,
          old.createdAt(), old.uid());
      s.clusters().update(updated);
      s.notifyChange(CHANGE_TOPIC, tenantId + "/" + name);
      audit.record(s, new AuditLog.Entry(tenantId, actor, "cluster.issue-certificate", "cluster:" + name,
          AuditLog.SUCCESS, source, null));
      return new Certified(updated, certificate);
    });
  }

  /** A new credential for a cluster; the old one stops working at once. */
  public Future<Registered> rotateCredential(String tenantId, String name, String actor, String source) {
    String credential = OpaqueTokenFormat.WEBHOOK.generate();
    return storage.transaction(s -> {
      Cluster old = s.clusters().find(tenantId, name)
          .orElseThrow(() -> new NotFoundException("no cluster " + name + " in tenant " + tenantId));
      Cluster updated = new Cluster(tenantId, name, old.description(), OpaqueTokenFormat.hash(credential),
          old.certificateSubject(), old.createdAt(), old.uid());
      s.clusters().update(updated);
      s.notifyChange(CHANGE_TOPIC, tenantId + "/" + name);
      audit.record(s, new AuditLog.Entry(tenantId, actor, "cluster.rotate-credential", "cluster:" + name,
          AuditLog.SUCCESS, source, null));
      return new Registered(updated, credential, null);
    });
  }
}
