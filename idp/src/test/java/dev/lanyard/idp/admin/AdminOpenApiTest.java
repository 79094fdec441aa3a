package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
      JsonObject doc;
      try (InputStream in = AdminApi.class.getResourceAsStream("openapi.json")) {
        doc = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
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
}
