package dev.lanyard.idp.admin;

import static dev.lanyard.idp.admin.ConsoleSignInTest.authorizationCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /tenants/{t}/users/{id}/sessions}: an administrator sees a user's login sessions and ends one. */
class LoginSessionsAdminTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("list a user's login sessions; ending one ends its refresh and access tokens; other tenants' admins 403")
  void listAndEnd() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: alice, password: alice-password-123}
          - id: other
            users:
              - {username: olga, password: olga-password-123}
        """);
    try (TestLanyard lanyard = TestLanyard.start(data)) {
      AdminClient admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      String alice = admin.ok("/tenants/default/users?q=alice").getJsonArray("items").getJsonObject(0).getString("id");
      assertThat(admin.ok("/tenants/default/users/" + alice + "/sessions").getJsonArray("items")).isEmpty();

      // kubelogin on two machines: two login sessions, each with its refresh token.
      JsonObject laptop = authorizationCode(lanyard, "kubernetes", "http://localhost:8000", "openid offline_access",
          "alice", "alice-password-123");
      JsonObject desktop = authorizationCode(lanyard, "kubernetes", "http://localhost:18000", "openid offline_access",
          "alice", "alice-password-123");
      JsonArray sessions = admin.ok("/tenants/default/users/" + alice + "/sessions").getJsonArray("items");
      assertThat(sessions).hasSize(2);
      JsonObject newest = sessions.getJsonObject(0);
      assertThat(newest.getString("authTime")).isNotBlank();
      assertThat(newest.getString("sourceAddress")).isEqualTo("127.0.0.1");

      admin.expect(204, "DELETE", "/tenants/default/users/" + alice + "/sessions/" + newest.getString("id"), null);
      assertThat(admin.ok("/tenants/default/users/" + alice + "/sessions").getJsonArray("items")).hasSize(1);
      // The ended session's refresh and access tokens are revoked; the other machine's still work.
      assertThat(userinfo(lanyard, desktop).statusCode()).isEqualTo(401);
      assertThat(userinfo(lanyard, laptop).statusCode()).isEqualTo(200);
      assertThat(refresh(lanyard, desktop).statusCode()).isEqualTo(400);
      assertThat(refresh(lanyard, laptop).statusCode()).isEqualTo(200);
      assertThat(admin.ok("/audit?action=user.session.end").getJsonArray("items")).hasSize(1);

      // Unknown session, someone else's session, another tenant's admin.
      AdminClient.problem(admin.call("DELETE", "/tenants/default/users/" + alice + "/sessions/nope", null), 404);
      admin.created("/admin-roles", new JsonObject().put("tenant", "other").put("user", "olga").put("scope", "other"));
      AdminClient olga = AdminClient.login(lanyard, "other", "olga", "olga-password-123");
      AdminClient.problem(olga.call("GET", "/tenants/default/users/" + alice + "/sessions", null), 403);
    }
  }

  private static HttpResponse<String> userinfo(TestLanyard lanyard, JsonObject tokens) {
    return lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/userinfo"))
        .header("Authorization", "Bearer " + tokens.getString("access_token")).GET());
  }

  private static HttpResponse<String> refresh(TestLanyard lanyard, JsonObject tokens) {
    return lanyard.postForm("/t/default/token", Map.of("grant_type", "refresh_token",
        "refresh_token", tokens.getString("refresh_token"), "client_id", "kubernetes"), null);
  }
}
