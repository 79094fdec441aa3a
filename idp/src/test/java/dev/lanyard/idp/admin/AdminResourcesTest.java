package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRUD happy paths, validation, duplicates and missing resources of the admin API, as a global admin. */
class AdminResourcesTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient admin;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static List<String> field(JsonObject page, String name) {
    return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString(name)).toList();
  }

  @Test
  @DisplayName("tenants: create with settings and a first key, discovery works, update, duplicate 409, delete")
  void tenants() {
    JsonObject t = admin.created("/tenants", new JsonObject().put("id", "crud").put("displayName", "CRUD")
        .put("settings", new JsonObject().put("usernameFrom", "email").put("tokenMaxTtl", "90d")));
    assertThat(t.getJsonObject("settings").getString("usernameFrom")).isEqualTo("email");
    assertThat(t.getJsonObject("settings").getString("tokenMaxTtl")).isEqualTo("90d");
    assertThat(lanyard.getJson("/t/crud/.well-known/openid-configuration").getString("issuer"))
        .isEqualTo(lanyard.issuer("crud"));
    assertThat(admin.ok("/tenants/crud/keys").getJsonArray("items")).hasSize(1);
    JsonObject updated = admin.expect(200, "PUT", "/tenants/crud", new JsonObject().put("displayName", "Renamed")
        .put("settings", new JsonObject().put("robotPrefix", "bot:")));
    assertThat(updated.getString("displayName")).isEqualTo("Renamed");
    assertThat(updated.getJsonObject("settings").getString("robotPrefix")).isEqualTo("bot:");
    assertThat(updated.getJsonObject("settings").getString("usernameFrom")).isEqualTo("email");
    AdminClient.problem(admin.call("POST", "/tenants", new JsonObject().put("id", "crud")), 409);
    JsonObject bad = AdminClient.problem(admin.call("POST", "/tenants", new JsonObject().put("id", "Bad Id")
        .put("settings", new JsonObject().put("usernameFrom", "phone").put("tokenDefaultTtl", "soon"))), 400);
    assertThat(bad.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("id", "settings.usernameFrom", "settings.tokenDefaultTtl");
    admin.expect(204, "DELETE", "/tenants/crud", null);
    AdminClient.problem(admin.get("/tenants/crud"), 404);
    AdminClient.problem(admin.call("DELETE", "/tenants/crud", null), 404);
  }

  @Test
  @DisplayName("users: create, get, update email and name, disable, set password, groups, pagination, delete")
  void users() {
    admin.created("/tenants/default/groups", new JsonObject().put("name", "u-dev"));
    admin.created("/tenants/default/groups", new JsonObject().put("name", "u-ops"));
    JsonObject u = admin.created("/tenants/default/users", new JsonObject().put("username", "u-carol")
        .put("email", "carol@example.com").put("displayName", "Carol").put("password", "carol-password-1")
        .put("groups", new JsonArray().add("u-dev")));
    String id = u.getString("id");
    assertThat(u.getBoolean("hasPassword")).isTrue();
    assertThat(u.containsKey("passwordHash")).isFalse();
    assertThat(u.getJsonArray("groups")).containsExactly("u-dev");
    JsonObject updated = admin.expect(200, "PUT", "/tenants/default/users/" + id, new JsonObject()
        .put("email", "c@example.com").put("emailVerified", true).put("displayName", "Carol C").put("enabled", false));
    assertThat(updated.getString("email")).isEqualTo("c@example.com");
    assertThat(updated.getBoolean("enabled")).isFalse();
    assertThat(admin.ok("/tenants/default/users/" + id).getString("displayName")).isEqualTo("Carol C");
    admin.expect(200, "PUT", "/tenants/default/users/" + id, new JsonObject().put("enabled", true));
    admin.expect(204, "PUT", "/tenants/default/users/" + id + "/password",
        new JsonObject().put("password", "a-new-password-2"));
    // The new password works at the token endpoint.
    HttpResponse<String> grant = lanyard.postForm("/t/default/token", Map.of("grant_type", "password",
        "client_id", "kubernetes", "username", "u-carol", "password", "a-new-password-2", "scope", "openid"), null);
    assertThat(grant.statusCode()).as(grant.body()).isEqualTo(200);
    JsonObject groups = admin.expect(200, "PUT", "/tenants/default/users/" + id + "/groups",
        new JsonObject().put("groups", new JsonArray().add("u-ops").add("u-dev")));
    assertThat(groups.getJsonArray("groups")).containsExactly("u-dev", "u-ops");
    JsonObject unknownGroup = AdminClient.problem(admin.call("PUT", "/tenants/default/users/" + id + "/groups",
        new JsonObject().put("groups", new JsonArray().add("u-dev").add("nope"))), 400);
    assertThat(unknownGroup.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("groups[1]");

    for (int i = 0; i < 3; i++) admin.created("/tenants/default/users", new JsonObject().put("username", "page-" + i));
    JsonObject page = admin.ok("/tenants/default/users?offset=1&limit=2");
    assertThat(page.getJsonArray("items")).hasSize(2);
    assertThat(page.getInteger("offset")).isEqualTo(1);
    assertThat(page.getInteger("limit")).isEqualTo(2);
    assertThat(page.getLong("total")).isGreaterThanOrEqualTo(5);
    AdminClient.problem(admin.get("/tenants/default/users?limit=100000"), 400);

    AdminClient.problem(admin.call("POST", "/tenants/default/users", new JsonObject().put("username", "u-carol")), 409);
    JsonObject invalid = AdminClient.problem(admin.call("POST", "/tenants/default/users", new JsonObject()
        .put("username", "has space").put("email", "not-an-email").put("password", "short")), 400);
    assertThat(invalid.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("username", "email", "password");
    AdminClient.problem(admin.get("/tenants/default/users/no-such-user"), 404);
    AdminClient.problem(admin.get("/tenants/nope/users"), 404);

    admin.expect(204, "DELETE", "/tenants/default/users/" + id, null);
    AdminClient.problem(admin.get("/tenants/default/users/" + id), 404);
  }

  @Test
  @DisplayName("groups: create, rename, members, delete; duplicate name 409")
  void groups() {
    JsonObject g = admin.created("/tenants/default/groups", new JsonObject().put("name", "g-one"));
    String id = g.getString("id");
    String user = admin.created("/tenants/default/users", new JsonObject().put("username", "g-member")).getString("id");
    admin.expect(204, "PUT", "/tenants/default/groups/" + id + "/members/" + user, null);
    assertThat(field(admin.ok("/tenants/default/groups/" + id + "/members"), "username")).containsExactly("g-member");
    assertThat(admin.expect(200, "PUT", "/tenants/default/groups/" + id, new JsonObject().put("name", "g-renamed"))
        .getString("name")).isEqualTo("g-renamed");
    assertThat(admin.ok("/tenants/default/users/" + user).getJsonArray("groups")).containsExactly("g-renamed");
    AdminClient.problem(admin.call("POST", "/tenants/default/groups", new JsonObject().put("name", "g-renamed")), 409);
    admin.expect(204, "DELETE", "/tenants/default/groups/" + id + "/members/" + user, null);
    assertThat(admin.ok("/tenants/default/groups/" + id + "/members").getJsonArray("items")).isEmpty();
    admin.expect(204, "DELETE", "/tenants/default/groups/" + id, null);
    AdminClient.problem(admin.get("/tenants/default/groups/" + id), 404);
  }

  @Test
  @DisplayName("clients: confidential secret shown once and usable, rotation, public client, redirect URI validation")
  void clients() {
    JsonObject c = admin.created("/tenants/default/clients", new JsonObject().put("id", "ci-app")
        .put("type", "confidential").put("grantTypes", new JsonArray().add("password"))
        .put("redirectUris", new JsonArray()));
    String secret = c.getString("secret");
    assertThat(secret).hasSizeGreaterThan(40);
    assertThat(admin.ok("/tenants/default/clients/ci-app").containsKey("secret")).isFalse();
    Map<String, String> form = Map.of("grant_type", "password", "username", "admin", "password",
        TestLanyard.ADMIN_PASSWORD, "scope", "openid");
    assertThat(lanyard.postForm("/t/default/token", form, "ci-app:" + secret).statusCode()).isEqualTo(200);
    String rotated = admin.expect(200, "POST", "/tenants/default/clients/ci-app/secret", null).getString("secret");
    assertThat(rotated).isNotEqualTo(secret);
    assertThat(lanyard.postForm("/t/default/token", form, "ci-app:" + secret).statusCode()).isEqualTo(401);
    assertThat(lanyard.postForm("/t/default/token", form, "ci-app:" + rotated).statusCode()).isEqualTo(200);
    // The token endpoint keeps clients in memory: an edit and a deletion must reach it at once.
    admin.expect(200, "PUT", "/tenants/default/clients/ci-app", new JsonObject()
        .put("grantTypes", new JsonArray().add("client_credentials")));
    assertThat(lanyard.postForm("/t/default/token", form, "ci-app:" + rotated).body()).contains("unauthorized_client");
    admin.expect(204, "DELETE", "/tenants/default/clients/ci-app", null);
    assertThat(lanyard.postForm("/t/default/token", form, "ci-app:" + rotated).statusCode()).isEqualTo(401);

    JsonObject pub = admin.created("/tenants/default/clients", new JsonObject().put("id", "spa").put("type", "public")
        .put("redirectUris", new JsonArray().add("http://localhost:8000").add("https://app.example.com/cb")));
    assertThat(pub.getString("type")).isEqualTo("public");
    assertThat(pub.containsKey("secret")).isFalse();
    AdminClient.problem(admin.call("POST", "/tenants/default/clients/spa/secret", null), 400);
    JsonObject updated = admin.expect(200, "PUT", "/tenants/default/clients/spa", new JsonObject()
        .put("redirectUris", new JsonArray().add("https://app.example.com/new")));
    assertThat(updated.getJsonArray("redirectUris")).containsExactly("https://app.example.com/new");

    JsonObject bad = AdminClient.problem(admin.call("PUT", "/tenants/default/clients/spa", new JsonObject()
        .put("redirectUris", new JsonArray().add("http://evil.example.com/cb").add("https://ok.example.com/#frag"))
        .put("grantTypes", new JsonArray().add("implicit"))), 400);
    assertThat(bad.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("redirectUris[0]", "redirectUris[1]", "grantTypes[0]");
    AdminClient.problem(admin.call("POST", "/tenants/default/clients", new JsonObject().put("id", "spa")
        .put("type", "public").put("redirectUris", new JsonArray().add("http://localhost:8000"))), 409);
    admin.expect(204, "DELETE", "/tenants/default/clients/spa", null);
    AdminClient.problem(admin.get("/tenants/default/clients/spa"), 404);
  }

  @Test
  @DisplayName("robots: create with groups, update, disable, tokens refused for a disabled robot (400), delete")
  void robots() {
    admin.created("/tenants/default/groups", new JsonObject().put("name", "r-deployers"));
    JsonObject r = admin.created("/tenants/default/robots", new JsonObject().put("name", "ci-bot")
        .put("description", "CI").put("groups", new JsonArray().add("r-deployers")));
    String id = r.getString("id");
    assertThat(r.getJsonArray("groups")).containsExactly("r-deployers");
    JsonObject token = admin.created("/tenants/default/tokens", new JsonObject().put("robot", "ci-bot")
        .put("ttl", "7d").put("description", "pipeline"));
    assertThat(token.getString("token")).startsWith("lyk_");
    assertThat(token.getString("robot")).isEqualTo(id);
    admin.expect(200, "PUT", "/tenants/default/robots/" + id, new JsonObject().put("enabled", false));
    JsonObject refused = AdminClient.problem(admin.call("POST", "/tenants/default/tokens",
        new JsonObject().put("robot", id)), 400);
    assertThat(refused.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("robot");
    assertThat(admin.expect(200, "PUT", "/tenants/default/robots/" + id + "/groups",
        new JsonObject().put("groups", new JsonArray())).getJsonArray("groups")).isEmpty();
    AdminClient.problem(admin.call("POST", "/tenants/default/robots", new JsonObject().put("name", "ci-bot")), 409);
    assertThat(field(admin.ok("/tenants/default/robots"), "name")).contains("ci-bot");
    admin.expect(204, "DELETE", "/tenants/default/robots/" + id, null);
    AdminClient.problem(admin.get("/tenants/default/robots/" + id), 404);
  }

  @Test
  @DisplayName("tokens: ttl validation names the field, an unknown user is a 400 naming user, list shows it, revoke hides it")
  void tokens() {
    admin.created("/tenants/default/users", new JsonObject().put("username", "t-dave"));
    JsonObject bad = AdminClient.problem(admin.call("POST", "/tenants/default/tokens",
        new JsonObject().put("user", "t-dave").put("ttl", "forever")), 400);
    assertThat(bad.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("ttl");
    AdminClient.problem(admin.call("POST", "/tenants/default/tokens",
        new JsonObject().put("user", "t-dave").put("ttl", "9999d")), 400);
    AdminClient.problem(admin.call("POST", "/tenants/default/tokens", new JsonObject()), 400);
    JsonObject unknown = AdminClient.problem(admin.call("POST", "/tenants/default/tokens",
        new JsonObject().put("user", "nobody")), 400);
    assertThat(unknown.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("user");
    assertThat(unknown.getJsonArray("errors").getJsonObject(0).getString("message")).contains("nobody");
    JsonObject unknownRobot = AdminClient.problem(admin.call("POST", "/tenants/default/tokens",
        new JsonObject().put("robot", "no-bot")), 400);
    assertThat(unknownRobot.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("robot");
    JsonObject t = admin.created("/tenants/default/tokens", new JsonObject().put("user", "t-dave").put("ttl", "30d"));
    assertThat(field(admin.ok("/tenants/default/tokens?user=t-dave"), "id")).containsExactly(t.getString("id"));
    JsonObject listed = admin.ok("/tenants/default/tokens/" + t.getString("id"));
    assertThat(listed.containsKey("token")).isFalse();
    assertThat(listed.containsKey("lastUsedAt")).isTrue();
    admin.expect(204, "DELETE", "/tenants/default/tokens/" + t.getString("id"), null);
    assertThat(admin.ok("/tenants/default/tokens?user=t-dave").getJsonArray("items")).isEmpty();
    assertThat(admin.ok("/tenants/default/tokens?user=t-dave&includeInactive=true").getJsonArray("items")
        .getJsonObject(0).getBoolean("active")).isFalse();
    AdminClient.problem(admin.call("DELETE", "/tenants/default/tokens/no-such-token", null), 404);
  }

  @Test
  @DisplayName("tokens: an unknown cluster is a 400 naming clusters[i], a disabled user one naming user")
  void tokenErrorsNameTheRequestField() {
    admin.created("/tenants/default/clusters", new JsonObject().put("name", "f-prod"));
    admin.created("/tenants/default/users", new JsonObject().put("username", "f-erin"));
    JsonObject unknown = AdminClient.problem(admin.call("POST", "/tenants/default/tokens", new JsonObject()
        .put("user", "f-erin").put("clusters", new JsonArray().add("f-prod").add("f-nowhere"))), 400);
    assertThat(unknown.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("clusters[1]");
    assertThat(unknown.getJsonArray("errors").getJsonObject(0).getString("message")).contains("f-nowhere");
    assertThat(admin.created("/tenants/default/tokens", new JsonObject().put("user", "f-erin")
        .put("clusters", new JsonArray().add("f-prod"))).getJsonArray("clusters")).containsExactly("f-prod");
    admin.expect(200, "PUT", "/tenants/default/users/" + admin.ok("/tenants/default/users?q=f-erin")
        .getJsonArray("items").getJsonObject(0).getString("id"), new JsonObject().put("enabled", false));
    JsonObject disabled = AdminClient.problem(admin.call("POST", "/tenants/default/tokens",
        new JsonObject().put("user", "f-erin")), 400);
    assertThat(disabled.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("user");
  }

  @Test
  @DisplayName("keys: list without key material, rotate publishes a second key")
  void keys() {
    admin.created("/tenants", new JsonObject().put("id", "keys"));
    JsonObject next = admin.created("/tenants/keys/keys/rotate", null);
    assertThat(next.getString("state")).isEqualTo("published");
    JsonArray keys = admin.ok("/tenants/keys/keys").getJsonArray("items");
    assertThat(keys).hasSize(2);
    assertThat(keys.getJsonObject(0).fieldNames()).contains("kid", "alg", "state", "createdAt", "activeFrom")
        .doesNotContain("privateKey", "publicKey");
    assertThat(admin.ok("/audit?tenant=keys&action=key.").getLong("total")).isEqualTo(1);
  }

  @Test
  @DisplayName("bad requests: not JSON, not an object, too large, unknown path: problem JSON each")
  void badRequests() {
    AdminClient.problem(admin.raw("POST", "/tenants/default/users", "{nope"), 400);
    AdminClient.problem(admin.raw("POST", "/tenants/default/users", "[1,2]"), 400);
    AdminClient.problem(admin.raw("POST", "/tenants/default/users", "{\"username\":\"" + "x".repeat(70_000) + "\"}"), 413);
    AdminClient.problem(admin.get("/no/such/thing"), 404);
    AdminClient.problem(admin.call("POST", "/tenants/default/users", new JsonObject().put("username", 42)), 400);
  }

  @Test
  @DisplayName("openapi.json is served and names the paths built")
  void openApi() {
    HttpResponse<String> res = lanyard.get("/admin/api/v1/openapi.json");
    assertThat(res.statusCode()).isEqualTo(200);
    JsonObject doc = new JsonObject(res.body());
    assertThat(doc.getString("openapi")).startsWith("3.1");
    assertThat(doc.getJsonObject("paths").fieldNames()).contains("/login", "/tenants", "/tenants/{tenant}/users",
        "/tenants/{tenant}/tokens", "/tenants/{tenant}/keys/rotate", "/audit", "/admin-roles");
  }
}
