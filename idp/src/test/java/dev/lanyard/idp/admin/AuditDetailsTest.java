package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audit events say what changed, and whose token was refused. */
class AuditDetailsTest {
  @TempDir
  Path dir;

  /** The newest event of this action at tenant {@code default}, waiting for one stored in the background. */
  private static JsonObject latest(AdminClient admin, String action) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      JsonObject page = admin.ok("/audit?tenant=default&action=" + action + "&limit=1");
      if (!page.getJsonArray("items").isEmpty()) return page.getJsonArray("items").getJsonObject(0);
      Thread.sleep(100);
    }
    throw new AssertionError("no " + action + " event");
  }

  @Test
  @DisplayName("tenant.update and client.update name the fields sent; a revoked admin token's refusal names the token")
  void eventsSayWhatChanged() throws Exception {
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      AdminClient admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      admin.expect(200, "PUT", "/tenants/default", new JsonObject().put("displayName", "Default")
          .put("settings", new JsonObject().put("tokenMaxTtl", "100d").put("robotPrefix", "bot-")));
      assertThat(latest(admin, "tenant.update").getJsonObject("details").getJsonArray("fields"))
          .isEqualTo(new JsonArray().add("displayName").add("settings.tokenMaxTtl").add("settings.robotPrefix"));

      admin.created("/tenants/default/clients", new JsonObject().put("id", "web").put("type", "public")
          .put("redirectUris", new JsonArray().add("http://localhost:8000")));
      admin.expect(200, "PUT", "/tenants/default/clients/web", new JsonObject().put("displayName", "Web")
          .put("redirectUris", new JsonArray().add("http://localhost:9000")));
      JsonObject clientUpdate = latest(admin, "client.update").getJsonObject("details");
      assertThat(clientUpdate.getJsonArray("fields")).isEqualTo(new JsonArray().add("displayName").add("redirectUris"));
      assertThat(clientUpdate.containsKey("robot")).isFalse();

      AdminClient signedOut = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      String tokenId = signedOut.ok("/me").getString("tokenId");
      signedOut.expect(204, "POST", "/logout", null);
      AdminClient.problem(signedOut.get("/tenants"), 401);
      JsonObject refused = latest(admin, "admin.unauthenticated");
      assertThat(refused.getString("target")).isEqualTo("token:" + tokenId);
      assertThat(refused.getJsonObject("details").getString("reason")).isEqualTo("revoked token");
    }
  }
}
