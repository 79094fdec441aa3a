package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.bootstrap.ApiServerFlags;
import dev.lanyard.idp.k8s.ClusterService;
import dev.lanyard.storage.Storage;
import io.vertx.core.Future;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import dev.lanyard.idp.k8s.DeveloperKubeconfig;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.model.Cluster;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import io.vertx.ext.web.Router;

/**
 * {@code /tenants/{t}/clusters}: register a cluster (its TokenReview webhook credential is in the create
 * response only), list, get, rotate the credential ({@code POST .../credential}, shown once), delete, and the
 * files that connect it ({@code POST .../onboarding}).
 */
final class ClustersEndpoint {
  private final Storage storage;
  private final ClusterService clusters;
  private final AuditLog audit;
  private final ServerFacts facts;

  ClustersEndpoint(Storage storage, ClusterService clusters, AuditLog audit, ServerFacts facts) {
    this.storage = storage;
    this.clusters = clusters;
    this.audit = audit;
    this.facts = facts;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/clusters";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::create));
    router.get(base + "/:id").handler(AdminRequest.handler(200, this::get));
    router.post(base + "/:id/credential").handler(AdminRequest.handler(200, this::rotate));
    router.delete(base + "/:id").handler(AdminRequest.handler(204, this::delete));
    router.post(base + "/:id/onboarding").handler(AdminRequest.handler(200, this::onboarding));
  }

  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    Page page = r.page();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      return page.slice(s.clusters().list(tenant).stream()
          .filter(c -> Page.matches(r.query("q"), c.id(), c.description())).toList(), Views::cluster);
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

  /**
   * {@code POST .../onboarding {credential?, clientId?, clusterServer?}}: the files that connect the cluster
   * ({@link ClusterOnboarding}, {@link DeveloperKubeconfig}), built here so the console and the command line
   * write the same ones. POST because the body may carry the webhook credential, which must match the
   * cluster's (it is stored only as a hash); without it the webhook kubeconfig is left out. Without
   * {@code clusterServer} (the API server's URL) the developer kubeconfigs are left out. Without {@code clientId}
   * the files name the client {@code kubernetes}.
   */
  private Future<JsonObject> onboarding(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    Fields f = r.fields();
    String credential = f.optional("credential", null, null);
    String clientId = f.optional("clientId", Shapes.NAME, Shapes.NAME_MESSAGE);
    String server = f.optional("clusterServer", null, null);
    if (server != null) {
      String problem = serverProblem(server);
      if (problem != null) f.error("clusterServer", problem);
    }
    f.check();
    String client = clientId == null ? "kubernetes" : clientId;
    return storage.transaction(s -> {
      Tenant t = AdminRequest.found(s.tenants().find(tenant), "tenant " + tenant);
      Cluster c = AdminRequest.found(s.clusters().find(tenant, id), "cluster " + id + " in tenant " + tenant);
      if (credential != null && (c.credentialHash() == null
          || !MessageDigest.isEqual(c.credentialHash(), OpaqueTokenFormat.hash(credential)))) {
        throw Problem.invalid("credential", "not this cluster's current webhook credential");
      }
      // A named client must exist; the default one need not yet: the webhook path works without it.
      if (clientId != null && s.clients().find(tenant, clientId).isEmpty()) {
        throw Problem.invalid("clientId", "no client " + clientId + " in tenant " + tenant);
      }
      ClusterOnboarding o = new ClusterOnboarding(facts.publicUrl(), tenant, id, credential, facts.caPem(), null,
          client, ApiServerFlags.usernameClaim(t.settings()));
      JsonArray files = new JsonArray();
      o.files().forEach(file -> files.add(json(file)));
      if (server != null) {
        for (boolean device : new boolean[] {false, true}) {
          String yaml = new DeveloperKubeconfig(o.issuer(), client, facts.caPem(), id, server, null, device).yaml();
          files.add(json(new ClusterOnboarding.File("kubeconfig-" + id + (device ? "-device-code" : "") + ".yaml",
              "Developer kubeconfig (" + (device ? "device code" : "browser login") + ")", yaml, false)));
        }
      }
      return new JsonObject().put("cluster", Views.cluster(c)).put("issuer", o.issuer())
          .put("webhookUrl", o.webhookUrl()).put("files", files);
    });
  }

  private static JsonObject json(ClusterOnboarding.File f) {
    return new JsonObject().put("name", f.name()).put("title", f.title()).put("content", f.content())
        .put("secret", f.secret());
  }

  private static String serverProblem(String text) {
    try {
      URI uri = new URI(text);
      if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        return "an https URL, e.g. https://10.0.0.1:6443";
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) return "no query or fragment";
      return null;
    } catch (URISyntaxException e) {
      return "not a URL";
    }
  }
}
