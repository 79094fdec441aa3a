package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.k8s.ClusterService;
import dev.lanyard.idp.k8s.ReviewInvalidation;
import dev.lanyard.idp.tenants.TenantProvisioner;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /tenants}: list (a tenant admin sees only their tenants), create and delete (global admins; create
 * generates the first signing key on a worker thread), get and update (display name, settings).
 */
final class TenantsEndpoint {
  private final Vertx vertx;
  private final Storage storage;
  private final TenantProvisioner provisioner;
  private final AuditLog audit;
  /** Knows the configured token maximum: a tenant may set shorter token lifetimes, not longer ones. */
  private final TokenService tokens;

  TenantsEndpoint(Vertx vertx, Storage storage, TenantProvisioner provisioner, AuditLog audit, TokenService tokens) {
    this.vertx = vertx;
    this.storage = storage;
    this.provisioner = provisioner;
    this.audit = audit;
    this.tokens = tokens;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::create));
    router.get(base + "/:tenant").handler(AdminRequest.handler(200, this::get));
    router.put(base + "/:tenant").handler(AdminRequest.handler(200, this::update));
    router.delete(base + "/:tenant").handler(AdminRequest.handler(204, this::delete));
  }

  private Future<JsonObject> list(AdminRequest r) {
    AdminPrincipal p = r.principal();
    Page page = r.page();
    return storage.transaction(s -> s.tenants().list())
        .map(all -> page.slice(all.stream().filter(t -> p.canManage(t.id())).toList(), Views::tenant));
  }

  private Future<JsonObject> get(AdminRequest r) {
    String tenant = r.tenant();
    return storage.transaction(s -> Views.tenant(AdminRequest.found(s.tenants().find(tenant), "tenant " + tenant)));
  }

  private Future<JsonObject> create(AdminRequest r) {
    r.requireGlobal();
    Fields f = r.fields();
    String id = f.required("id", Shapes.TENANT_ID, Shapes.TENANT_ID_MESSAGE);
    String displayName = f.optional("displayName", null, null);
    TenantSettings settings = settings(f, TenantSettings.defaults());
    f.check();
    return storage.transaction(s -> s.tenants().find(id).isPresent())
        .compose(exists -> {
          if (exists) return Future.failedFuture(Problem.of(409, "tenant " + id + " already exists"));
          // RSA key generation takes a while: on a worker thread, before the transaction.
          return vertx.executeBlocking(() -> provisioner.firstKey(id), false);
        })
        .compose((SigningKey key) -> storage.transaction(s -> {
          Tenant created = provisioner.create(s, id, displayName != null ? displayName : id, key);
          Tenant withSettings = new Tenant(created.id(), created.displayName(), created.createdAt(), settings);
          s.tenants().update(withSettings);
          audit.record(s, new AuditLog.Entry(id, r.actor(), "tenant.create", "tenant:" + id, AuditLog.SUCCESS,
              r.source(), null));
          return Views.tenant(withSettings);
        }));
  }

  private Future<JsonObject> update(AdminRequest r) {
    String tenant = r.tenant();
    Fields f = r.fields();
    String displayName = f.optional("displayName", null, null);
    return storage.transaction(s -> {
      Tenant old = AdminRequest.found(s.tenants().find(tenant), "tenant " + tenant);
      TenantSettings settings = settings(f, old.settings());
      f.check();
      Tenant updated = new Tenant(tenant, displayName != null ? displayName : old.displayName(), old.createdAt(), settings);
      s.tenants().update(updated);
      ReviewInvalidation.tenantChanged(s, tenant);
      audit.record(s, new AuditLog.Entry(tenant, r.actor(), "tenant.update", "tenant:" + tenant, AuditLog.SUCCESS,
          r.source(), new JsonObject().put("fields", fieldNames(r.body()))));
      return Views.tenant(updated);
    });
  }

  private Future<Object> delete(AdminRequest r) {
    r.requireGlobal();
    String tenant = r.path("tenant");
    return storage.transaction(s -> {
      s.tenants().delete(tenant);
      ReviewInvalidation.tenantChanged(s, tenant);
      s.notifyChange(ClusterService.CHANGE_TOPIC, tenant + "/");
      audit.record(s, new AuditLog.Entry(tenant, r.actor(), "tenant.delete", "tenant:" + tenant, AuditLog.SUCCESS,
          r.source(), null));
      return null;
    });
  }

  /** The {@code settings} object merged onto {@code base}; errors go to {@code f}. */
  /** The fields an update names, each setting on its own ({@code settings.tokenMaxTtl}): what it may change. */
  private static JsonArray fieldNames(JsonObject body) {
    JsonArray names = new JsonArray();
    for (String name : body.fieldNames()) {
      if (name.equals("settings") && body.getValue(name) instanceof JsonObject settings) {
        settings.fieldNames().forEach(setting -> names.add("settings." + setting));
      } else {
        names.add(name);
      }
    }
    return names;
  }

  private TenantSettings settings(Fields f, TenantSettings base) {
    JsonObject o = f.object("settings");
    if (o == null) return base;
    TenantSettingsInput.Result merged = TenantSettingsInput.merge(o, base, tokens.maxTtl());
    merged.errors().forEach(e -> f.error("settings." + e.field(), e.message()));
    return merged.settings();
  }
}
