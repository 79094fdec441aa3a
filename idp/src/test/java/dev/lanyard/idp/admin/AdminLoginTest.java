package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /admin/api/v1/login}: who gets an admin token, who does not, and what is audited. */
class AdminLoginTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient admin;
  static AdminClient anonymous;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    anonymous = admin.as(null);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static JsonObject login(String tenant, String username, String password) {
    return new JsonObject().put("tenant", tenant).put("username", username).put("password", password);
  }

  @Test
  @DisplayName("the seeded admin holds the global role and gets a 12-hour lya_ token")
  void seededAdmin() {
    JsonObject res = anonymous.expect(200, "POST", "/login", login("default", "admin", TestLanyard.ADMIN_PASSWORD));
    assertThat(res.getString("token")).startsWith("lya_");
    assertThat(res.getString("tokenType")).isEqualTo("Bearer");
    Duration ttl = Duration.between(Instant.now(), Instant.parse(res.getString("expiresAt")));
    assertThat(ttl).isBetween(Duration.ofHours(11), Duration.ofHours(12));
    assertThat(admin.ok("/admin-roles").getJsonArray("items").getJsonObject(0).getString("scope")).isEqualTo("*");
  }

  @Test
  @DisplayName("wrong password and unknown user: the same 401, and the failure is audited")
  void failures() {
    JsonObject wrong = AdminClient.problem(anonymous.call("POST", "/login", login("default", "admin", "not-the-password")), 401);
    JsonObject unknown = AdminClient.problem(anonymous.call("POST", "/login", login("default", "nobody", "whatever-it-is")), 401);
    assertThat(wrong.getString("detail")).isEqualTo(unknown.getString("detail"));
    JsonObject events = admin.ok("/audit?tenant=default&action=admin.login&actor=user:default/admin");
    assertThat(events.getLong("total")).isPositive();
    assertThat(events.getJsonArray("items").getJsonObject(0).getString("outcome")).isEqualTo("failure");
  }

  @Test
  @DisplayName("a user without an admin role gets 403; a disabled admin gets 401 and their token stops working")
  void rolesAndDisabled() {
    admin.created("/tenants/default/users", new JsonObject().put("username", "plain").put("password", "plain-password-1"));
    AdminClient.problem(anonymous.call("POST", "/login", login("default", "plain", "plain-password-1")), 403);

    String id = admin.created("/tenants/default/users", new JsonObject().put("username", "second-admin")
        .put("password", "second-password-1")).getString("id");
    JsonObject noUser = AdminClient.problem(admin.call("POST", "/admin-roles",
        new JsonObject().put("tenant", "default").put("user", "no-such-admin").put("scope", "*")), 400);
    assertThat(noUser.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("user");
    JsonObject noTenant = AdminClient.problem(admin.call("POST", "/admin-roles",
        new JsonObject().put("tenant", "no-such-tenant").put("user", "second-admin").put("scope", "*")), 400);
    assertThat(noTenant.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("tenant");
    admin.created("/admin-roles", new JsonObject().put("tenant", "default").put("user", "second-admin").put("scope", "*"));
    AdminClient second = AdminClient.login(lanyard, "default", "second-admin", "second-password-1");
    second.ok("/tenants");
    admin.expect(200, "PUT", "/tenants/default/users/" + id, new JsonObject().put("enabled", false));
    AdminClient.problem(second.get("/tenants"), 401);
    AdminClient.problem(anonymous.call("POST", "/login", login("default", "second-admin", "second-password-1")), 401);

    admin.expect(200, "PUT", "/tenants/default/users/" + id, new JsonObject().put("enabled", true));
    second.ok("/tenants");
    admin.expect(204, "DELETE", "/admin-roles/default/" + id + "/*", null);
    AdminClient.problem(second.get("/tenants"), 401);
  }

  @Test
  @DisplayName("missing fields are named")
  void validation() {
    JsonObject p = AdminClient.problem(anonymous.call("POST", "/login", new JsonObject().put("tenant", "default")), 400);
    assertThat(p.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("username", "password");
  }
}
