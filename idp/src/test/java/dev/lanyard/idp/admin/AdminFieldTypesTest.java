package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies with explicit JSON nulls where a value is required, values of the wrong JSON type and arrays
 * with null elements: every admin endpoint answers 400 problem JSON naming the field, never a 500 or a 404.
 */
class AdminFieldTypesTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient admin;
  static String user;
  static String robot;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    user = admin.created("/tenants/default/users", new JsonObject().put("username", "dev")).getString("id");
    robot = admin.created("/tenants/default/robots", new JsonObject().put("name", "ci")).getString("id");
    admin.created("/tenants/default/groups", new JsonObject().put("name", "ops"));
    admin.created("/tenants/default/clients", new JsonObject().put("id", "app").put("type", "confidential")
        .put("grantTypes", List.of("client_credentials")));
    admin.created("/tenants/default/clusters", new JsonObject().put("name", "prod"));
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  /** A request and the field its 400 answer must name; bodies are JSON with ' for ". */
  record Bad(String method, String path, String body, String field) {
    @Override
    public String toString() {
      return method + " " + path + " " + body;
    }
  }

  static List<Bad> cases() {
    String users = "/tenants/default/users";
    String robots = "/tenants/default/robots";
    String tokens = "/tenants/default/tokens";
    return List.of(
        // explicit null where a value is required
        new Bad("PUT", users + "/" + user + "/groups", "{'groups': null}", "groups"),
        new Bad("PUT", robots + "/" + robot + "/groups", "{'groups': null}", "groups"),
        new Bad("PUT", users + "/" + user + "/groups", "{}", "groups"),
        new Bad("POST", tokens, "{'user': null}", "user"),
        new Bad("POST", tokens, "{'robot': null}", "robot"),
        new Bad("POST", tokens, "{'user': null, 'robot': null}", "user"),
        new Bad("POST", users, "{'username': null}", "username"),
        new Bad("PUT", users + "/" + user + "/password", "{'password': null}", "password"),
        new Bad("POST", "/tenants/default/groups", "{'name': null}", "name"),
        new Bad("PUT", "/tenants/default/groups/ops", "{'name': null}", "name"),
        new Bad("POST", robots, "{'name': null}", "name"),
        new Bad("POST", "/tenants/default/clients", "{'id': null}", "id"),
        new Bad("POST", "/tenants/default/clusters", "{'name': null}", "name"),
        new Bad("POST", "/tenants", "{'id': null}", "id"),
        new Bad("POST", "/admin-roles", "{'tenant': 'default', 'user': null, 'scope': '*'}", "user"),
        // wrong JSON types
        new Bad("POST", tokens, "{'user': 42}", "user"),
        new Bad("POST", tokens, "{'robot': ['ci']}", "robot"),
        new Bad("POST", tokens, "{'user': 'dev', 'ttl': 3600}", "ttl"),
        new Bad("POST", tokens, "{'user': 'dev', 'clusters': 'prod'}", "clusters"),
        new Bad("POST", users, "{'username': {'name': 'x'}}", "username"),
        new Bad("PUT", users + "/" + user, "{'enabled': 'no'}", "enabled"),
        new Bad("PUT", users + "/" + user, "{'email': 7}", "email"),
        new Bad("PUT", users + "/" + user + "/groups", "{'groups': 'ops'}", "groups"),
        new Bad("PUT", robots + "/" + robot, "{'enabled': 1}", "enabled"),
        new Bad("PUT", "/tenants/default/clients/app", "{'robot': 5}", "robot"),
        new Bad("PUT", "/tenants/default/clients/app", "{'redirectUris': 'https://x.example/cb'}", "redirectUris"),
        new Bad("PUT", "/tenants/default", "{'settings': 'short'}", "settings"),
        new Bad("PUT", "/tenants/default", "{'settings': {'tokenMaxTtl': 3600}}", "settings.tokenMaxTtl"),
        new Bad("PUT", "/tenants/default", "{'settings': {'robotPrefix': true}}", "settings.robotPrefix"),
        new Bad("POST", "/tenants/default/clusters/prod/onboarding", "{'clusterServer': 6443}", "clusterServer"),
        new Bad("POST", "/login", "{'tenant': 'default', 'username': 1, 'password': 'x'}", "username"),
        // arrays with null (or non-string) elements
        new Bad("PUT", users + "/" + user + "/groups", "{'groups': [null]}", "groups[0]"),
        new Bad("PUT", robots + "/" + robot + "/groups", "{'groups': ['ops', null]}", "groups[1]"),
        new Bad("POST", users, "{'username': 'new', 'groups': [1]}", "groups[0]"),
        new Bad("POST", tokens, "{'user': 'dev', 'clusters': [null]}", "clusters[0]"),
        new Bad("PUT", "/tenants/default/clients/app", "{'grantTypes': [null]}", "grantTypes[0]"));
  }

  @Test
  @DisplayName("null, wrong-typed and null-element fields: 400 problem JSON naming the field, on every endpoint")
  void namedFieldErrors() {
    List<String> failures = new ArrayList<>();
    for (Bad c : cases()) {
      HttpResponse<String> res = admin.raw(c.method(), c.path(), c.body().replace('\'', '"'));
      JsonObject body = res.statusCode() == 400 ? new JsonObject(res.body()) : null;
      boolean named = body != null && body.getJsonArray("errors", new io.vertx.core.json.JsonArray()).stream()
          .anyMatch(e -> c.field().equals(((JsonObject) e).getString("field")));
      if (!named) failures.add(c + " -> " + res.statusCode() + " " + res.body());
      else AdminClient.problem(res, 400);
    }
    assertThat(failures).isEmpty();
    // Nothing was changed by the refused requests.
    assertThat(admin.ok("/tenants/default/users/" + user).getBoolean("enabled")).isTrue();
    assertThat(admin.ok("/tenants/default/tokens?user=dev").getLong("total")).isZero();
  }

  @Test
  @DisplayName("audit from/to beyond RFC 3339's four-digit years, or not an instant: 400 naming the parameter")
  void auditInstantsOutOfRange() {
    for (String query : new String[] {"from=%2B1000000000-01-01T00:00:00Z", "to=-1000000000-01-01T00:00:00Z",
        "from=%2B10000-01-01T00:00:00Z", "to=yesterday"}) {
      HttpResponse<String> res = admin.get("/audit?" + query);
      JsonObject p = AdminClient.problem(res, 400);
      assertThat(p.getJsonArray("errors").getJsonObject(0).getString("field")).as(query).isEqualTo(query.split("=")[0]);
    }
    assertThat(admin.ok("/audit?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59Z").getLong("total")).isPositive();
  }
}
