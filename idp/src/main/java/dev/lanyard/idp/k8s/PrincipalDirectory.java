package dev.lanyard.idp.k8s;

import dev.lanyard.idp.cache.FencedCache;
import dev.lanyard.idp.cache.InlineCaches;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Principals (users and robots) as TokenReview answers name them, cached. Entries are dropped by
 * {@link #forget} when the change feed reports a principal, group or tenant change, and expire after a short
 * while in any case, as a safety net.
 */
final class PrincipalDirectory {
  /** Change-feed topic for user/robot/membership changes; the payload is {@code tenantId/TYPE/id}. */
  static final String PRINCIPAL_TOPIC = "principal";
  /** Change-feed topic for changes that affect every principal of a tenant (groups, settings); the payload is the tenant id. */
  static final String TENANT_TOPIC = "tenant";

  private final Storage storage;
  private final FencedCache<Key, Optional<Principal>> cache;

  PrincipalDirectory(Storage storage) {
    this.storage = storage;
    // Only while the change feed is current: a revocation on another replica must not pass this cache by.
    this.cache = new FencedCache<>(InlineCaches.builder()
        .maximumSize(100_000).expireAfter(InlineCaches.expireWithin(Duration.ofMinutes(5))).build(),
        storage::changesCurrent);
  }

  /** The principal, or empty when it no longer exists. */
  Future<Optional<Principal>> find(String tenantId, PrincipalType type, String id) {
    Key key = new Key(tenantId, type, id);
    Optional<Principal> cached = cache.getIfPresent(key);
    if (cached != null) return Future.succeededFuture(cached);
    long stamp = cache.stamp();
    return storage.transaction(s -> load(s, tenantId, type, id)).onSuccess(p -> cache.put(key, p, stamp));
  }

  void forget(String tenantId, PrincipalType type, String id) {
    cache.invalidate(new Key(tenantId, type, id));
  }

  void forgetTenant(String tenantId) {
    cache.invalidateIf(k -> k.tenantId().equals(tenantId));
  }

  void forgetAll() {
    cache.invalidateAll();
  }

  /**
   * Names the kube-apiserver reserves ({@link KubernetesNames}) never leave here, whoever wrote the rows: such
   * groups are dropped, and a principal whose name would be one is unnamed, so its tokens are refused.
   */
  private static Optional<Principal> load(StoreSession s, String tenantId, PrincipalType type, String id) {
    Optional<Tenant> tenant = s.tenants().find(tenantId);
    if (tenant.isEmpty()) return Optional.empty();
    TenantSettings settings = tenant.get().settings();
    String name;
    String uid;
    List<String> groups;
    boolean enabled;
    if (type == PrincipalType.USER) {
      Optional<User> user = s.users().find(tenantId, id);
      if (user.isEmpty()) return Optional.empty();
      User u = user.get();
      name = TenantSettings.EMAIL.equals(settings.usernameFrom())
          ? (u.email() != null && u.emailVerified() ? u.email() : null)
          : u.username();
      uid = u.id();
      groups = s.groups().groupNamesOfUser(tenantId, id);
      enabled = u.enabled();
    } else {
      Optional<Robot> robot = s.robots().find(tenantId, id);
      if (robot.isEmpty()) return Optional.empty();
      Robot r = robot.get();
      name = settings.robotPrefix() + r.name();
      uid = r.id();
      groups = s.robots().groupNames(tenantId, id);
      enabled = r.enabled();
    }
    return Optional.of(new Principal(KubernetesNames.isReserved(name) ? null : name, uid,
        KubernetesNames.withoutReserved(groups), enabled));
  }

  /** A record rather than a joined string: this lookup runs on every review. */
  private record Key(String tenantId, PrincipalType type, String id) {}
}
