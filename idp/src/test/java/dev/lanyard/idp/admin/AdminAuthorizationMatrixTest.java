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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admin API's authorization matrix: a global admin, the tenant admin of A, the tenant admin of B, no token,
 * a revoked token and a mistyped token, over every resource of tenant A ({@link #resourcesOfA} is the table);
 * and B's data never shows in A's answers.
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
  /** Ids of tenant B's data, which must never show in tenant A's answers. */
  static Map<String, String> ofB = new LinkedHashMap<>();

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
    ofB.put("groups", global.created("/tenants/b/groups", new JsonObject().put("name", "group-of-b")).getString("id"));
    ofB.put("robots", global.created("/tenants/b/robots", new JsonObject().put("name", "robot-of-b")).getString("id"));
    ofB.put("clients", global.created("/tenants/b/clients", confidentialClient("client-of-b")).getString("id"));
    ofB.put("clusters", global.created("/tenants/b/clusters", new JsonObject().put("name", "cluster-of-b")).getString("id"));
    ofB.put("tokens", global.created("/tenants/b/tokens", new JsonObject().put("user", "bob-of-b")).getString("id"));
    ofB.put("keys", global.ok("/tenants/b/keys").getJsonArray("items").getJsonObject(0).getString("kid"));
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

  static final int[] READ = {200, 200, 403, 401, 401, 401};
  static final int[] CREATE = {201, 201, 403, 401, 401, 401};
  static final int[] DELETE = {204, 204, 403, 401, 401, 401};
  static final AtomicInteger serial = new AtomicInteger();

  /** A request on tenant A's resources and the status each caller gets, in {@link #callers()} order. */
  record Row(String request, Function<AdminClient, HttpResponse<String>> call, int... expected) {
    @Override
    public String toString() {
      return request;
    }
  }

  static Stream<Row> resourcesOfA() {
    return Stream.of(
        new Row("GET groups", c -> c.get("/tenants/a/groups"), READ),
        new Row("POST group", c -> c.call("POST", "/tenants/a/groups", named("name", "group")), CREATE),
        new Row("GET robots", c -> c.get("/tenants/a/robots"), READ),
        new Row("POST robot", c -> c.call("POST", "/tenants/a/robots", named("name", "robot")), CREATE),
        new Row("GET clients", c -> c.get("/tenants/a/clients"), READ),
        new Row("POST client", c -> c.call("POST", "/tenants/a/clients", confidentialClient(unique("client"))), CREATE),
        new Row("GET clusters", c -> c.get("/tenants/a/clusters"), READ),
        new Row("POST cluster", c -> c.call("POST", "/tenants/a/clusters", named("name", "cluster")), CREATE),
        new Row("GET keys", c -> c.get("/tenants/a/keys"), READ),
        new Row("POST keys/rotate", c -> c.call("POST", "/tenants/a/keys/rotate", null), CREATE),
        new Row("POST token", c -> c.call("POST", "/tenants/a/tokens", new JsonObject().put("user", aliceId)), CREATE),
        new Row("DELETE token", c -> c.call("DELETE", "/tenants/a/tokens/" + tokenOfAlice(), null), DELETE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resourcesOfA")
  @DisplayName("tenant A's groups, robots, clients, clusters, keys and tokens: global and A's admin only")
  void resourceOfA(Row row) {
    matrix(row.call(), row.expected());
  }

  @Test
  @DisplayName("tenant B's groups, robots, clients, clusters, tokens and keys never appear in A's answers")
  void nothingOfBInA() {
    for (var e : ofB.entrySet()) {
      String list = "/tenants/a/" + e.getKey() + (e.getKey().equals("tokens") ? "?includeInactive=true&limit=500" : "?limit=500");
      String idField = e.getKey().equals("keys") ? "kid" : "id";
      for (AdminClient c : List.of(global, adminA)) {
        JsonArray items = c.ok(list).getJsonArray("items");
        assertThat(items.stream().map(o -> ((JsonObject) o).getString(idField))).as(list).doesNotContain(e.getValue());
        assertThat(items.encode()).as(list).doesNotContain("-of-b");
      }
      // B's id under A's path is not found, and B's own path is forbidden to A's admin.
      if (!e.getKey().equals("keys")) {
        AdminClient.problem(adminA.get("/tenants/a/" + e.getKey() + "/" + e.getValue()), 404);
      }
      AdminClient.problem(adminA.get("/tenants/b/" + e.getKey()), 403);
    }
    AdminClient.problem(adminA.call("DELETE", "/tenants/a/tokens/" + ofB.get("tokens"), null), 404);
    AdminClient.problem(adminA.call("DELETE", "/tenants/b/tokens/" + ofB.get("tokens"), null), 403);
    assertThat(global.ok("/tenants/b/tokens/" + ofB.get("tokens")).getBoolean("active")).isTrue();
  }

  /** A fresh token of alice (tenant A) for a revocation row. */
  static String tokenOfAlice() {
    return global.created("/tenants/a/tokens", new JsonObject().put("user", aliceId)).getString("id");
  }

  static JsonObject named(String field, String prefix) {
    return new JsonObject().put(field, unique(prefix));
  }

  static String unique(String prefix) {
    return prefix + "-" + serial.incrementAndGet();
  }

  static JsonObject confidentialClient(String id) {
    return new JsonObject().put("id", id).put("type", "confidential")
        .put("grantTypes", new JsonArray().add("client_credentials"));
  }

  static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
