package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.Group;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kube-apiserver's reserved {@code system:} names: the admin API refuses them wherever they would become a
 * Kubernetes username or group, and rows that hold them anyway (written before the rule, or around the API)
 * never reach the API server as such, neither in TokenReview answers nor in ID tokens.
 */
class ReservedNamesTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient admin;
  static AdminClient adminOfA;
  static String credentialOfA;
  static String existingUser;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    admin.created("/tenants", new JsonObject().put("id", "a"));
    admin.created("/tenants/a/users", new JsonObject().put("username", "admin-a").put("password", "password-of-admin-a"));
    admin.created("/admin-roles", new JsonObject().put("tenant", "a").put("user", "admin-a").put("scope", "a"));
    adminOfA = AdminClient.login(lanyard, "a", "admin-a", "password-of-admin-a");
    credentialOfA = admin.created("/tenants/a/clusters", new JsonObject().put("name", "prod")).getString("credential");
    existingUser = admin.created("/tenants/a/users", new JsonObject().put("username", "existing")).getString("id");
    admin.created("/tenants/a/groups", new JsonObject().put("name", "existing-group"));
    admin.created("/tenants/a/robots", new JsonObject().put("name", "existing-robot"));
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  /** A request a tenant administrator of A sends, and the field its 400 must name. */
  record Refused(String method, String path, JsonObject body, String field) {}

  @Test
  @DisplayName("the admin API refuses system: usernames, emails, group and robot names and robot prefixes (400 naming the field)")
  void refusedOnWrite() {
    List<Refused> cases = List.of(
        new Refused("POST", "/tenants/a/users", new JsonObject().put("username", "system:admin"), "username"),
        new Refused("PUT", "/tenants/a/users/" + existingUser, new JsonObject().put("username", "system:kube-proxy"), "username"),
        new Refused("POST", "/tenants/a/users", new JsonObject().put("username", "mallory")
            .put("email", "system:masters@example.com"), "email"),
        new Refused("PUT", "/tenants/a/users/" + existingUser, new JsonObject().put("email", "system:admin@a.example"), "email"),
        new Refused("POST", "/tenants/a/groups", new JsonObject().put("name", "system:masters"), "name"),
        new Refused("PUT", "/tenants/a/groups/existing-group", new JsonObject().put("name", "system:masters"), "name"),
        new Refused("POST", "/tenants/a/robots", new JsonObject().put("name", "system:node:worker-1"), "name"),
        new Refused("PUT", "/tenants/a/robots/existing-robot", new JsonObject().put("name", "system:kube-scheduler"), "name"),
        new Refused("PUT", "/tenants/a", settings("robotPrefix", "system:serviceaccount:default:"), "settings.robotPrefix"),
        new Refused("PUT", "/tenants/a", settings("robotPrefix", "system:"), "settings.robotPrefix"),
        // "sys" before a robot named "tem:masters" is system:masters.
        new Refused("PUT", "/tenants/a", settings("robotPrefix", "sys"), "settings.robotPrefix"),
        new Refused("POST", "/tenants", settings("robotPrefix", "system:").put("id", "b"), "settings.robotPrefix"));
    for (Refused c : cases) {
      AdminClient caller = c.path().equals("/tenants") ? admin : adminOfA;
      JsonObject problem = AdminClient.problem(caller.call(c.method(), c.path(), c.body()), 400);
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).as(c.toString()).isEqualTo(c.field());
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("message")).as(c.toString()).contains("system:");
    }
    // Nothing was written.
    assertThat(admin.ok("/tenants/a/groups?q=system").getJsonArray("items")).isEmpty();
    assertThat(admin.ok("/tenants/a/users?q=system").getJsonArray("items")).isEmpty();
    assertThat(admin.ok("/tenants/a/robots?q=system").getJsonArray("items")).isEmpty();
    assertThat(admin.ok("/tenants/a").getJsonObject("settings").getString("robotPrefix")).isEqualTo("robot:");
    // Names that merely contain system: elsewhere, and prefixes that are not its beginning, are fine.
    adminOfA.created("/tenants/a/groups", new JsonObject().put("name", "team:system:ops"));
    adminOfA.expect(200, "PUT", "/tenants/a", settings("robotPrefix", "bot:"));
    adminOfA.expect(200, "PUT", "/tenants/a", settings("robotPrefix", "robot:"));
  }

  @Test
  @DisplayName("a system: group written through storage is left out of the TokenReview answer")
  void storedGroupLeftOutOfReview() {
    String userId = admin.created("/tenants/a/users", new JsonObject().put("username", "eve")).getString("id");
    admin.created("/tenants/a/groups", new JsonObject().put("name", "developers"));
    storage(s -> {
      s.groups().create(new Group("a", "g-masters", "system:masters", Instant.now()));
      s.groups().addMember("a", "g-masters", userId);
      s.groups().addMember("a", s.groups().findByName("a", "developers").orElseThrow().id(), userId);
    });
    JsonObject status = review(mint("user", "eve"));
    assertThat(status.getBoolean("authenticated")).isTrue();
    assertThat(status.getJsonObject("user").getString("username")).isEqualTo("eve");
    assertThat(status.getJsonObject("user").getJsonArray("groups")).containsExactly("developers");
  }

  @Test
  @DisplayName("a robot whose prefix was forced to system: through storage, and a system: user, are denied")
  void storedReservedNamesDenied() {
    admin.created("/tenants", new JsonObject().put("id", "forced"));
    String credential = admin.created("/tenants/forced/clusters", new JsonObject().put("name", "prod"))
        .getString("credential");
    admin.created("/tenants/forced/robots", new JsonObject().put("name", "kube-proxy"));
    String robotToken = admin.created("/tenants/forced/tokens", new JsonObject().put("robot", "kube-proxy"))
        .getString("token");
    storage(s -> {
      Tenant t = s.tenants().find("forced").orElseThrow();
      s.tenants().update(new Tenant(t.id(), t.displayName(), t.createdAt(),
          new TenantSettings(null, "system:serviceaccount:kube-system:", null, null, null)));
      s.users().create(new User("forced", "u-root", "system:admin", null, false, null, true, null, Instant.now(),
          Instant.now()));
    });
    String userToken = admin.created("/tenants/forced/tokens", new JsonObject().put("user", "u-root")).getString("token");
    assertThat(review("forced", credential, robotToken).getBoolean("authenticated")).isFalse();
    assertThat(review("forced", credential, userToken).getBoolean("authenticated")).isFalse();
  }

  @Test
  @DisplayName("ID tokens (verified with Nimbus) leave out system: groups and a system: preferred_username")
  void idTokens() throws Exception {
    storage(s -> {
      String adminId = s.users().findByUsername("default", "admin").orElseThrow().id();
      s.groups().create(new Group("default", "g-masters", "system:masters", Instant.now()));
      s.groups().create(new Group("default", "g-ops", "ops", Instant.now()));
      s.groups().setGroupsOfUser("default", adminId, Set.of("g-masters", "g-ops"));
      s.users().create(new User("default", "u-system", "system:admin", null, false, null, true, null, Instant.now(),
          Instant.now()));
      s.groups().setGroupsOfUser("default", "u-system", Set.of("g-ops"));
    });
    JWTClaimsSet claims = idToken(lanyard.adminTokens("default", "openid profile groups"));
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo("admin");
    assertThat(claims.getStringListClaim("groups")).containsExactly("ops");

    admin.expect(204, "PUT", "/tenants/default/users/u-system/password", new JsonObject().put("password", "system-password-1"));
    HttpResponse<String> res = lanyard.postForm("/t/default/token", Map.of("grant_type", "password", "client_id",
        "kubernetes", "username", "system:admin", "password", "system-password-1", "scope", "openid profile groups"),
        null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JWTClaimsSet system = idToken(new JsonObject(res.body()));
    assertThat(system.getClaims()).doesNotContainKey("preferred_username"); // the API server refuses it
    assertThat(system.getStringListClaim("groups")).containsExactly("ops");

    // A robot's ID token (client credentials), its group written through storage.
    String robot = admin.created("/tenants/default/robots", new JsonObject().put("name", "ci-bot")).getString("id");
    storage(s -> s.robots().setGroups("default", robot, Set.of("g-masters", "g-ops")));
    String secret = admin.created("/tenants/default/clients", new JsonObject().put("id", "ci").put("type", "confidential")
        .put("grantTypes", new JsonArray().add("client_credentials")).put("robot", robot)).getString("secret");
    HttpResponse<String> cc = lanyard.postForm("/t/default/token", Map.of("grant_type", "client_credentials",
        "scope", "openid"), "ci:" + secret);
    assertThat(cc.statusCode()).as(cc.body()).isEqualTo(200);
    JWTClaimsSet robotClaims = KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "ci",
        new JsonObject(cc.body()).getString("id_token"));
    assertThat(robotClaims.getStringClaim("preferred_username")).isEqualTo("robot:ci-bot");
    assertThat(robotClaims.getStringListClaim("groups")).containsExactly("ops");
  }

  static JWTClaimsSet idToken(JsonObject tokenResponse) throws Exception {
    return KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), "kubernetes",
        tokenResponse.getString("id_token"));
  }

  static JsonObject settings(String name, String value) {
    return new JsonObject().put("settings", new JsonObject().put(name, value));
  }

  static void storage(java.util.function.Consumer<dev.lanyard.storage.StoreSession> work) {
    lanyard.server().storage().transactionBlocking(s -> {
      work.accept(s);
      return null;
    });
  }

  static String mint(String type, String name) {
    return admin.created("/tenants/a/tokens", new JsonObject().put(type, name)).getString("token");
  }

  static JsonObject review(String token) {
    return review("a", credentialOfA, token);
  }

  static JsonObject review(String tenant, String credential, String token) {
    return lanyard.tokenReviewStatus(tenant, credential, token);
  }
}
