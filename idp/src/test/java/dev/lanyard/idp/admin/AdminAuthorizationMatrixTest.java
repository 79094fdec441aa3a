package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's authorization matrix: a global admin, the tenant admin of A, the tenant admin of B, no token,
 * a revoked token and a mistyped token, over representative endpoints of tenant A.
 */
class AdminAuthorizationMatrixTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient global;
  static AdminClient adminA;
  static AdminClient adminB;
  static AdminClient anonymous;
  static AdminClient revoked;
  static AdminClient mistyped;
  static String aliceId;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
    global = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    for (String t : List.of("a", "b")) {
      global.created("/tenants", new JsonObject().put("id", t).put("displayName", "Tenant " + t));
      String admin = global.created("/tenants/" + t + "/users", new JsonObject().put("username", "admin-" + t)
          .put("password", "password-of-admin-" + t)).getString("id");
      global.created("/admin-roles", new JsonObject().put("tenant", t).put("user", admin).put("scope", t));
    }
    aliceId = global.created("/tenants/a/users", new JsonObject().put("username", "alice")
        .put("email", "alice@a.example")).getString("id");
    global.created("/tenants/b/users", new JsonObject().put("username", "bob-of-b"));
    adminA = AdminClient.login(lanyard, "a", "admin-a", "password-of-admin-a");
    adminB = AdminClient.login(lanyard, "b", "admin-b", "password-of-admin-b");
    anonymous = global.as(null);

    HttpResponse<String> login = anonymous.call("POST", "/login", new JsonObject().put("tenant", "default")
        .put("username", "admin").put("password", TestLanyard.ADMIN_PASSWORD));
    JsonObject second = new JsonObject(login.body());
    global.expect(204, "DELETE", "/tenants/default/tokens/" + second.getString("id"), null);
    revoked = global.as(second.getString("token"));
    String t = global.token;
    mistyped = global.as(t.substring(0, t.length() - 1) + (t.endsWith("A") ? "B" : "A"));
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  /** Who calls, in matrix order. */
  static Map<String, AdminClient> callers() {
    Map<String, AdminClient> m = new LinkedHashMap<>();
    m.put("global", global);
    m.put("admin of A", adminA);
    m.put("admin of B", adminB);
    m.put("no token", anonymous);
    m.put("revoked token", revoked);
    m.put("mistyped token", mistyped);
    return m;
  }

  static void matrix(Function<AdminClient, HttpResponse<String>> call, int... expected) {
    int i = 0;
    for (var e : callers().entrySet()) {
      HttpResponse<String> res = call.apply(e.getValue());
      int want = expected[i++];
      assertThat(res.statusCode()).as(e.getKey() + ": " + res.body()).isEqualTo(want);
      if (want >= 400) AdminClient.problem(res, want);
    }
  }

  @Test
  @DisplayName("GET /tenants: 200 for admins, 401 without a valid token; a tenant admin sees only their tenant")
  void listTenants() {
    matrix(c -> c.get("/tenants"), 200, 200, 200, 401, 401, 401);
    assertThat(ids(global.ok("/tenants"))).contains("default", "a", "b");
    assertThat(ids(adminA.ok("/tenants"))).containsExactly("a");
    assertThat(ids(adminB.ok("/tenants"))).containsExactly("b");
    assertThat(adminA.ok("/tenants").getLong("total")).isEqualTo(1);
  }

  @Test
  @DisplayName("GET a user of A: global and A's admin only")
  void getUserOfA() {
    matrix(c -> c.get("/tenants/a/users/" + aliceId), 200, 200, 403, 401, 401, 401);
    assertThat(adminA.ok("/tenants/a/users/" + aliceId).getString("username")).isEqualTo("alice");
  }

  @Test
  @DisplayName("GET users of A: B's admin never sees them")
  void listUsersOfA() {
    matrix(c -> c.get("/tenants/a/users"), 200, 200, 403, 401, 401, 401);
    JsonArray items = adminA.ok("/tenants/a/users").getJsonArray("items");
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("tenant"))).containsOnly("a");
  }

  @Test
  @DisplayName("POST a user in A: 201 for global and A's admin, 403 for B's admin, 401 otherwise")
  void createUserInA() {
    int[] n = {0};
    matrix(c -> c.call("POST", "/tenants/a/users", new JsonObject().put("username", "new-" + n[0]++)),
        201, 201, 403, 401, 401, 401);
    assertThat(global.ok("/tenants/a/users?limit=500").getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("username"))).contains("new-0", "new-1").doesNotContain("new-2");
  }

  @Test
  @DisplayName("GET tokens of A: global and A's admin only")
  void listTokensOfA() {
    matrix(c -> c.get("/tenants/a/tokens"), 200, 200, 403, 401, 401, 401);
  }

  @Test
  @DisplayName("audit of A: global and A's admin only, and only A's events; B's admin sees only B's")
  void auditOfA() {
    matrix(c -> c.get("/audit?tenant=a"), 200, 200, 403, 401, 401, 401);
    matrix(c -> c.get("/tenants/a/audit"), 200, 200, 403, 401, 401, 401);
    JsonObject ofA = adminA.ok("/audit?tenant=a&limit=500");
    assertThat(ofA.getLong("total")).isPositive();
    assertThat(ofA.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("tenant"))).containsOnly("a");
    JsonObject implied = adminB.ok("/audit?limit=500");
    assertThat(implied.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("tenant"))).containsOnly("b");
    assertThat(implied.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("action")))
        .contains("user.create");
  }

  @Test
  @DisplayName("only global admins create or delete tenants and manage admin roles")
  void globalOnly() {
    AdminClient.problem(adminA.call("POST", "/tenants", new JsonObject().put("id", "c")), 403);
    AdminClient.problem(adminA.call("DELETE", "/tenants/a", null), 403);
    AdminClient.problem(adminA.call("GET", "/admin-roles", null), 403);
    AdminClient.problem(adminA.call("POST", "/admin-roles",
        new JsonObject().put("tenant", "a").put("user", aliceId).put("scope", "*")), 403);
    assertThat(global.ok("/admin-roles").getJsonArray("items").size()).isGreaterThanOrEqualTo(3);
    // A's admin cannot reach into default either.
    AdminClient.problem(adminA.call("GET", "/tenants/default", null), 403);
    AdminClient.problem(adminA.call("GET", "/tenants/default/tokens", null), 403);
  }

  @Test
  @DisplayName("401 answers say WWW-Authenticate: Bearer, also for a non-Bearer scheme")
  void unauthenticatedShape() {
    JsonObject p = AdminClient.problem(anonymous.get("/tenants"), 401);
    assertThat(p.getString("type")).isEqualTo("about:blank");
    HttpResponse<String> basic = lanyard.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(lanyard.baseUrl() + "/admin/api/v1/tenants")).header("Authorization", "Basic YTpi").GET());
    AdminClient.problem(basic, 401);
  }

  @Test
  @DisplayName("a tenant admin cannot take over a global admin whose account lives in their tenant")
  void noEscalation() {
    String root = global.created("/tenants/a/users", new JsonObject().put("username", "root-in-a")
        .put("password", "root-password-123")).getString("id");
    global.created("/admin-roles", new JsonObject().put("tenant", "a").put("user", root).put("scope", "*"));
    String path = "/tenants/a/users/" + root;
    AdminClient.problem(adminA.call("PUT", path + "/password", new JsonObject().put("password", "taken-over-1234")), 403);
    AdminClient.problem(adminA.call("PUT", path, new JsonObject().put("enabled", false)), 403);
    AdminClient.problem(adminA.call("DELETE", path, null), 403);
    JsonObject rootLogin = new JsonObject(anonymous.call("POST", "/login", new JsonObject().put("tenant", "a")
        .put("username", "root-in-a").put("password", "root-password-123")).body());
    AdminClient.problem(adminA.call("DELETE", "/tenants/a/tokens/" + rootLogin.getString("id"), null), 403);
    global.as(rootLogin.getString("token")).ok("/tenants");
    // Still an ordinary user of A for everything else.
    assertThat(adminA.ok(path).getString("username")).isEqualTo("root-in-a");
    global.expect(204, "PUT", path + "/password", new JsonObject().put("password", "root-password-456"));
  }

  static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
