package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document stays true to the routes the admin API mounts. */
class AdminOpenApiTest {
  @Test
  @DisplayName("every mounted method + path is documented, and nothing else is")
  void documentMatchesRoutes() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      new AdminApi(new AdminApi.Deps(vertx, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null)).mount(router);
      Set<String> mounted = new TreeSet<>();
      for (Route route : router.getRoutes()) {
        String path = route.getPath();
        if (path == null || route.methods() == null || path.endsWith("/")) continue;
        String openApiPath = path.substring(AdminApi.BASE.length()).replaceAll(":([A-Za-z]+)", "{$1}");
        route.methods().forEach(m -> mounted.add(m.name().toLowerCase() + " " + openApiPath));
      }
      JsonObject doc = document();
      Set<String> documented = new TreeSet<>();
      JsonObject paths = doc.getJsonObject("paths");
      paths.fieldNames().forEach(p -> paths.getJsonObject(p).fieldNames().forEach(m -> documented.add(m + " " + p)));
      assertThat(documented).isEqualTo(mounted);
      assertThat(mounted).contains("post /login", "get /tenants/{tenant}/users/{id}", HttpMethod.DELETE.name().toLowerCase()
          + " /tenants/{tenant}/tokens/{id}");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("3.1 schemas: null as a type (no 3.0 'nullable'); the limits and enums the API enforces; pages are Page;"
      + " a body can be 413")
  void schemasSayWhatTheApiEnforces() throws Exception {
    JsonObject doc = document();
    assertThat(doc.encode()).doesNotContain("\"nullable\"");
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    assertThat(schemas.getJsonObject("Me").getJsonObject("properties").getJsonObject("tokenId").getJsonArray("type"))
        .containsExactly("string", "null");
    for (String login : new String[] {"UserCreate", "PasswordLogin"}) {
      assertThat(schemas.getJsonObject(login).getJsonObject("properties").getJsonObject("password")
          .getInteger("maxLength")).as(login).isEqualTo(Shapes.MAX_PASSWORD);
    }
    JsonObject updateGrants = schemas.getJsonObject("ClientUpdate").getJsonObject("properties")
        .getJsonObject("grantTypes").getJsonObject("items");
    JsonObject createGrants = schemas.getJsonObject("ClientCreate").getJsonObject("properties")
        .getJsonObject("grantTypes").getJsonObject("items");
    assertThat(updateGrants.encode()).isEqualTo(createGrants.encode()).contains("client_credentials");
    JsonObject paths = doc.getJsonObject("paths");
    int pages = 0;
    int bodies = 0;
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
        JsonObject responses = operation.getJsonObject("responses");
        if (operation.containsKey("requestBody")) {
          bodies++;
          assertThat(responses.containsKey("413")).as(method + " " + path).isTrue();
        }
        JsonArray parameters = operation.getJsonArray("parameters", new JsonArray());
        if (!parameters.encode().contains("#/components/parameters/offset")) continue;
        pages++;
        assertThat(responses.getJsonObject("200").encode()).as(method + " " + path)
            .contains("#/components/schemas/Page");
      }
    }
    assertThat(pages).isGreaterThan(10);
    assertThat(bodies).isGreaterThan(10);
  }

  private static JsonObject document() throws Exception {
    try (InputStream in = AdminApi.class.getResourceAsStream("openapi.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** A body each documented PUT under {@code users/{id}} accepts, so the answer shows whether the user was found. */
  private static final Map<String, JsonObject> USER_PUT_BODIES = Map.of(
      "/tenants/{tenant}/users/{id}", new JsonObject().put("displayName", "Found By Name"),
      "/tenants/{tenant}/users/{id}/password", new JsonObject().put("password", "a-new-password-1"),
      "/tenants/{tenant}/users/{id}/groups", new JsonObject().put("groups", new JsonArray()));

  @Test
  @DisplayName("every operation under users/{id} takes a username where the document says so, as groups and robots take names")
  void usersAreAddressableByUsername(@TempDir Path dir) throws Exception {
    JsonObject paths = document().getJsonObject("paths");
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      AdminClient admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      int checked = 0;
      for (String path : new TreeSet<>(paths.fieldNames())) {
        if (!path.startsWith("/tenants/{tenant}/users/{id}")) continue;
        for (String method : paths.getJsonObject(path).fieldNames()) {
          JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
          String idDoc = operation.getJsonArray("parameters").stream().map(JsonObject.class::cast)
              .filter(p -> "id".equals(p.getString("name"))).findFirst().orElseThrow().getString("description");
          assertThat(idDoc).as(method + " " + path).isEqualTo("user id or username");
          String username = "by-name-" + checked++;
          String id = admin.created("/tenants/default/users", new JsonObject().put("username", username)).getString("id");
          JsonObject body = method.equals("put") ? USER_PUT_BODIES.get(path) : null;
          assertThat(method.equals("put") && body == null).as("a body for PUT " + path + " in this test").isFalse();
          HttpResponse<String> res = admin.call(method.toUpperCase(), path.replace("{tenant}", "default")
              .replace("{id}", username).replace("{sid}", "no-such-session"), body);
          String what = method + " " + path + " by username: " + res.body();
          if (path.endsWith("{sid}")) { // the user was found: only the session is unknown
            assertThat(AdminClient.problem(res, 404).getString("detail")).as(what).startsWith("no login session");
          } else {
            assertThat(res.statusCode()).as(what).isBetween(200, 204);
          }
          if (method.equals("get") && path.equals("/tenants/{tenant}/users/{id}")) {
            assertThat(new JsonObject(res.body()).getString("id")).isEqualTo(id);
          }
        }
      }
      assertThat(checked).isGreaterThanOrEqualTo(8);
      // the first-start administrator by name; an unknown id or name is still a 404
      assertThat(admin.ok("/tenants/default/users/admin").getString("username")).isEqualTo("admin");
      AdminClient.problem(admin.get("/tenants/default/users/nobody"), 404);
    }
  }
}
