package dev.lanyard.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DiscoveryRoutesTest {
  private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");
  private static final String TENANT = "prod";
  private static final String DISCOVERY = "/t/prod/.well-known/openid-configuration";
  private static final String JWKS = "/t/prod/jwks";
  private static KeyPair activePair;
  private static KeyPair otherPair;

  private InMemoryStorage storage;
  private TestClock clock;
  private TenantDocumentCache cache;
  private WebClient http;
  private int port;

  @BeforeAll
  static void generateKeys() {
    activePair = TestKeys.rsa();
    otherPair = TestKeys.rsa();
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext t) {
    storage = new InMemoryStorage(vertx);
    clock = new TestClock(START);
    storage.transactionBlocking(s -> {
      s.tenants().create(new Tenant(TENANT, "Production", START));
      s.signingKeys().create(TestKeys.key(TENANT, "k1", "RS256", activePair, KeyState.ACTIVE, START));
      return null;
    });
    DiscoveryMetadata metadata = DiscoveryMetadata.builder()
        .authorizationEndpoint("/authorize").tokenEndpoint("/token").userinfoEndpoint("/userinfo")
        .deviceAuthorizationEndpoint("/device/code").introspectionEndpoint("/introspect").revocationEndpoint("/revoke")
        .grantTypes(List.of("authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"))
        .responseTypes(List.of("code"))
        .scopes(List.of("openid", "profile", "email", "groups", "offline_access"))
        .claims(List.of("sub", "iss", "aud", "exp", "iat", "email", "email_verified", "groups", "preferred_username", "name"))
        .tokenEndpointAuthMethods(List.of("client_secret_basic", "client_secret_post", "none"))
        .codeChallengeMethods(List.of("S256"))
        .build();
    cache = new TenantDocumentCache(storage, new DiscoveryDocument("https://idp.example.com/", metadata), clock,
        Duration.ofSeconds(30), Duration.ofSeconds(2));
    Router router = Router.router(vertx);
    new DiscoveryRoutes(cache, Duration.ofHours(1), Duration.ofMinutes(5)).mount(router);
    http = WebClient.create(vertx);
    vertx.createHttpServer().requestHandler(router).listen(0)
        .onComplete(t.succeeding((HttpServer server) -> {
          port = server.actualPort();
          t.completeNow();
        }));
  }

  private Future<HttpResponse<Buffer>> get(String path) {
    return http.get(port, "localhost", path).send();
  }

  private Future<HttpResponse<Buffer>> getIfNoneMatch(String path, String ifNoneMatch) {
    HttpRequest<Buffer> request = http.get(port, "localhost", path).putHeader("If-None-Match", ifNoneMatch);
    return request.send();
  }

  private void addKey(SigningKey key) {
    storage.transactionBlocking(s -> {
      s.signingKeys().create(key);
      return null;
    });
  }

  private static List<String> kids(HttpResponse<Buffer> res) throws Exception {
    return JWKSet.parse(res.bodyAsString()).getKeys().stream().map(JWK::getKeyID).collect(Collectors.toList());
  }

  @Test
  @DisplayName("discovery: every field, issuer byte for byte, absolute endpoint URLs, absent end_session")
  void discoveryFields(VertxTestContext t) {
    get(DISCOVERY).onComplete(t.succeeding(res -> t.verify(() -> {
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.getHeader("Content-Type")).isEqualTo("application/json");
      assertThat(res.bodyAsString()).contains("\"issuer\":\"https://idp.example.com/t/prod\"");
      JsonObject doc = res.bodyAsJsonObject();
      String issuer = "https://idp.example.com/t/prod";
      assertThat(doc.getString("issuer")).isEqualTo(issuer);
      assertThat(doc.getString("jwks_uri")).isEqualTo(issuer + "/jwks");
      assertThat(doc.getString("authorization_endpoint")).isEqualTo(issuer + "/authorize");
      assertThat(doc.getString("token_endpoint")).isEqualTo(issuer + "/token");
      assertThat(doc.getString("userinfo_endpoint")).isEqualTo(issuer + "/userinfo");
      assertThat(doc.getString("device_authorization_endpoint")).isEqualTo(issuer + "/device/code");
      assertThat(doc.getString("introspection_endpoint")).isEqualTo(issuer + "/introspect");
      assertThat(doc.getString("revocation_endpoint")).isEqualTo(issuer + "/revoke");
      assertThat(doc.containsKey("end_session_endpoint")).isFalse();
      assertThat(doc.getJsonArray("response_types_supported")).isEqualTo(new JsonArray().add("code"));
      assertThat(doc.getJsonArray("subject_types_supported")).isEqualTo(new JsonArray().add("public"));
      assertThat(doc.getJsonArray("id_token_signing_alg_values_supported")).isEqualTo(new JsonArray().add("RS256"));
      assertThat(doc.getJsonArray("code_challenge_methods_supported")).isEqualTo(new JsonArray().add("S256"));
      assertThat(doc.getJsonArray("grant_types_supported")).containsExactly("authorization_code", "refresh_token",
          "urn:ietf:params:oauth:grant-type:device_code");
      assertThat(doc.getJsonArray("scopes_supported")).contains("openid", "offline_access");
      assertThat(doc.getJsonArray("claims_supported")).contains("groups", "email_verified");
      assertThat(doc.getJsonArray("token_endpoint_auth_methods_supported"))
          .containsExactly("client_secret_basic", "client_secret_post", "none");
      assertThat(doc.getBoolean("request_uri_parameter_supported")).isFalse();
      assertThat(doc.fieldNames()).hasSize(17);
      assertThat(doc.getMap().values()).doesNotContainNull();
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("JWKS: Nimbus parses it, the RSA key equals the generated one, no private parameters")
  void jwksMatchesGeneratedKey(VertxTestContext t) {
    get(JWKS).onComplete(t.succeeding(res -> t.verify(() -> {
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.getHeader("Content-Type")).isEqualTo("application/json");
      JWKSet set = JWKSet.parse(res.bodyAsString());
      assertThat(set.getKeys()).hasSize(1);
      RSAKey key = (RSAKey) set.getKeyByKeyId("k1");
      assertThat(key.isPrivate()).isFalse();
      assertThat(key.toRSAPublicKey()).isEqualTo(activePair.getPublic());
      assertThat(key.getAlgorithm().getName()).isEqualTo("RS256");
      assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
      JsonObject raw = res.bodyAsJsonObject().getJsonArray("keys").getJsonObject(0);
      assertThat(raw.fieldNames()).containsExactly("kty", "use", "alg", "kid", "n", "e");
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("ETag is a quoted base64url SHA-256; If-None-Match (exact, list, weak, *) gives 304 without body")
  void etagAndNotModified(VertxTestContext t) {
    get(JWKS).compose(first -> {
      String etag = first.getHeader("ETag");
      t.verify(() -> assertThat(etag).matches("\"[A-Za-z0-9_-]{43}\""));
      List<Future<HttpResponse<Buffer>>> checks = new ArrayList<>();
      for (String header : List.of(etag, "\"nope\", " + etag, "W/" + etag, "*")) {
        checks.add(getIfNoneMatch(JWKS, header).onSuccess(res -> t.verify(() -> {
          assertThat(res.statusCode()).as(header).isEqualTo(304);
          assertThat(res.getHeader("ETag")).isEqualTo(etag);
          assertThat(res.getHeader("Cache-Control")).isEqualTo("public, max-age=300");
          assertThat(res.body()).satisfiesAnyOf(b -> assertThat(b).isNull(), b -> assertThat(b.length()).isZero());
        })));
      }
      checks.add(getIfNoneMatch(JWKS, "\"other\"").onSuccess(res -> t.verify(() -> {
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body().length()).isPositive();
      })));
      return Future.all(checks);
    }).onComplete(t.succeedingThenComplete());
  }

  @Test
  @DisplayName("Cache-Control: public max-age, discovery and JWKS each with their own; HEAD has headers, no body")
  void cacheControlAndHead(VertxTestContext t) {
    Future<HttpResponse<Buffer>> discovery = get(DISCOVERY);
    Future<HttpResponse<Buffer>> jwks = get(JWKS);
    Future<HttpResponse<Buffer>> head = http.head(port, "localhost", JWKS).send();
    Future.all(discovery, jwks, head).onComplete(t.succeeding(all -> t.verify(() -> {
      assertThat(discovery.result().getHeader("Cache-Control")).isEqualTo("public, max-age=3600");
      assertThat(jwks.result().getHeader("Cache-Control")).isEqualTo("public, max-age=300");
      assertThat(head.result().statusCode()).isEqualTo(200);
      assertThat(head.result().getHeader("ETag")).isEqualTo(jwks.result().getHeader("ETag"));
      assertThat(head.result().getHeader("Content-Type")).isEqualTo("application/json");
      assertThat(head.result().body()).satisfiesAnyOf(b -> assertThat(b).isNull(), b -> assertThat(b.length()).isZero());
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("unknown tenant: 404 JSON not_found, not cacheable by clients")
  void unknownTenant(VertxTestContext t) {
    Future.all(get("/t/nope/jwks"), get("/t/nope/.well-known/openid-configuration"))
        .onComplete(t.succeeding(all -> t.verify(() -> {
          for (int i = 0; i < 2; i++) {
            HttpResponse<Buffer> res = all.resultAt(i);
            assertThat(res.statusCode()).isEqualTo(404);
            assertThat(res.getHeader("Content-Type")).isEqualTo("application/json");
            assertThat(res.getHeader("Cache-Control")).isEqualTo("no-store");
            assertThat(res.bodyAsJsonObject())
                .isEqualTo(new JsonObject().put("error", "not_found").put("error_description", "unknown tenant"));
          }
          t.completeNow();
        })));
  }

  @Test
  @DisplayName("invalid tenant ids get the same 404 and never reach storage")
  void invalidTenantIds(VertxTestContext t) {
    List<String> paths = List.of("/t/PROD/jwks", "/t/-prod/jwks", "/t/pr_od/jwks", "/t/" + "a".repeat(64) + "/jwks",
        "/t/pr%2Fod/jwks", "/t/%C3%A9/.well-known/openid-configuration");
    int before = storage.transactions.get();
    List<Future<HttpResponse<Buffer>>> all = paths.stream().map(this::get).collect(Collectors.toList());
    Future.all(all).onComplete(t.succeeding(done -> t.verify(() -> {
      for (Future<HttpResponse<Buffer>> f : all) {
        assertThat(f.result().statusCode()).isEqualTo(404);
        assertThat(f.result().bodyAsJsonObject().getString("error")).isEqualTo("not_found");
      }
      assertThat(storage.transactions.get()).isEqualTo(before);
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("a new key shows after invalidate(), published keys after the active one, with a new ETag")
  void invalidateShowsNewKey(VertxTestContext t) {
    get(JWKS).compose(first -> {
      addKey(TestKeys.key(TENANT, "k2", "RS256", otherPair, KeyState.PUBLISHED, START));
      return get(JWKS).compose(cached -> {
        t.verify(() -> assertThat(kids(cached)).containsExactly("k1"));
        cache.invalidate(TENANT);
        return get(JWKS);
      }).onSuccess(fresh -> t.verify(() -> {
        assertThat(kids(fresh)).containsExactly("k1", "k2");
        assertThat(fresh.getHeader("ETag")).isNotEqualTo(first.getHeader("ETag"));
        RSAKey published = (RSAKey) JWKSet.parse(fresh.bodyAsString()).getKeyByKeyId("k2");
        assertThat(published.toRSAPublicKey()).isEqualTo(otherPair.getPublic());
      }));
    }).onComplete(t.succeedingThenComplete());
  }

  @Test
  @DisplayName("a retired key past unpublishAfter is absent; one before it is present, listed last")
  void retiredKeys(VertxTestContext t) {
    addKey(TestKeys.retired(TENANT, "gone", otherPair, START.minusSeconds(7200), START.minusSeconds(1)));
    addKey(TestKeys.retired(TENANT, "retiring", otherPair, START.minusSeconds(60), START.plusSeconds(3600)));
    addKey(TestKeys.key(TENANT, "next", "RS256", otherPair, KeyState.PUBLISHED, START));
    get(JWKS).onComplete(t.succeeding(res -> t.verify(() -> {
      assertThat(kids(res)).containsExactly("k1", "next", "retiring");
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("a retired key leaves JWKS when unpublishAfter passes, before the refresh interval, without invalidate")
  void retiredKeyExpiresEntry(VertxTestContext t) {
    addKey(TestKeys.retired(TENANT, "retiring", otherPair, START.minusSeconds(60), START.plusSeconds(10)));
    get(JWKS).compose(before -> {
      t.verify(() -> assertThat(kids(before)).containsExactly("k1", "retiring"));
      clock.advance(Duration.ofSeconds(10));
      return get(JWKS);
    }).onComplete(t.succeeding(after -> t.verify(() -> {
      assertThat(kids(after)).containsExactly("k1");
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("after the refresh interval, changes made by another replica are seen")
  void refreshInterval(VertxTestContext t) {
    get(JWKS).compose(first -> {
      addKey(TestKeys.key(TENANT, "k2", "RS256", otherPair, KeyState.PUBLISHED, START));
      clock.advance(Duration.ofSeconds(29));
      return get(JWKS);
    }).compose(stillCached -> {
      t.verify(() -> assertThat(kids(stillCached)).containsExactly("k1"));
      clock.advance(Duration.ofSeconds(1));
      return get(JWKS);
    }).onComplete(t.succeeding(refreshed -> t.verify(() -> {
      assertThat(kids(refreshed)).containsExactly("k1", "k2");
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("hits are served from memory; concurrent misses share one storage transaction")
  void concurrentMissesShareOneLoad(VertxTestContext t) {
    storage.delayMillis = 300;
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      all.add(get(i % 2 == 0 ? JWKS : DISCOVERY));
    }
    Future.all(all).compose(done -> {
      t.verify(() -> {
        assertThat(all).allSatisfy(f -> assertThat(f.result().statusCode()).isEqualTo(200));
        assertThat(storage.transactions.get()).isEqualTo(2); // the seeding transaction and one load
      });
      return Future.all(get(JWKS), get(DISCOVERY));
    }).onComplete(t.succeeding(hits -> t.verify(() -> {
      assertThat(storage.transactions.get()).isEqualTo(2);
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("storage down on a cold cache: 503 JSON with Retry-After and no stack trace")
  void storageFailure(VertxTestContext t) {
    storage.failing = true;
    get(JWKS).onComplete(t.succeeding(res -> t.verify(() -> {
      assertThat(res.statusCode()).isEqualTo(503);
      assertThat(res.getHeader("Content-Type")).isEqualTo("application/json");
      assertThat(res.getHeader("Retry-After")).isEqualTo("5");
      assertThat(res.getHeader("Cache-Control")).isEqualTo("no-store");
      assertThat(res.bodyAsJsonObject().getString("error")).isEqualTo("temporarily_unavailable");
      assertThat(res.bodyAsString()).doesNotContain("Exception", "refused", "at dev.");
      t.completeNow();
    })));
  }

  @Test
  @DisplayName("storage down at refresh time: the previous documents are still served")
  void staleOnRefreshFailure(VertxTestContext t) {
    get(JWKS).compose(first -> {
      storage.failing = true;
      clock.advance(Duration.ofSeconds(31));
      return get(JWKS).onSuccess(stale -> t.verify(() -> {
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.getHeader("ETag")).isEqualTo(first.getHeader("ETag"));
      }));
    }).onComplete(t.succeedingThenComplete());
  }

  @Test
  @DisplayName("an unknown tenant is remembered briefly; invalidate() or the short TTL lets a new tenant appear")
  void unknownTenantCachedBriefly(VertxTestContext t) {
    get("/t/new/jwks").compose(first -> {
      storage.transactionBlocking(s -> {
        s.tenants().create(new Tenant("new", "New", START));
        return null;
      });
      return get("/t/new/jwks");
    }).compose(remembered -> {
      t.verify(() -> assertThat(remembered.statusCode()).isEqualTo(404));
      clock.advance(Duration.ofSeconds(2));
      return get("/t/new/jwks");
    }).compose(found -> {
      t.verify(() -> {
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.bodyAsJsonObject().getJsonArray("keys")).isEmpty();
      });
      return get("/t/other/jwks");
    }).compose(missing -> {
      storage.transactionBlocking(s -> {
        s.tenants().create(new Tenant("other", "Other", START));
        return null;
      });
      cache.invalidate("other");
      return get("/t/other/.well-known/openid-configuration");
    }).onComplete(t.succeeding(res -> t.verify(() -> {
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.bodyAsJsonObject().getString("issuer")).isEqualTo("https://idp.example.com/t/other");
      t.completeNow();
    })));
  }
}
