package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API endpoints the web console needs: /console, /me, /logout, /overview, /activity, onboarding, search. */
class ConsoleApiTest {
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

  static JsonObject review(String tenant, String credential, String token) {
    return lanyard.tokenReviewStatus(tenant, credential, token);
  }

  static long sum(JsonObject activity, String series) {
    return activity.getJsonObject("totals").getLong(series);
  }

  @Test
  @DisplayName("/console is open and names the admin tenant and the console's client")
  void consoleSettings() {
    JsonObject c = new AdminClient(lanyard, null).ok("/console");
    assertThat(c.getString("adminTenant")).isEqualTo("default");
    assertThat(c.getString("clientId")).isEqualTo("lanyard-console");
    assertThat(c.getJsonArray("signIn")).containsExactly("authorization_code", "password");
  }

  @Test
  @DisplayName("/me describes the administrator; /logout revokes the token it carries")
  void meAndLogout() {
    AdminClient session = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    JsonObject me = session.ok("/me");
    assertThat(me.getString("username")).isEqualTo("admin");
    assertThat(me.getBoolean("global")).isTrue();
    assertThat(me.getJsonArray("scopes")).containsExactly("*");
    session.expect(204, "POST", "/logout", new JsonObject());
    AdminClient.problem(session.get("/me"), 401);
  }

  @Test
  @DisplayName("/activity counts allowed and denied TokenReviews and admin logins; /overview counts and key ages")
  void activityAndOverview() {
    admin.created("/tenants", new JsonObject().put("id", "stats"));
    admin.created("/tenants/stats/robots", new JsonObject().put("name", "ci"));
    String credential = admin.created("/tenants/stats/clusters", new JsonObject().put("name", "c1")).getString("credential");
    String token = admin.created("/tenants/stats/tokens", new JsonObject().put("robot", "ci").put("ttl", "1h")).getString("token");
    JsonObject before = admin.ok("/activity?window=hour&tenant=stats");
    assertThat(review("stats", credential, token).getBoolean("authenticated")).isTrue();
    assertThat(review("stats", credential, token).getBoolean("authenticated")).isTrue();
    assertThat(review("stats", credential, "lyk_garbage").getBoolean("authenticated")).isFalse();
    AdminClient.problem(new AdminClient(lanyard, null).call("POST", "/login", new JsonObject().put("tenant", "stats")
        .put("username", "nobody").put("password", "wrong-password")), 401);
    JsonObject hour = admin.ok("/activity?window=hour&tenant=stats");
    assertThat(hour.getInteger("bucketSeconds")).isEqualTo(60);
    assertThat(hour.getJsonArray("starts")).hasSize(60);
    assertThat(hour.getJsonObject("series").getJsonArray("reviewsAllowed")).hasSize(60);
    assertThat(sum(hour, "reviewsAllowed") - sum(before, "reviewsAllowed")).isEqualTo(2);
    assertThat(sum(hour, "reviewsDenied") - sum(before, "reviewsDenied")).isEqualTo(1);
    assertThat(sum(hour, "loginsFailed") - sum(before, "loginsFailed")).isEqualTo(1);
    JsonObject day = admin.ok("/activity?window=day&tenant=stats");
    assertThat(day.getInteger("bucketSeconds")).isEqualTo(900);
    assertThat(day.getJsonArray("starts")).hasSize(96);
    assertThat(sum(day, "reviewsAllowed")).isEqualTo(sum(hour, "reviewsAllowed"));
    AdminClient.problem(admin.get("/activity?window=week"), 400);
    // The admin's own login in start() was counted for the default tenant.
    assertThat(sum(admin.ok("/activity?tenant=default"), "loginsSucceeded")).isPositive();

    JsonObject overview = admin.ok("/overview");
    JsonObject stats = overview.getJsonArray("tenants").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("id").equals("stats")).findFirst().orElseThrow();
    assertThat(stats.getJsonObject("counts").getLong("robots")).isEqualTo(1);
    assertThat(stats.getJsonObject("counts").getLong("activeTokens")).isEqualTo(1);
    assertThat(stats.getJsonArray("keys").getJsonObject(0).getLong("ageSeconds")).isNotNegative();
    JsonObject health = overview.getJsonObject("health");
    assertThat(health.getString("version")).isNotBlank();
    assertThat(health.getJsonObject("database").getBoolean("ok")).isTrue();
    assertThat(health.getString("caPem")).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  @DisplayName("a tenant admin's overview and activity cover only their tenant")
  void tenantAdminScope() {
    for (String t : List.of("scope-a", "scope-b")) admin.created("/tenants", new JsonObject().put("id", t));
    admin.created("/tenants/scope-a/users", new JsonObject().put("username", "dana").put("password", "dana-password-12"));
    admin.created("/admin-roles", new JsonObject().put("tenant", "scope-a").put("user", "dana").put("scope", "scope-a"));
    AdminClient dana = AdminClient.login(lanyard, "scope-a", "dana", "dana-password-12");
    JsonObject me = dana.ok("/me");
    assertThat(me.getBoolean("global")).isFalse();
    assertThat(me.getJsonArray("scopes")).containsExactly("scope-a");
    JsonArray tenants = dana.ok("/overview").getJsonArray("tenants");
    assertThat(tenants.stream().map(t -> ((JsonObject) t).getString("id")).toList()).containsExactly("scope-a");
    AdminClient.problem(dana.get("/activity?tenant=scope-b"), 403);
    dana.ok("/activity");
  }

  @Test
  @DisplayName("onboarding builds the cluster's files and refuses a wrong credential, an unknown client and a non-https server")
  void onboarding() {
    admin.created("/tenants", new JsonObject().put("id", "onb"));
    admin.created("/tenants/onb/clients", new JsonObject().put("id", "kubernetes").put("type", "public")
        .put("redirectUris", new JsonArray().add("http://localhost:8000")));
    String credential = admin.created("/tenants/onb/clusters", new JsonObject().put("name", "east")).getString("credential");
    JsonObject files = admin.expect(200, "POST", "/tenants/onb/clusters/east/onboarding", new JsonObject()
        .put("credential", credential).put("clusterServer", "https://10.0.0.1:6443"));
    List<String> names = files.getJsonArray("files").stream().map(f -> ((JsonObject) f).getString("name")).toList();
    assertThat(names).containsExactly("webhook-kubeconfig.yaml", "kube-apiserver-flags.txt",
        "authentication-config-v1.yaml", "authentication-config-v1beta1.yaml", "ca.pem", "kubeconfig-east.yaml",
        "kubeconfig-east-device-code.yaml");
    JsonObject webhook = files.getJsonArray("files").getJsonObject(0);
    assertThat(webhook.getBoolean("secret")).isTrue();
    assertThat(webhook.getString("content")).contains("token: " + credential, "/t/onb/tokenreview");
    assertThat(files.getJsonArray("files").getJsonObject(5).getString("content"))
        .contains("server: https://10.0.0.1:6443", "oidc-login", "--oidc-client-id=kubernetes");
    // Without the credential: no webhook kubeconfig; without a server: no developer kubeconfigs.
    JsonObject plain = admin.expect(200, "POST", "/tenants/onb/clusters/east/onboarding", new JsonObject());
    assertThat(plain.getJsonArray("files").stream().map(f -> ((JsonObject) f).getString("name")).toList())
        .containsExactly("kube-apiserver-flags.txt", "authentication-config-v1.yaml", "authentication-config-v1beta1.yaml", "ca.pem");

    JsonObject p = AdminClient.problem(admin.call("POST", "/tenants/onb/clusters/east/onboarding",
        new JsonObject().put("credential", "lyw_not-this-one")), 400);
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("credential");
    p = AdminClient.problem(admin.call("POST", "/tenants/onb/clusters/east/onboarding",
        new JsonObject().put("clientId", "nope")), 400);
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("clientId");
    p = AdminClient.problem(admin.call("POST", "/tenants/onb/clusters/east/onboarding",
        new JsonObject().put("clusterServer", "http://10.0.0.1:6443")), 400);
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("clusterServer");
    AdminClient.problem(admin.call("POST", "/tenants/onb/clusters/west/onboarding", new JsonObject()), 404);
  }

  @Test
  @DisplayName("?q= searches users, robots, groups and clients, ignoring case, with paging")
  void search() {
    admin.created("/tenants", new JsonObject().put("id", "find"));
    for (String u : List.of("alice", "alina", "bob")) {
      admin.created("/tenants/find/users", new JsonObject().put("username", u).put("email", u + "@Example.com"));
    }
    JsonObject page = admin.ok("/tenants/find/users?q=ALI&limit=1");
    assertThat(page.getLong("total")).isEqualTo(2);
    assertThat(page.getJsonArray("items")).hasSize(1);
    assertThat(admin.ok("/tenants/find/users?q=example.com").getLong("total")).isEqualTo(3);
    assertThat(admin.ok("/tenants/find/users").getLong("total")).isEqualTo(3);
    admin.created("/tenants/find/groups", new JsonObject().put("name", "Developers"));
    admin.created("/tenants/find/groups", new JsonObject().put("name", "ops"));
    assertThat(admin.ok("/tenants/find/groups?q=dev").getLong("total")).isEqualTo(1);
    admin.created("/tenants/find/robots", new JsonObject().put("name", "ci").put("description", "Nightly build"));
    assertThat(admin.ok("/tenants/find/robots?q=night").getLong("total")).isEqualTo(1);
    assertThat(admin.ok("/tenants/find/robots?q=zzz").getLong("total")).isZero();
  }
}
