package dev.lanyard.idp.admin;

import dev.lanyard.idp.config.DurationText;
import dev.lanyard.idp.k8s.ClusterBindings;
import dev.lanyard.storage.model.AdminRole;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.Cluster;
import dev.lanyard.storage.model.Group;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/** JSON views of storage records for the admin API. Hashes, secrets and private keys never appear. */
final class Views {
  private Views() {}

  static String time(Instant at) {
    return at == null ? null : at.toString();
  }

  private static String duration(Duration d) {
    return d == null ? null : DurationText.format(d);
  }

  static JsonObject tenant(Tenant t) {
    TenantSettings s = t.settings();
    return new JsonObject().put("id", t.id()).put("displayName", t.displayName()).put("createdAt", time(t.createdAt()))
        .put("settings", new JsonObject().put("usernameFrom", s.usernameFrom()).put("robotPrefix", s.robotPrefix())
            .put("idTokenLifetime", duration(s.idTokenLifetime())).put("tokenDefaultTtl", duration(s.tokenDefaultTtl()))
            .put("tokenMaxTtl", duration(s.tokenMaxTtl()))
            .put("accessTokenLifetime", duration(s.accessTokenLifetime()))
            .put("refreshIdleLifetime", duration(s.refreshIdleLifetime()))
            .put("refreshAbsoluteLifetime", duration(s.refreshAbsoluteLifetime())));
  }

  static JsonObject user(User u) {
    return new JsonObject().put("id", u.id()).put("tenant", u.tenantId()).put("username", u.username())
        .put("email", u.email()).put("emailVerified", u.emailVerified()).put("displayName", u.displayName())
        .put("enabled", u.enabled()).put("hasPassword", u.passwordHash() != null)
        .put("createdAt", time(u.createdAt())).put("updatedAt", time(u.updatedAt()));
  }

  static JsonObject user(User u, List<String> groups) {
    return user(u).put("groups", new JsonArray(groups));
  }

  static JsonObject group(Group g) {
    return new JsonObject().put("id", g.id()).put("name", g.name()).put("createdAt", time(g.createdAt()));
  }

  static JsonObject client(OAuthClient c) {
    return new JsonObject().put("id", c.id()).put("displayName", c.displayName())
        .put("type", c.isPublic() ? "public" : "confidential")
        .put("redirectUris", new JsonArray(c.redirectUris()))
        .put("grantTypes", new JsonArray(List.copyOf(new TreeSet<>(c.grantTypes()))))
        .put("createdAt", time(c.createdAt()));
  }

  static JsonObject robot(Robot r) {
    return new JsonObject().put("id", r.id()).put("name", r.name()).put("description", r.description())
        .put("enabled", r.enabled()).put("createdAt", time(r.createdAt())).put("updatedAt", time(r.updatedAt()));
  }

  static JsonObject robot(Robot r, List<String> groups) {
    return robot(r).put("groups", new JsonArray(groups));
  }

  /** @param clusters names the clusters the token is bound to (it stores their uids) */
  static JsonObject token(OpaqueToken t, Instant now, ClusterBindings clusters) {
    return new JsonObject().put("id", t.id()).put("kind", t.kind().name().toLowerCase())
        .put(t.principalType().name().toLowerCase(), t.principalId())
        .put("description", t.description()).put("clusters", new JsonArray(clusters.names(t.clusters())))
        .put("createdAt", time(t.createdAt())).put("expiresAt", time(t.expiresAt()))
        .put("revokedAt", time(t.revokedAt())).put("lastUsedAt", time(t.lastUsedAt()))
        .put("createdBy", t.createdBy()).put("active", t.isActiveAt(now));
  }

  static JsonObject cluster(Cluster c) {
    return new JsonObject().put("id", c.id()).put("description", c.description())
        .put("hasCredential", c.credentialHash() != null).put("certificateSubject", c.certificateSubject())
        .put("createdAt", time(c.createdAt()));
  }

  static JsonObject key(SigningKey k) {
    return new JsonObject().put("kid", k.kid()).put("alg", k.algorithm()).put("state", k.state().name().toLowerCase())
        .put("createdAt", time(k.createdAt())).put("activeFrom", time(k.activeFrom()))
        .put("retireAfter", time(k.retireAfter())).put("retiredAt", time(k.retiredAt()))
        .put("unpublishAfter", time(k.unpublishAfter()));
  }

  static JsonObject audit(AuditEvent e) {
    return new JsonObject().put("id", e.id()).put("at", time(e.at())).put("tenant", e.tenantId())
        .put("actor", e.actor()).put("action", e.action()).put("target", e.target()).put("outcome", e.outcome())
        .put("source", e.source()).put("details", e.details() == null ? null : new JsonObject(e.details()));
  }

  static JsonObject role(AdminRole r) {
    return new JsonObject().put("tenant", r.userTenantId()).put("user", r.userId()).put("scope", r.scope());
  }
}
