package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.idp.tls.IssuedCertificate;
import dev.lanyard.idp.tls.LocalCertificateAuthority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster deleted through the admin API and registered again under its name is a new cluster: tokens bound to
 * the old one and the old one's client certificates do not count on it. Driven through the webhook as a
 * kube-apiserver calls it, with the bearer credential and with a client certificate.
 */
class ReregisteredClusterTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("delete + register 'prod' again: tokens bound to the old prod and its old certificate are refused")
  void oldBindingsAndCertificatesDoNotComeBack() throws Exception {
    Path data = dir.resolve("data");
    try (TestLanyard lanyard = TestLanyard.start(data)) {
      String admin = adminToken(lanyard);
      ClusterService clusters = lanyard.server().services().clusters();
      LocalCertificateAuthority ca = LocalCertificateAuthority.loadOrCreate(data.resolve("tls"), Clock.systemUTC());
      String rs = "rs:" + call(lanyard, admin, "POST", "/tenants/default/clients", new JsonObject().put("id", "rs")
          .put("type", "confidential").put("grantTypes", new JsonArray().add("client_credentials")), 201)
          .getString("secret");

      String oldCredential = register(lanyard, admin, "prod");
      String staging = register(lanyard, admin, "staging");
      IssuedCertificate oldCertificate = clusters.issueClientCertificate("default", "prod", ca, Duration.ofDays(1),
          "test", null).await().certificate();
      JsonObject onlyProd = mint(lanyard, admin, new JsonArray().add("prod"));
      JsonObject prodAndStaging = mint(lanyard, admin, new JsonArray().add("prod").add("staging"));
      String everywhere = mint(lanyard, admin, new JsonArray()).getString("token");
      assertThat(authenticated(lanyard, oldCredential, onlyProd.getString("token"))).isTrue();
      assertThat(certificateReview(lanyard, oldCertificate, onlyProd.getString("token")).statusCode()).isEqualTo(200);
      assertThat(introspect(lanyard, rs, onlyProd.getString("token")).getJsonArray("aud"))
          .isEqualTo(new JsonArray().add("prod"));

      call(lanyard, admin, "DELETE", "/tenants/default/clusters/prod", null, 204);
      String newCredential = register(lanyard, admin, "prod");
      IssuedCertificate newCertificate = clusters.issueClientCertificate("default", "prod", ca, Duration.ofDays(1),
          "test", null).await().certificate();

      // Bearer path: the new prod refuses what was bound to the old one; staging still takes its binding.
      assertThat(authenticated(lanyard, newCredential, onlyProd.getString("token"))).isFalse();
      assertThat(authenticated(lanyard, newCredential, prodAndStaging.getString("token"))).isFalse();
      assertThat(authenticated(lanyard, staging, prodAndStaging.getString("token"))).isTrue();
      assertThat(authenticated(lanyard, newCredential, everywhere)).isTrue();
      assertThat(lanyard.tokenReview("default", oldCredential, everywhere).statusCode()).isEqualTo(401);
      // Certificate path: the old prod's certificate is no caller at all; the new one's is, with the same answers.
      assertThat(certificateReview(lanyard, oldCertificate, everywhere).statusCode()).isEqualTo(401);
      assertThat(status(certificateReview(lanyard, newCertificate, onlyProd.getString("token")))
          .getBoolean("authenticated")).isFalse();
      assertThat(status(certificateReview(lanyard, newCertificate, everywhere)).getBoolean("authenticated")).isTrue();

      // Bound only to a deleted cluster: valid nowhere, and shown so.
      assertThat(introspect(lanyard, rs, onlyProd.getString("token"))).isEqualTo(new JsonObject().put("active", false));
      assertThat(introspect(lanyard, rs, prodAndStaging.getString("token")).getJsonArray("aud"))
          .isEqualTo(new JsonArray().add("staging"));
      JsonArray shown = call(lanyard, admin, "GET", "/tenants/default/tokens/" + onlyProd.getString("id"), null, 200)
          .getJsonArray("clusters");
      assertThat(shown).hasSize(1);
      assertThat(shown.getString(0)).startsWith(ClusterBindings.DELETED);
      assertThat(call(lanyard, admin, "GET", "/tenants/default/tokens/" + prodAndStaging.getString("id"), null, 200)
          .getJsonArray("clusters").getString(1)).isEqualTo("staging");
    }
  }

  private static String adminToken(TestLanyard lanyard) {
    return call(lanyard, null, "POST", "/login", new JsonObject().put("tenant", "default").put("username", "admin")
        .put("password", TestLanyard.ADMIN_PASSWORD), 200).getString("token");
  }

  private static String register(TestLanyard lanyard, String admin, String name) {
    return call(lanyard, admin, "POST", "/tenants/default/clusters", new JsonObject().put("name", name), 201)
        .getString("credential");
  }

  /** A Kubernetes token for the admin, bound to {@code clusters} (names); the create answer. */
  private static JsonObject mint(TestLanyard lanyard, String admin, JsonArray clusters) {
    JsonObject created = call(lanyard, admin, "POST", "/tenants/default/tokens", new JsonObject().put("user", "admin")
        .put("clusters", clusters), 201);
    assertThat(created.getJsonArray("clusters")).isEqualTo(clusters);
    return created;
  }

  private static boolean authenticated(TestLanyard lanyard, String credential, String token) {
    return lanyard.tokenReviewStatus("default", credential, token).getBoolean("authenticated");
  }

  private static HttpResponse<String> certificateReview(TestLanyard lanyard, IssuedCertificate certificate,
      String token) throws Exception {
    SSLContext tls = ClientCertificateWebhookTest.withCertificate(certificate, false, lanyard.server().caFile());
    HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/tokenreview?timeout=30s"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(TokenReviewWebhookTest.body(TokenReviewRequest.V1, token))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject status(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body()).getJsonObject("status");
  }

  private static JsonObject introspect(TestLanyard lanyard, String basic, String token) {
    HttpResponse<String> res = lanyard.postForm("/t/default/introspect", Map.of("token", token), basic);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  private static JsonObject call(TestLanyard lanyard, String token, String method, String path, JsonObject body,
      int status) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/admin/api/v1" + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> res = lanyard.send(b);
    assertThat(res.statusCode()).as(method + " " + path + ": " + res.body()).isEqualTo(status);
    return res.body().isEmpty() ? new JsonObject() : new JsonObject(res.body());
  }
}
