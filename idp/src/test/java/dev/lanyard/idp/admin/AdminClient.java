package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls the admin API of a {@link TestLanyard} over HTTPS with an admin bearer token. */
final class AdminClient {
  final TestLanyard lanyard;
  final String token;

  AdminClient(TestLanyard lanyard, String token) {
    this.lanyard = lanyard;
    this.token = token;
  }

  /** Logs in through {@code POST /admin/api/v1/login}; fails the test unless it answers 200. */
  static AdminClient login(TestLanyard lanyard, String tenant, String username, String password) {
    HttpResponse<String> res = new AdminClient(lanyard, null).call("POST", "/login",
        new JsonObject().put("tenant", tenant).put("username", username).put("password", password));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new AdminClient(lanyard, new JsonObject(res.body()).getString("token"));
  }

  AdminClient as(String otherToken) {
    return new AdminClient(lanyard, otherToken);
  }

  HttpResponse<String> call(String method, String path, JsonObject body) {
    return raw(method, path, body == null ? null : body.encode());
  }

  HttpResponse<String> raw(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + AdminApi.BASE + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return lanyard.send(b);
  }

  HttpResponse<String> get(String path) {
    return call("GET", path, null);
  }

  /** Calls and checks the status; returns the JSON body (empty object for 204). */
  JsonObject expect(int status, String method, String path, JsonObject body) {
    HttpResponse<String> res = call(method, path, body);
    assertThat(res.statusCode()).as(method + " " + path + ": " + res.body()).isEqualTo(status);
    return res.body().isEmpty() ? new JsonObject() : new JsonObject(res.body());
  }

  JsonObject ok(String path) {
    return expect(200, "GET", path, null);
  }

  JsonObject created(String path, JsonObject body) {
    return expect(201, "POST", path, body);
  }

  /** Asserts an RFC 9457 problem answer with this status; returns it. */
  static JsonObject problem(HttpResponse<String> res, int status) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject p = new JsonObject(res.body());
    assertThat(p.getInteger("status")).isEqualTo(status);
    assertThat(p.getString("title")).isNotBlank();
    if (status == 401) assertThat(res.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    return p;
  }
}
