package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.k8s.ReviewInvalidation;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * {@code /tenants/{t}/robots}: non-human principals. List ({@code ?q=} searches name and
 * description), create, get, update (name, description, enabled),
 * delete (with its tokens), groups ({@code PUT .../groups}).
 */
final class RobotsEndpoint {
  private final Storage storage;
  private final AuditLog audit;
  private final Clock clock;

  RobotsEndpoint(Storage storage, AuditLog audit, Clock clock) {
    this.storage = storage;
    this.audit = audit;
    this.clock = clock;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/robots";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::create));
    router.get(base + "/:id").handler(AdminRequest.handler(200, this::get));
    router.put(base + "/:id").handler(AdminRequest.handler(200, this::update));
    router.delete(base + "/:id").handler(AdminRequest.handler(204, this::delete));
    router.put(base + "/:id/groups").handler(AdminRequest.handler(200, this::setGroups));
  }

  private static Robot robot(StoreSession s, String tenant, String ref) {
    UsersEndpoint.requireTenant(s, tenant);
    return AdminRequest.found(s.robots().find(tenant, ref).or(() -> s.robots().findByName(tenant, ref)),
        "robot " + ref + " in tenant " + tenant);
  }

  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    Page page = r.page();
    String q = r.query("q");
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      if (q != null && !q.isBlank()) {
        return page.slice(s.robots().list(tenant, 0, Integer.MAX_VALUE).stream()
            .filter(b -> Page.matches(q, b.name(), b.description())).toList(), Views::robot);
      }
      return page.envelope(s.robots().list(tenant, page.offset(), page.limit()), s.robots().count(tenant), Views::robot);
    });
  }

  private Future<JsonObject> get(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> {
      Robot robot = robot(s, tenant, id);
      return Views.robot(robot, s.robots().groupNames(tenant, robot.id()));
    });
  }

  private Future<JsonObject> create(AdminRequest r) {
    String tenant = r.tenant();
    Fields f = r.fields();
    String name = f.notReserved("name", f.required("name", Shapes.NAME, Shapes.NAME_MESSAGE));
    String description = f.optional("description", null, null);
    boolean enabled = f.bool("enabled", true);
    List<String> groups = f.strings("groups", null, null);
    f.check();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      if (s.robots().findByName(tenant, name).isPresent()) {
        throw Problem.of(409, "robot " + name + " exists in tenant " + tenant);
      }
      var now = clock.instant();
      Robot robot = new Robot(tenant, UUID.randomUUID().toString(), name, description, enabled, now, now);
      s.robots().create(robot);
      if (groups != null) s.robots().setGroups(tenant, robot.id(), GroupRefs.resolve(s, tenant, "groups", groups));
      audit.record(s, entry(r, tenant, "robot.create", name, null));
      return Views.robot(robot, s.robots().groupNames(tenant, robot.id()));
    });
  }

  private Future<JsonObject> update(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    JsonObject body = r.body();
    Fields f = new Fields(body);
    String name = f.notReserved("name", f.optional("name", Shapes.NAME, Shapes.NAME_MESSAGE));
    String description = f.optional("description", null, null);
    Boolean enabled = f.bool("enabled", null);
    f.check();
    return storage.transaction(s -> {
      Robot old = robot(s, tenant, id);
      if (name != null && !name.equals(old.name()) && s.robots().findByName(tenant, name).isPresent()) {
        throw Problem.of(409, "robot " + name + " exists in tenant " + tenant);
      }
      Robot updated = new Robot(tenant, old.id(), name != null ? name : old.name(),
          body.containsKey("description") ? description : old.description(),
          enabled != null ? enabled : old.enabled(), old.createdAt(), clock.instant());
      s.robots().update(updated);
      ReviewInvalidation.principalChanged(s, tenant, PrincipalType.ROBOT, old.id());
      audit.record(s, entry(r, tenant, "robot.update", updated.name(),
          new JsonObject().put("fields", new JsonArray(List.copyOf(body.fieldNames())))));
      return Views.robot(updated, s.robots().groupNames(tenant, old.id()));
    });
  }

  private Future<Object> delete(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> {
      Robot old = robot(s, tenant, id);
      s.robots().delete(tenant, old.id());
      ReviewInvalidation.principalChanged(s, tenant, PrincipalType.ROBOT, old.id());
      audit.record(s, entry(r, tenant, "robot.delete", old.name(), null));
      return null;
    });
  }

  private Future<JsonObject> setGroups(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    Fields f = r.fields();
    List<String> groups = f.requiredStrings("groups", null, null);
    f.check();
    return storage.transaction(s -> {
      Robot robot = robot(s, tenant, id);
      s.robots().setGroups(tenant, robot.id(), GroupRefs.resolve(s, tenant, "groups", groups));
      ReviewInvalidation.principalChanged(s, tenant, PrincipalType.ROBOT, robot.id());
      List<String> names = s.robots().groupNames(tenant, robot.id());
      audit.record(s, entry(r, tenant, "robot.set-groups", robot.name(), new JsonObject().put("groups", new JsonArray(names))));
      return new JsonObject().put("groups", new JsonArray(names));
    });
  }

  private static AuditLog.Entry entry(AdminRequest r, String tenant, String action, String name, JsonObject details) {
    return new AuditLog.Entry(tenant, r.actor(), action, "robot:" + tenant + "/" + name, AuditLog.SUCCESS, r.source(),
        details);
  }
}
