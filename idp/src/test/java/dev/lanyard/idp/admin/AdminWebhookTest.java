package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin API changes as the kube-apiserver sees them: a cluster registered and a token minted through the API
 * authenticate at the TokenReview webhook; revoking, disabling or removing a group shows on the next review.
 */
class AdminWebhookTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient admin;
  static String credential;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    JsonObject cluster = admin.created("/tenants/default/clusters", new JsonObject().put("name", "prod"));
    credential = cluster.getString("credential");
    assertThat(credential).startsWith("lyw_");
    assertThat(admin.ok("/tenants/default/clusters/prod").containsKey("credential")).isFalse();
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static JsonObject review(String token) {
    return lanyard.tokenReviewStatus("default", credential, token);
  }

  static String user(String username) {
    return admin.created("/tenants/default/users", new JsonObject().put("username", username)).getString("id");
  }

  static JsonObject mint(String username) {
    return admin.created("/tenants/default/tokens", new JsonObject().put("user", username).put("ttl", "1d")
        .put("clusters", new JsonArray().add("prod")));
  }

  @Test
  @DisplayName("a token minted through the API authenticates, and is refused after DELETE")
  void mintAndRevoke() {
    user("w-alice");
    JsonObject token = mint("w-alice");
    JsonObject status = review(token.getString("token"));
    assertThat(status.getBoolean("authenticated")).isTrue();
    assertThat(status.getJsonObject("user").getString("username")).isEqualTo("w-alice");
    admin.expect(204, "DELETE", "/tenants/default/tokens/" + token.getString("id"), null);
    assertThat(review(token.getString("token")).getBoolean("authenticated")).isFalse();
    assertThat(admin.ok("/audit?tenant=default&action=token.revoke").getLong("total")).isPositive();
  }

  @Test
  @DisplayName("disabling the user through the API refuses their token on the next review; enabling restores it")
  void disableUser() {
    String id = user("w-bob");
    String token = mint("w-bob").getString("token");
    assertThat(review(token).getBoolean("authenticated")).isTrue();
    admin.expect(200, "PUT", "/tenants/default/users/" + id, new JsonObject().put("enabled", false));
    assertThat(review(token).getBoolean("authenticated")).isFalse();
    AdminClient.problem(admin.call("POST", "/tenants/default/tokens", new JsonObject().put("user", id)), 400);
    admin.expect(200, "PUT", "/tenants/default/users/" + id, new JsonObject().put("enabled", true));
    assertThat(review(token).getBoolean("authenticated")).isTrue();
  }

  @Test
  @DisplayName("group membership changed through the API shows in the next review's groups")
  void groups() {
    admin.created("/tenants/default/groups", new JsonObject().put("name", "w-ops"));
    String id = user("w-carol");
    String token = mint("w-carol").getString("token");
    assertThat(review(token).getJsonObject("user").getJsonArray("groups", new JsonArray())).isEmpty();
    admin.expect(200, "PUT", "/tenants/default/users/" + id + "/groups", new JsonObject().put("groups", new JsonArray().add("w-ops")));
    assertThat(review(token).getJsonObject("user").getJsonArray("groups")).containsExactly("w-ops");
    admin.expect(200, "PUT", "/tenants/default/users/" + id + "/groups", new JsonObject().put("groups", new JsonArray()));
    assertThat(review(token).getJsonObject("user").getJsonArray("groups", new JsonArray())).isEmpty();
  }

  @Test
  @DisplayName("DELETE .../groups/{g}/members/{user}, then deleting a group: the next review no longer lists it")
  void memberRemovedAndGroupDeleted() {
    admin.created("/tenants/default/groups", new JsonObject().put("name", "w-dev"));
    admin.created("/tenants/default/groups", new JsonObject().put("name", "w-sre"));
    user("w-dave");
    admin.expect(204, "PUT", "/tenants/default/groups/w-dev/members/w-dave", null);
    admin.expect(204, "PUT", "/tenants/default/groups/w-sre/members/w-dave", null);
    String token = mint("w-dave").getString("token");
    assertThat(review(token).getJsonObject("user").getJsonArray("groups")).containsExactlyInAnyOrder("w-dev", "w-sre");
    admin.expect(204, "DELETE", "/tenants/default/groups/w-dev/members/w-dave", null);
    assertThat(review(token).getJsonObject("user").getJsonArray("groups")).containsExactly("w-sre");
    admin.expect(204, "DELETE", "/tenants/default/groups/w-sre", null);
    assertThat(review(token).getJsonObject("user").getJsonArray("groups", new JsonArray())).isEmpty();
  }

  @Test
  @DisplayName("a cluster deleted through the API can no longer call the webhook (401)")
  void deleteCluster() {
    String other = admin.created("/tenants/default/clusters", new JsonObject().put("name", "gone")).getString("credential");
    String body = new JsonObject().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview")
        .put("spec", new JsonObject().put("token", "lyk_x")).encode();
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/tokenreview"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + other)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    assertThat(lanyard.send(req).statusCode()).isEqualTo(200);
    admin.expect(204, "DELETE", "/tenants/default/clusters/gone", null);
    assertThat(lanyard.send(req).statusCode()).isEqualTo(401);
    AdminClient.problem(admin.call("DELETE", "/tenants/default/clusters/gone", null), 404);
  }

  @Test
  @DisplayName("an admin token is not a Kubernetes token: the webhook refuses it")
  void adminTokenRefusedByWebhook() {
    assertThat(review(admin.token).getBoolean("authenticated")).isFalse();
  }
}
