package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.k8s.ReviewInvalidation;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /tenants/{t}/users}: list ({@code ?q=} searches username, email and name), create, get, update
 * (username, email, name, enabled), delete, set password
 * ({@code PUT .../password}, argon2 on the hasher's workers) and group membership ({@code PUT .../groups}).
 * {@code {id}} is the user's id or username. Changes a TokenReview answer depends on invalidate the webhook's caches
 * in the same transaction.
 */
final class UsersEndpoint {
  private final Storage storage;
  private final PasswordHasher hasher;
  private final AuditLog audit;
  private final java.time.Clock clock;

  UsersEndpoint(Storage storage, PasswordHasher hasher, AuditLog audit, java.time.Clock clock) {
    this.clock = clock;
    this.storage = storage;
    this.hasher = hasher;
    this.audit = audit;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/users";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::create));
    router.get(base + "/:id").handler(AdminRequest.handler(200, this::get));
    router.put(base + "/:id").handler(AdminRequest.handler(200, this::update));
    router.delete(base + "/:id").handler(AdminRequest.handler(204, this::delete));
    router.put(base + "/:id/password").handler(AdminRequest.handler(204, this::setPassword));
    router.get(base + "/:id/groups").handler(AdminRequest.handler(200, this::groups));
    router.put(base + "/:id/groups").handler(AdminRequest.handler(200, this::setGroups));
  }

  static void requireTenant(StoreSession s, String tenant) {
    if (s.tenants().find(tenant).isEmpty()) throw Problem.notFound("no tenant " + tenant);
  }

  /** The user {@code ref} names, by id or else by username (as groups and robots are found); a 404 problem if none. */
  static User user(StoreSession s, String tenant, String ref) {
    requireTenant(s, tenant);
    return AdminRequest.found(s.users().find(tenant, ref).or(() -> s.users().findByUsername(tenant, ref)),
        "user " + ref + " in tenant " + tenant);
  }

  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    Page page = r.page();
    String q = r.query("q");
    return storage.transaction(s -> {
      requireTenant(s, tenant);
      if (q != null && !q.isBlank()) { // search: a scan of the tenant's users, fine at admin request rates
        return page.slice(s.users().list(tenant, 0, Integer.MAX_VALUE).stream()
            .filter(u -> Page.matches(q, u.username(), u.email(), u.displayName())).toList(), Views::user);
      }
      return page.envelope(s.users().list(tenant, page.offset(), page.limit()), s.users().count(tenant), Views::user);
    });
  }

  private Future<JsonObject> get(AdminRequest r) {
    String tenant = r.tenant();
    String ref = r.path("id");
    return storage.transaction(s -> {
      User u = user(s, tenant, ref);
      return Views.user(u, s.groups().groupNamesOfUser(tenant, u.id()));
    });
  }

  private Future<JsonObject> create(AdminRequest r) {
    String tenant = r.tenant();
    Fields f = r.fields();
    String username = f.notReserved("username", f.required("username", Shapes.NAME, Shapes.NAME_MESSAGE));
    String email = f.notReserved("email", f.optional("email", Shapes.EMAIL, Shapes.EMAIL_MESSAGE));
    boolean emailVerified = f.bool("emailVerified", false);
    String displayName = f.optional("displayName", null, null);
    boolean enabled = f.bool("enabled", true);
    List<String> groups = f.strings("groups", null, null);
    String password = password(f, r.body(), false);
    f.check();
    Future<String> hash = password == null ? Future.succeededFuture(null) : hasher.hash(password.toCharArray());
    return hash.compose(h -> storage.transaction(s -> {
      requireTenant(s, tenant);
      if (s.users().findByUsername(tenant, username).isPresent()) {
        throw Problem.of(409, "username " + username + " is taken in tenant " + tenant);
      }
      java.time.Instant now = clock.instant();
      User user = new User(tenant, UUID.randomUUID().toString(), username, email, emailVerified, displayName, enabled,
          h, now, now);
      s.users().create(user);
      if (groups != null) s.groups().setGroupsOfUser(tenant, user.id(), GroupRefs.resolve(s, tenant, "groups", groups));
      audit.record(s, entry(r, tenant, "user.create", user, null));
      return Views.user(user, s.groups().groupNamesOfUser(tenant, user.id()));
    }));
  }

  private Future<JsonObject> update(AdminRequest r) {
    String tenant = r.tenant();
    String ref = r.path("id");
    JsonObject body = r.body();
    Fields f = new Fields(body);
    String username = f.notReserved("username", f.optional("username", Shapes.NAME, Shapes.NAME_MESSAGE));
    String email = f.notReserved("email", f.optional("email", Shapes.EMAIL, Shapes.EMAIL_MESSAGE));
    Boolean emailVerified = f.bool("emailVerified", null);
    String displayName = f.optional("displayName", null, null);
    Boolean enabled = f.bool("enabled", null);
    f.check();
    return storage.transaction(s -> {
      User old = user(s, tenant, ref);
      String id = old.id();
      r.requireCovers(s, tenant, id);
      if (username != null && !username.equals(old.username()) && s.users().findByUsername(tenant, username).isPresent()) {
        throw Problem.of(409, "username " + username + " is taken in tenant " + tenant);
      }
      User updated = new User(tenant, id, username != null ? username : old.username(),
          body.containsKey("email") ? email : old.email(),
          emailVerified != null ? emailVerified : (body.containsKey("email") && !java.util.Objects.equals(email,
              old.email()) ? false : old.emailVerified()),
          body.containsKey("displayName") ? displayName : old.displayName(),
          enabled != null ? enabled : old.enabled(), old.passwordHash(), old.createdAt(), clock.instant());
      s.users().update(updated);
      ReviewInvalidation.principalChanged(s, tenant, PrincipalType.USER, id);
      JsonObject details = new JsonObject().put("fields", new JsonArray(List.copyOf(body.fieldNames())));
      String action = enabled != null && enabled != old.enabled() ? (enabled ? "user.enable" : "user.disable") : "user.update";
      audit.record(s, entry(r, tenant, action, updated, details));
      return Views.user(updated, s.groups().groupNamesOfUser(tenant, id));
    });
  }

  private Future<Object> delete(AdminRequest r) {
    String tenant = r.tenant();
    String ref = r.path("id");
    return storage.transaction(s -> {
      User old = user(s, tenant, ref);
      String id = old.id();
      r.requireCovers(s, tenant, id);
      s.users().delete(tenant, id);
      ReviewInvalidation.principalChanged(s, tenant, PrincipalType.USER, id);
      audit.record(s, entry(r, tenant, "user.delete", old, null));
      return null;
    });
  }

  private Future<Object> setPassword(AdminRequest r) {
    String tenant = r.tenant();
    String ref = r.path("id");
    Fields f = r.fields();
    String password = password(f, r.body(), true);
    f.check();
    return storage.transaction(s -> { // 404 and 403 before spending argon2 time
          String id = user(s, tenant, ref).id();
          r.requireCovers(s, tenant, id);
          return id;
        })
        .compose(id -> hasher.hash(password.toCharArray()).compose(hash -> storage.transaction(s -> {
          User old = user(s, tenant, id);
          r.requireCovers(s, tenant, id);
          s.users().update(old.withPasswordHash(hash, clock.instant()));
          audit.record(s, entry(r, tenant, "user.set-password", old, null));
          return null;
        })));
  }

  private Future<JsonObject> groups(AdminRequest r) {
    String tenant = r.tenant();
    String ref = r.path("id");
    return storage.transaction(s -> {
      String id = user(s, tenant, ref).id();
      return new JsonObject().put("groups", new JsonArray(s.groups().groupNamesOfUser(tenant, id)));
    });
  }

  private Future<JsonObject> setGroups(AdminRequest r) {
    String tenant = r.tenant();
    String ref = r.path("id");
    Fields f = r.fields();
    List<String> groups = f.requiredStrings("groups", null, null);
    f.check();
    return storage.transaction(s -> {
      User u = user(s, tenant, ref);
      String id = u.id();
      Set<String> ids = GroupRefs.resolve(s, tenant, "groups", groups);
      s.groups().setGroupsOfUser(tenant, id, ids);
      ReviewInvalidation.principalChanged(s, tenant, PrincipalType.USER, id);
      List<String> names = s.groups().groupNamesOfUser(tenant, id);
      audit.record(s, entry(r, tenant, "user.set-groups", u, new JsonObject().put("groups", new JsonArray(names))));
      return new JsonObject().put("groups", new JsonArray(names));
    });
  }

  /** The {@code password} field: a string of MIN..MAX characters; required or optional. */
  private static String password(Fields f, JsonObject body, boolean required) {
    Object v = body.getValue("password");
    if (v == null) {
      if (required) f.error("password", "required");
      return null;
    }
    if (!(v instanceof String p) || p.length() < Shapes.MIN_PASSWORD || p.length() > Shapes.MAX_PASSWORD) {
      f.error("password", "a string of " + Shapes.MIN_PASSWORD + " to " + Shapes.MAX_PASSWORD + " characters");
      return null;
    }
    return p;
  }

  private static AuditLog.Entry entry(AdminRequest r, String tenant, String action, User u, JsonObject details) {
    return new AuditLog.Entry(tenant, r.actor(), action, "user:" + tenant + "/" + u.username(), AuditLog.SUCCESS,
        r.source(), details);
  }
}
