package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.k8s.ReviewInvalidation;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.Group;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.UUID;

/**
 * {@code /tenants/{t}/groups}: list ({@code ?q=} searches names), create, get, rename, delete, and members
 * ({@code GET .../members};
 * {@code PUT} / {@code DELETE .../members/{userId}} add or remove one user). A rename or delete changes every
 * member's groups, so the webhook's cached view of the whole tenant is dropped.
 */
final class GroupsEndpoint {
  private final Storage storage;
  private final AuditLog audit;
  private final Clock clock;

  GroupsEndpoint(Storage storage, AuditLog audit, Clock clock) {
    this.storage = storage;
    this.audit = audit;
    this.clock = clock;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/groups";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::create));
    router.get(base + "/:id").handler(AdminRequest.handler(200, this::get));
    router.put(base + "/:id").handler(AdminRequest.handler(200, this::rename));
    router.delete(base + "/:id").handler(AdminRequest.handler(204, this::delete));
    router.get(base + "/:id/members").handler(AdminRequest.handler(200, this::members));
    router.put(base + "/:id/members/:user").handler(AdminRequest.handler(204, r -> member(r, true)));
    router.delete(base + "/:id/members/:user").handler(AdminRequest.handler(204, r -> member(r, false)));
  }

  private static Group group(StoreSession s, String tenant, String ref) {
    UsersEndpoint.requireTenant(s, tenant);
    return AdminRequest.found(s.groups().find(tenant, ref).or(() -> s.groups().findByName(tenant, ref)),
        "group " + ref + " in tenant " + tenant);
  }

  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    Page page = r.page();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      return page.slice(s.groups().list(tenant).stream().filter(g -> Page.matches(r.query("q"), g.name())).toList(),
          Views::group);
    });
  }

  private Future<JsonObject> get(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> {
      Group g = group(s, tenant, id);
      return Views.group(g).put("members", new JsonArray(s.groups().memberIds(tenant, g.id())));
    });
  }

  private Future<JsonObject> create(AdminRequest r) {
    String tenant = r.tenant();
    Fields f = r.fields();
    String name = f.notReserved("name", f.required("name", Shapes.NAME, Shapes.NAME_MESSAGE));
    f.check();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      if (s.groups().findByName(tenant, name).isPresent()) {
        throw Problem.of(409, "group " + name + " exists in tenant " + tenant);
      }
      Group g = new Group(tenant, UUID.randomUUID().toString(), name, clock.instant());
      s.groups().create(g);
      audit.record(s, entry(r, tenant, "group.create", name, null));
      return Views.group(g);
    });
  }

  private Future<JsonObject> rename(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    Fields f = r.fields();
    String name = f.notReserved("name", f.required("name", Shapes.NAME, Shapes.NAME_MESSAGE));
    f.check();
    return storage.transaction(s -> {
      Group old = group(s, tenant, id);
      if (!old.name().equals(name) && s.groups().findByName(tenant, name).isPresent()) {
        throw Problem.of(409, "group " + name + " exists in tenant " + tenant);
      }
      Group renamed = new Group(tenant, old.id(), name, old.createdAt());
      s.groups().update(renamed);
      ReviewInvalidation.tenantChanged(s, tenant);
      audit.record(s, entry(r, tenant, "group.rename", name, new JsonObject().put("from", old.name())));
      return Views.group(renamed);
    });
  }

  private Future<Object> delete(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> {
      Group old = group(s, tenant, id);
      s.groups().delete(tenant, old.id());
      ReviewInvalidation.tenantChanged(s, tenant);
      audit.record(s, entry(r, tenant, "group.delete", old.name(), null));
      return null;
    });
  }

  private Future<JsonObject> members(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    Page page = r.page();
    return storage.transaction(s -> {
      Group g = group(s, tenant, id);
      return page.slice(s.groups().memberIds(tenant, g.id()).stream()
          .flatMap(u -> s.users().find(tenant, u).stream()).toList(), Views::user);
    });
  }

  private Future<Object> member(AdminRequest r, boolean add) {
    String tenant = r.tenant();
    String id = r.path("id");
    String user = r.path("user");
    return storage.transaction(s -> {
      Group g = group(s, tenant, id);
      var u = AdminRequest.found(s.users().find(tenant, user).or(() -> s.users().findByUsername(tenant, user)),
          "user " + user + " in tenant " + tenant);
      if (add) {
        s.groups().addMember(tenant, g.id(), u.id());
      } else {
        s.groups().removeMember(tenant, g.id(), u.id());
      }
      ReviewInvalidation.principalChanged(s, tenant, dev.lanyard.storage.model.PrincipalType.USER, u.id());
      audit.record(s, entry(r, tenant, add ? "group.add-member" : "group.remove-member", g.name(),
          new JsonObject().put("user", u.username())));
      return null;
    });
  }

  private static AuditLog.Entry entry(AdminRequest r, String tenant, String action, String name, JsonObject details) {
    return new AuditLog.Entry(tenant, r.actor(), action, "group:" + tenant + "/" + name, AuditLog.SUCCESS, r.source(),
        details);
  }
}
