package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.BrowserClient;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.testing.PostgresServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NUL (or other control) character in input, on PostgreSQL, which refuses NUL in text (SQLState 22021): the
 * protocol's own 400 everywhere, never a 500. The admin API refuses control characters before any query, naming
 * the field; elsewhere the database's refusal becomes the 400.
 */
class ControlCharacterInputTest {
  @TempDir
  static Path dir;

  static PostgresServer.Database db;
  static TestLanyard lanyard;
  static AdminClient admin;

  @BeforeAll
  static void start() {
    db = PostgresServer.get().createDatabase();
    lanyard = TestLanyard.start(dir.resolve("data"), Map.of("database.url", db.jdbcUrl(),
        "database.username", PostgresServer.get().user(), "database.password", PostgresServer.get().password()));
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
    db.close();
  }

  private static String field(HttpResponse<String> res) {
    JsonObject p = AdminClient.problem(res, 400);
    assertThat(p.getJsonArray("errors")).as(res.body()).hasSize(1);
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("message")).contains("control character");
    return p.getJsonArray("errors").getJsonObject(0).getString("field");
  }

  @Test
  @DisplayName("admin API bodies: a control character is a 400 naming the field")
  void adminBodies() {
    assertThat(field(admin.as(null).call("POST", "/login", new JsonObject().put("tenant", "default")
        .put("username", "admin\u0000").put("password", "whatever")))).isEqualTo("username");
    assertThat(field(admin.call("POST", "/tenants/default/users", new JsonObject().put("username", "nul-user")
        .put("displayName", "Nul\u0000User")))).isEqualTo("displayName");
    assertThat(field(admin.call("POST", "/tenants/default/robots", new JsonObject().put("name", "nul-bot")
        .put("description", "rings\u0007a bell")))).isEqualTo("description");
    assertThat(field(admin.call("POST", "/tenants/default/tokens", new JsonObject().put("user", "admin")
        .put("clusters", new io.vertx.core.json.JsonArray().add("prod\u0000"))))).isEqualTo("clusters[0]");
    assertThat(field(admin.call("PUT", "/tenants/default", new JsonObject()
        .put("displayName", "line\nbreak")))).isEqualTo("displayName");
    AdminClient.problem(admin.get("/tenants/default/users/nul-user"), 404); // nothing was written
  }

  @Test
  @DisplayName("admin API paths and queries: %00 is a 400 naming the parameter")
  void adminPathsAndQueries() {
    admin.created("/tenants/default/users", new JsonObject().put("username", "nul-path"));
    assertThat(field(admin.get("/tenants/default/users/nul-path%00"))).isEqualTo("id");
    assertThat(field(admin.get("/tenants/default%00/users"))).isEqualTo("tenant");
    assertThat(field(admin.get("/tenants/default/tokens?user=nul-path%00"))).isEqualTo("user");
    assertThat(field(admin.get("/audit?actor=%00"))).isEqualTo("actor");
  }

  @Test
  @DisplayName("OAuth endpoints: a NUL the database refuses is invalid_request (400), not server_error")
  void oauthEndpoints() {
    HttpResponse<String> password = lanyard.postForm("/t/default/token", Map.of("grant_type", "password",
        "client_id", "kubernetes", "username", "admin\u0000", "password", "whatever-password"), null);
    assertThat(password.statusCode()).as(password.body()).isEqualTo(400);
    assertThat(new JsonObject(password.body()).getString("error")).isEqualTo("invalid_request");
    HttpResponse<String> introspect = lanyard.postForm("/t/default/introspect", Map.of("token", "x"),
        "client\u0000:secret");
    assertThat(introspect.statusCode()).as(introspect.body()).isEqualTo(400);
    assertThat(new JsonObject(introspect.body()).getString("error")).isEqualTo("invalid_request");
  }

  @Test
  @DisplayName("pages and the webhook: a NUL the database refuses is a 400")
  void pagesAndWebhook() {
    HttpResponse<String> authorize = lanyard.get("/t/default/authorize?response_type=code&client_id=kube%00rnetes"
        + "&redirect_uri=http%3A%2F%2Flocalhost%3A8000&code_challenge=" + "a".repeat(43) + "&code_challenge_method=S256");
    assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(400);

    Map<String, Integer> pages = new java.util.LinkedHashMap<>();
    for (String page : new String[] {"/t/default%00/login", "/t/default%00/device", "/t/default%00/logout"}) {
      pages.put(page, lanyard.get(page).statusCode());
    }
    assertThat(pages.values()).as(pages.toString()).containsOnly(400);

    BrowserClient browser = new BrowserClient(lanyard);
    String form = browser.get("/t/default/login").body();
    HttpResponse<String> login = browser.postForm("/t/default/login", Map.of("csrf", BrowserClient.csrf(form),
        "username", "admin\u0000", "password", "whatever-password"));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(400);

    String credential = lanyard.server().services().clusters().register("default", "nul", null, "test", null)
        .await().credential();
    HttpResponse<String> review = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl()
            + "/t/default%00/tokenreview")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + credential)
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"authentication.k8s.io/v1\","
            + "\"kind\":\"TokenReview\",\"spec\":{\"token\":\"x\"}}")));
    assertThat(review.statusCode()).as(review.body()).isEqualTo(400);
  }

  @Test
  @DisplayName("the admin API answers a value the database refuses with a 400 problem, not a 500")
  void invalidInputIsABadRequest() {
    Problem p = Problem.from(new InvalidInputException("reading user x: the database cannot take a value given"));
    assertThat(p.status).isEqualTo(400);
    assertThat(p.getMessage()).doesNotContain("reading user");
  }
}
