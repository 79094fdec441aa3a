package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.AdminRole;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.regex.Pattern;

/**
 * {@code /admin-roles} (global admins only): list, grant ({@code POST {tenant, user, scope}}, user by id or
 * username, scope {@code *} or a tenant id) and revoke ({@code DELETE /admin-roles/{tenant}/{user}/{scope}}).
 */
final class AdminRolesEndpoint {
  private static final Pattern SCOPE = Pattern.compile("\\*|[a-z0-9][a-z0-9-]{0,62}");

  private final Storage storage;
  private final AuditLog audit;

  AdminRolesEndpoint(Storage storage, AuditLog audit) {
    this.storage = storage;
    this.audit = audit;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/admin-roles";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::grant));
    router.delete(base + "/:userTenant/:user/:scope").handler(AdminRequest.handler(204, this::revoke));
  }

  private Future<JsonObject> list(AdminRequest r) {
    r.requireGlobal();
    Page page = r.page();
    return storage.transaction(s -> page.slice(s.adminRoles().list(), Views::role));
  }

  private Future<JsonObject> grant(AdminRequest r) {
    r.requireGlobal();
    Fields f = r.fields();
    String tenant = f.required("tenant", Shapes.TENANT_ID, Shapes.TENANT_ID_MESSAGE);
    String user = f.required("user", null, null);
    String scope = f.required("scope", SCOPE, "'*' or a tenant id");
    f.check();
    return storage.transaction(s -> {
      if (s.tenants().find(tenant).isEmpty()) throw Problem.invalid("tenant", "no tenant " + tenant);
      User u = AdminRequest.referenced("user",
          s.users().find(tenant, user).or(() -> s.users().findByUsername(tenant, user)),
          "user " + user + " in tenant " + tenant);
      if (!AdminRole.GLOBAL.equals(scope) && s.tenants().find(scope).isEmpty()) {
        throw Problem.invalid("scope", "no tenant " + scope);
      }
      AdminRole role = new AdminRole(tenant, u.id(), scope);
      s.adminRoles().grant(role);
      audit.record(s, new AuditLog.Entry(AdminRole.GLOBAL.equals(scope) ? tenant : scope, r.actor(), "admin-role.grant",
          "user:" + tenant + "/" + u.username(), AuditLog.SUCCESS, r.source(), new JsonObject().put("scope", scope)));
      return Views.role(role);
    });
  }

  private Future<Object> revoke(AdminRequest r) {
    r.requireGlobal();
    String tenant = r.path("userTenant");
    String user = r.path("user");
    String scope = r.path("scope");
    return storage.transaction(s -> {
      AdminRole role = new AdminRole(tenant, user, scope);
      if (!s.adminRoles().revoke(role)) throw Problem.notFound("no such admin role");
      audit.record(s, new AuditLog.Entry(AdminRole.GLOBAL.equals(scope) ? tenant : scope, r.actor(),
          "admin-role.revoke", "user:" + tenant + "/" + user, AuditLog.SUCCESS, r.source(),
          new JsonObject().put("scope", scope)));
      return null;
    });
  }
}
