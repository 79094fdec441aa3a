package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.keys.KeyRotation;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.SigningKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /tenants/{t}/keys}: the tenant's signing keys (kid, alg, state, dates; never key material), and
 * {@code POST .../keys/rotate}, which publishes the next key now (generated on a worker thread). It signs only
 * once JWKS caches have had time to see it ({@link KeyRotation#publishLead()}).
 */
final class KeysEndpoint {
  /** Change-feed topic for key changes; the payload is the tenant id. */
  static final String CHANGE_TOPIC = "keys";

  private final Vertx vertx;
  private final Storage storage;
  private final KeyRotation rotation;
  private final AuditLog audit;

  KeysEndpoint(Vertx vertx, Storage storage, KeyRotation rotation, AuditLog audit) {
    this.vertx = vertx;
    this.storage = storage;
    this.rotation = rotation;
    this.audit = audit;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/keys";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base + "/rotate").handler(AdminRequest.handler(201, this::rotate));
  }

  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    Page page = r.page();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      return page.slice(s.signingKeys().list(tenant), Views::key);
    });
  }

  private Future<JsonObject> rotate(AdminRequest r) {
    String tenant = r.tenant();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      return tenant;
    }).compose(t -> vertx.executeBlocking(() -> rotation.nextKey(t), false))
        .compose((SigningKey key) -> storage.transaction(s -> {
          UsersEndpoint.requireTenant(s, tenant);
          rotation.publish(s, key);
          rotation.advance(s, tenant);
          s.notifyChange(CHANGE_TOPIC, tenant);
          audit.record(s, new AuditLog.Entry(tenant, r.actor(), "key.rotate", "key:" + tenant + "/" + key.kid(),
              AuditLog.SUCCESS, r.source(), new JsonObject().put("activeFrom", key.activeFrom().toString())));
          return Views.key(key);
        }));
  }
}
