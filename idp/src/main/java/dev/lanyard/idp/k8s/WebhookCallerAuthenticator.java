package dev.lanyard.idp.k8s;

import dev.lanyard.idp.cache.FencedCache;
import dev.lanyard.idp.cache.InlineCaches;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.Cluster;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Tells which registered cluster is calling the webhook, from what its kubeconfig holds: a bearer credential,
 * or a TLS client certificate signed by the Lanyard CA whose CN is the cluster's {@code certificateSubject}
 * (see {@link ClusterService#issueClientCertificate}). Only a cluster of the tenant may ask; anyone else gets
 * 401, so the webhook is no token-guessing oracle.
 */
final class WebhookCallerAuthenticator {
  private final Storage storage;
  /** tenant/hash-of-credential -> cluster; dropped when a cluster of the tenant changes. */
  private final FencedCache<String, Cluster> known;

  WebhookCallerAuthenticator(Storage storage) {
    this.storage = storage;
    // Only while the change feed is current: a revocation on another replica must not pass this cache by.
    this.known = new FencedCache<>(InlineCaches.builder()
        .maximumSize(10_000).expireAfter(InlineCaches.expireWithin(Duration.ofMinutes(5))).build(),
        storage::changesCurrent);
  }

  /**
   * The calling cluster, or empty for a missing, malformed or unknown credential. A bearer credential, when
   * sent, decides alone (a wrong one is not rescued by a certificate).
   *
   * @param certificateSubject the CN of the caller's TLS client certificate, which the TLS layer has already
   *     verified against the Lanyard CA; null when none was presented
   */
  Future<Optional<Cluster>> authenticate(String tenantId, String authorizationHeader, String certificateSubject) {
    if (authorizationHeader == null && certificateSubject != null) {
      return bySubject(tenantId, certificateSubject);
    }
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.succeededFuture(Optional.empty());
    }
    String credential = authorizationHeader.substring(7).trim();
    if (!OpaqueTokenFormat.WEBHOOK.isWellFormed(credential)) return Future.succeededFuture(Optional.empty());
    byte[] hash = OpaqueTokenFormat.hash(credential);
    String key = tenantId + "/" + HexFormat.of().formatHex(hash);
    Cluster cached = known.getIfPresent(key);
    if (cached != null) return Future.succeededFuture(Optional.of(cached));
    long stamp = known.stamp();
    return storage.transaction(s -> s.clusters().findByCredentialHash(tenantId, hash))
        .onSuccess(found -> found.ifPresent(c -> known.put(key, c, stamp)));
  }

  /** The tenant's cluster whose client certificate subject is {@code subject}. Clusters per tenant are few. */
  private Future<Optional<Cluster>> bySubject(String tenantId, String subject) {
    String key = tenantId + "/cn:" + subject;
    Cluster cached = known.getIfPresent(key);
    if (cached != null) return Future.succeededFuture(Optional.of(cached));
    long stamp = known.stamp();
    return storage.transaction(s -> s.clusters().list(tenantId).stream()
            .filter(c -> subject.equals(c.certificateSubject())).findFirst())
        .onSuccess(found -> found.ifPresent(c -> known.put(key, c, stamp)));
  }

  void forgetTenant(String tenantId) {
    String prefix = tenantId + "/";
    known.invalidateIf(k -> k.startsWith(prefix));
  }

  void forgetAll() {
    known.invalidateAll();
  }
}
