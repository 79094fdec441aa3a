package dev.lanyard.idp.admin;

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

/**
 * A client deleted and created again under the same id (through the admin API, within the same second) is a new
 * client: access tokens issued to the old one stay dead, though nothing of them is stored.
 */
class RecreatedClientTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("delete a client and create it again: its old access tokens (user and robot) are inactive, userinfo 401")
  void accessTokensDieWithTheirClient() {
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      AdminClient admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      String rs = "rs:" + admin.created("/tenants/default/clients", new JsonObject().put("id", "rs")
          .put("type", "confidential").put("grantTypes", new JsonArray().add("client_credentials"))).getString("secret");
      String robot = admin.created("/tenants/default/robots", new JsonObject().put("name", "ci-bot")).getString("id");

      JsonObject app = appClient(admin, robot);
      String userToken = passwordToken(lanyard, "app:" + app.getString("secret"));
      String robotToken = robotToken(lanyard, "app:" + app.getString("secret"));
      assertThat(introspect(lanyard, rs, userToken).getBoolean("active")).isTrue();
      assertThat(introspect(lanyard, rs, robotToken).getBoolean("active")).isTrue();
      assertThat(userinfo(lanyard, userToken).statusCode()).isEqualTo(200);

      admin.expect(204, "DELETE", "/tenants/default/clients/app", null);
      JsonObject again = appClient(admin, robot);
      assertThat(again.getString("secret")).isNotEqualTo(app.getString("secret"));

      for (String old : new String[] {userToken, robotToken}) {
        assertThat(introspect(lanyard, rs, old)).isEqualTo(new JsonObject().put("active", false));
        assertThat(introspect(lanyard, "app:" + again.getString("secret"), old).getBoolean("active")).isFalse();
        assertThat(userinfo(lanyard, old).statusCode()).isEqualTo(401);
      }
      // The new client's own tokens work.
      String fresh = passwordToken(lanyard, "app:" + again.getString("secret"));
      assertThat(introspect(lanyard, rs, fresh).getBoolean("active")).isTrue();
      assertThat(userinfo(lanyard, fresh).statusCode()).isEqualTo(200);
    }
  }

  /** Confidential client {@code app}: the password grant, and client_credentials as the robot. */
  private static JsonObject appClient(AdminClient admin, String robotId) {
    return admin.created("/tenants/default/clients", new JsonObject().put("id", "app").put("type", "confidential")
        .put("grantTypes", new JsonArray().add("password").add("client_credentials")).put("robot", robotId));
  }

  private static String passwordToken(TestLanyard lanyard, String basic) {
    return token(lanyard, basic, Map.of("grant_type", "password", "username", "admin",
        "password", TestLanyard.ADMIN_PASSWORD, "scope", "openid"));
  }

  private static String robotToken(TestLanyard lanyard, String basic) {
    return token(lanyard, basic, Map.of("grant_type", "client_credentials", "scope", "openid"));
  }

  private static String token(TestLanyard lanyard, String basic, Map<String, String> form) {
    HttpResponse<String> res = lanyard.postForm("/t/default/token", form, basic);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body()).getString("access_token");
  }

  static JsonObject introspect(TestLanyard lanyard, String basic, String token) {
    HttpResponse<String> res = lanyard.postForm("/t/default/introspect", Map.of("token", token), basic);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  static HttpResponse<String> userinfo(TestLanyard lanyard, String accessToken) {
    return lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/userinfo"))
        .header("Authorization", "Bearer " + accessToken).GET());
  }
}
