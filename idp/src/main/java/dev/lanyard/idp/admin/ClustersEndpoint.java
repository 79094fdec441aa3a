package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.k8s.ClusterService;
import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /tenants/{t}/clusters}: register a cluster (its TokenReview webhook credential is in the create
 * response only), list, get, rotate the credential ({@code POST .../credential}, shown once), delete.
 */
final class ClustersEndpoint {
  private final Storage storage;
  private final ClusterService clusters;
  private final AuditLog audit;

  ClustersEndpoint(Storage storage, ClusterService clusters, AuditLog audit) {
    this.storage = storage;
    this.clusters = clusters;
    this.audit = audit;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/clusters";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::create));
    router.get(base + "/:id").handler(AdminRequest.handler(200, this::get));
    router.post(base + "/:id/credential").handler(AdminRequest.handler(200, this::rotate));
    router.delete(base + "/:id").handler(AdminRequest.handler(204, this::delete));
  }

  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    Page page = r.page();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      return page.slice(s.clusters().list(tenant), Views::cluster);
    });
  }

  private Future<JsonObject> get(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> Views.cluster(AdminRequest.found(s.clusters().find(tenant, id),
        "cluster " + id + " in tenant " + tenant)));
  }

  private Future<JsonObject> create(AdminRequest r) {
    String tenant = r.tenant();
    Fields f = r.fields();
    String name = f.required("name", null, null);
    String description = f.optional("description", null, null);
    f.check();
    return clusters.register(tenant, name, description, r.actor(), r.source())
        .map(reg -> Views.cluster(reg.cluster()).put("credential", reg.credential()));
  }

  private Future<JsonObject> rotate(AdminRequest r) {
    String tenant = r.tenant();
    return clusters.rotateCredential(tenant, r.path("id"), r.actor(), r.source())
        .map(reg -> Views.cluster(reg.cluster()).put("credential", reg.credential()));
  }

  private Future<Object> delete(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> {
      s.clusters().delete(tenant, id);
      s.notifyChange(ClusterService.CHANGE_TOPIC, tenant + "/" + id);
      audit.record(s, new AuditLog.Entry(tenant, r.actor(), "cluster.delete", "cluster:" + id, AuditLog.SUCCESS,
          r.source(), null));
      return null;
    });
  }
}
