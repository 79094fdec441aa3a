package dev.lanyard.idp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.AuditEvent;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refused client authentication at the token, introspection and revocation endpoints is a
 * {@code client.auth.failure} audit event, whether authentication itself failed or the client authenticated
 * but may not authenticate that way here (a public client where a confidential one is needed).
 */
class ClientAuthFailureAuditTest {
  static final String SECRET = "rs-secret-0123456789abcdef";

  @TempDir
  static Path dir;

  static TestLanyard lanyard;

  @BeforeAll
  static void start() {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            clients:
              - {id: resource-server, secret: %s, grants: [client_credentials]}
              - {id: cli, public: true, redirectUris: ["http://localhost:8000"], grants: [authorization_code]}
        """.formatted(SECRET));
    lanyard = TestLanyard.start(data);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  /** Waits for a client.auth.failure event matching {@code which} (failures are recorded off the request's path). */
  static AuditEvent awaitFailure(Predicate<AuditEvent> which) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      List<AuditEvent> events = lanyard.server().storage().transactionBlocking(s -> s.audit().query(
          new AuditQuery(null, null, "client.auth.failure", null, null), 0, 1000));
      for (AuditEvent e : events) {
        if (which.test(e)) return e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such client.auth.failure event");
  }

  static String reason(AuditEvent e) {
    return e.details() == null ? null : new JsonObject(e.details()).getString("reason");
  }

  static void assertInvalidClient(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
    assertThat(new JsonObject(res.body()).getString("error")).isEqualTo("invalid_client");
  }

  @Test
  @DisplayName("a public client at introspection")
  void publicClientAtIntrospection() throws Exception {
    assertInvalidClient(lanyard.postForm("/t/default/introspect", Map.of("token", "x", "client_id", "cli"), null));
    AuditEvent e = awaitFailure(ev -> "client:cli".equals(ev.actor()));
    assertThat(e.tenantId()).isEqualTo("default");
    assertThat(e.outcome()).isEqualTo("failure");
    assertThat(reason(e)).isEqualTo("introspection needs a confidential client");
    assertThat(e.source()).isEqualTo("127.0.0.1");
  }

  @Test
  @DisplayName("a public client asking for client_credentials (registered before public clients were refused the grant)")
  void publicClientWithClientCredentials() throws Exception {
    lanyard.server().storage().transactionBlocking(s -> {
      s.clients().create(new OAuthClient("default", "old-public", "old public client", null, List.of(),
          Set.of("client_credentials"), Instant.now(), dev.lanyard.storage.TimeOrderedIds.next()));
      return null;
    });
    assertInvalidClient(lanyard.postForm("/t/default/token", Map.of("grant_type", "client_credentials",
        "client_id", "old-public"), null));
    AuditEvent e = awaitFailure(ev -> "client:old-public".equals(ev.actor()));
    assertThat(e.tenantId()).isEqualTo("default");
    assertThat(reason(e)).isEqualTo("client_credentials needs a confidential client");
  }

  @Test
  @DisplayName("a malformed Basic header, at each endpoint: audited with no tenant (the URL's is only its word) and the URL's tenant in the details")
  void malformedBasicHeader() throws Exception {
    for (String endpoint : List.of("token", "introspect", "revoke")) {
      HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl() + "/t/default/"
              + endpoint)).header("Content-Type", "application/x-www-form-urlencoded")
          .header("Authorization", "Basic %%%notbase64")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&token=x")));
      assertInvalidClient(res);
      assertThat(new JsonObject(res.body()).getString("error_description")).isEqualTo("malformed Basic authorization header");
    }
    AuditEvent e = awaitFailure(ev -> "malformed Basic authorization header".equals(reason(ev)));
    assertThat(e.tenantId()).isNull();
    assertThat(e.actor()).isEqualTo("anonymous");
    assertThat(new JsonObject(e.details()).getString("tenant")).isEqualTo("default");
  }

  @Test
  @DisplayName("no client credentials at a made-up tenant: audited with no tenant, so a made-up tenant names none")
  void noCredentialsAtMadeUpTenant() throws Exception {
    assertInvalidClient(lanyard.postForm("/t/made-up-tenant/token", Map.of("grant_type", "client_credentials"), null));
    AuditEvent e = awaitFailure(ev -> ev.details() != null
        && "made-up-tenant".equals(new JsonObject(ev.details()).getString("tenant")));
    assertThat(e.tenantId()).isNull();
    assertThat(reason(e)).isEqualTo("client authentication required");
  }
}
