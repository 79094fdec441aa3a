package dev.lanyard.idp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.lanyard.idp.testing.KubeApiserverVerifier;
import dev.lanyard.idp.testing.MutableClock;
import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refresh_token grant over HTTPS against a real Lanyard, as kubelogin uses it: rotation, replay detection,
 * idle and absolute expiry (on a clock moved by hand), independent families, current groups in every refreshed
 * ID token (verified with Nimbus as the kube-apiserver verifies it), and every bad input.
 */
class RefreshTokenGrantTest {
  static final String KUBELOGIN = "kubelogin";
  static final String RS_SECRET = "rs-secret-0123456789abcdef";
  static final String RESOURCE_SERVER = "resource-server:" + RS_SECRET;
  /** A confidential client that refreshes, so it can introspect its own refresh tokens. */
  static final String WEB_APP = "web-app:web-secret-0123456789abcdef";

  @TempDir
  static Path dir;

  static MutableClock clock;
  static TestLanyard lanyard;

  @BeforeAll
  static void start() throws Exception {
    Path data = TestLanyard.seeded(dir, """
        tenants:
          - id: default
            users:
              - {username: alice, email: alice@example.com, emailVerified: true, name: Alice, password: alice-password-123, groups: [dev]}
              - {username: bob, password: bob-password-1234}
              - {username: carol, password: carol-password-123}
            groups:
              - {name: ops}
            clients:
              - {id: kubelogin, public: true, redirectUris: ["http://localhost:8000"], grants: [password, refresh_token]}
              - {id: other-cli, public: true, redirectUris: ["http://localhost:8000"], grants: [password, refresh_token]}
              - {id: no-refresh, public: true, redirectUris: ["http://localhost:8000"], grants: [password]}
              - {id: resource-server, secret: %s, grants: [client_credentials]}
              - {id: web-app, secret: web-secret-0123456789abcdef, grants: [password, refresh_token]}
        """.formatted(RS_SECRET));
    clock = new MutableClock(); // now: after the tenant's first signing key became active
    lanyard = TestLanyard.start(data, Map.of("tokens.refreshIdleLifetime", "1h", "tokens.refreshAbsoluteLifetime", "3h",
        "tokens.accessTokenLifetime", "5m"), Map.of(), clock);
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  static JsonObject login(String client, String username, String password, String scope) {
    HttpResponse<String> res = lanyard.postForm("/t/default/token", Map.of("grant_type", "password",
        "client_id", client, "username", username, "password", password, "scope", scope), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  static JsonObject aliceLogin() {
    return login(KUBELOGIN, "alice", "alice-password-123", "openid profile email groups offline_access");
  }

  static HttpResponse<String> refresh(String client, String refreshToken) {
    return refresh(client, refreshToken, null);
  }

  static HttpResponse<String> refresh(String client, String refreshToken, String scope) {
    Map<String, String> form = new HashMap<>(Map.of("grant_type", "refresh_token", "client_id", client,
        "refresh_token", refreshToken));
    if (scope != null) form.put("scope", scope);
    return lanyard.postForm("/t/default/token", form, null);
  }

  static JsonObject refreshOk(String refreshToken) {
    HttpResponse<String> res = refresh(KUBELOGIN, refreshToken);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(res.headers().firstValue("Cache-Control")).contains("no-store");
    return new JsonObject(res.body());
  }

  static void assertInvalidGrant(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(new JsonObject(res.body()).getString("error")).isEqualTo("invalid_grant");
  }

  static JWTClaimsSet verify(String idToken) throws Exception {
    return KubeApiserverVerifier.verify(lanyard, lanyard.issuer("default"), KUBELOGIN, idToken);
  }

  static String userId(String username) {
    return lanyard.server().storage().transactionBlocking(s -> s.users().findByUsername("default", username))
        .orElseThrow().id();
  }

  static JsonObject introspect(String token) {
    return introspect(token, RESOURCE_SERVER);
  }

  static JsonObject introspect(String token, String basic) {
    HttpResponse<String> res = lanyard.postForm("/t/default/introspect", Map.of("token", token), basic);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  static String atHash(String accessToken) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
  }

  @Test
  @DisplayName("offline_access: a refresh token rotates on every use; each answer has a new verified ID token")
  void rotation() throws Exception {
    JsonObject first = aliceLogin();
    assertThat(first.getString("refresh_token")).startsWith("lyrt_");
    assertThat(first.getString("access_token")).startsWith("lyat_");
    assertThat(first.getLong("expires_in")).isEqualTo(300);
    assertThat(first.getString("scope").split(" ")).contains("offline_access", "openid");
    JWTClaimsSet original = verify(first.getString("id_token"));

    JsonObject second = refreshOk(first.getString("refresh_token"));
    assertThat(second.getString("refresh_token")).isNotEqualTo(first.getString("refresh_token")).startsWith("lyrt_");
    assertThat(second.getString("access_token")).isNotEqualTo(first.getString("access_token"));
    assertThat(second.getString("token_type")).isEqualTo("Bearer");
    JWTClaimsSet refreshed = verify(second.getString("id_token"));
    assertThat(refreshed.getSubject()).isEqualTo(original.getSubject()).isEqualTo(userId("alice"));
    assertThat(refreshed.getAudience()).containsExactly(KUBELOGIN);
    assertThat(refreshed.getStringClaim("azp")).isEqualTo(KUBELOGIN);
    assertThat(refreshed.getLongClaim("auth_time")).isEqualTo(original.getLongClaim("auth_time"));
    assertThat(refreshed.getClaim("nonce")).isNull();
    assertThat(refreshed.getStringClaim("at_hash")).isEqualTo(atHash(second.getString("access_token")));
    assertThat(refreshed.getStringClaim("preferred_username")).isEqualTo("alice");
    assertThat(refreshed.getStringClaim("email")).isEqualTo("alice@example.com");

    JsonObject third = refreshOk(second.getString("refresh_token"));
    verify(third.getString("id_token"));
    // The old access tokens stay valid until they expire; the newest one is active too.
    assertThat(introspect(third.getString("access_token")).getBoolean("active")).isTrue();
    refreshOk(third.getString("refresh_token"));
  }

  @Test
  @DisplayName("replaying a rotated refresh token revokes the whole family: the newest token fails too, audited")
  void replayRevokesTheFamily() {
    JsonObject first = aliceLogin();
    JsonObject second = refreshOk(first.getString("refresh_token"));
    JsonObject third = refreshOk(second.getString("refresh_token"));

    assertInvalidGrant(refresh(KUBELOGIN, first.getString("refresh_token")));
    // The newest token of the family, never used, is dead as well, and so are the family's access tokens.
    assertInvalidGrant(refresh(KUBELOGIN, third.getString("refresh_token")));
    assertThat(introspect(third.getString("access_token")).getBoolean("active")).isFalse();

    var events = lanyard.server().storage().transactionBlocking(s -> s.audit().query(
        new AuditQuery("default", null, "token.refresh.replay", null, null), 0, 100));
    assertThat(events).anySatisfy(e -> {
      assertThat(e.outcome()).isEqualTo("failure");
      assertThat(e.target()).isEqualTo("user:" + userId("alice"));
      assertThat(e.actor()).isEqualTo("client:" + KUBELOGIN);
    });
  }

  @Test
  @DisplayName("two concurrent uses of one refresh token: exactly one succeeds, the other is a replay")
  void concurrentUsesOfOneToken() {
    JsonObject first = aliceLogin();
    List<CompletableFuture<HttpResponse<String>>> uses = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      uses.add(CompletableFuture.supplyAsync(() -> refresh(KUBELOGIN, first.getString("refresh_token"))));
    }
    List<HttpResponse<String>> answers = uses.stream().map(CompletableFuture::join).toList();
    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 400);
    HttpResponse<String> winner = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
    // The loser counted as a replay, so the winner's new token is revoked with its family.
    assertInvalidGrant(refresh(KUBELOGIN, new JsonObject(winner.body()).getString("refresh_token")));
  }

  @Test
  @DisplayName("one person on several machines: independent families; replay in one leaves the other alone")
  void independentFamilies() {
    JsonObject laptop = aliceLogin();
    JsonObject jumpHost = aliceLogin();
    JsonObject laptop2 = refreshOk(laptop.getString("refresh_token"));
    JsonObject jumpHost2 = refreshOk(jumpHost.getString("refresh_token"));
    assertInvalidGrant(refresh(KUBELOGIN, laptop.getString("refresh_token"))); // replay on the laptop's family
    assertInvalidGrant(refresh(KUBELOGIN, laptop2.getString("refresh_token")));
    refreshOk(jumpHost2.getString("refresh_token"));
    assertThat(lanyard.server().storage().transactionBlocking(s -> s.refreshTokens()
        .liveFamiliesOfUser("default", userId("alice"), clock.instant())).size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("the next refreshed ID token carries the user's current groups (verified with Nimbus)")
  void groupChangesShowInTheNextIdToken() throws Exception {
    JsonObject first = login(KUBELOGIN, "carol", "carol-password-123", "openid groups offline_access");
    assertThat(verify(first.getString("id_token")).getStringListClaim("groups")).isEmpty();
    String carol = userId("carol");
    lanyard.server().storage().transactionBlocking(s -> {
      s.groups().addMember("default", s.groups().findByName("default", "ops").orElseThrow().id(), carol);
      return null;
    });
    JsonObject second = refreshOk(first.getString("refresh_token"));
    assertThat(verify(second.getString("id_token")).getStringListClaim("groups")).containsExactly("ops");
    lanyard.server().storage().transactionBlocking(s -> {
      s.groups().setGroupsOfUser("default", carol, Set.of());
      return null;
    });
    JsonObject third = refreshOk(second.getString("refresh_token"));
    assertThat(verify(third.getString("id_token")).getStringListClaim("groups")).isEmpty();
  }

  @Test
  @DisplayName("the janitor forgets ended refresh families and revoked access tokens a day later, not before")
  void janitor() {
    JsonObject tokens = aliceLogin();
    refreshOk(tokens.getString("refresh_token"));
    assertInvalidGrant(refresh(KUBELOGIN, tokens.getString("refresh_token"))); // replay: the family is revoked
    JsonObject other = login(KUBELOGIN, "alice", "alice-password-123", "openid");
    String jti = introspect(other.getString("access_token")).getString("jti");
    assertThat(lanyard.postForm("/t/default/revoke", Map.of("token", other.getString("access_token"), "client_id",
        KUBELOGIN), null).statusCode()).isEqualTo(200);
    var janitor = new dev.lanyard.idp.tokens.TokenJanitor(lanyard.server().storage(), clock);
    janitor.sweep().await();
    assertThat(lanyard.server().storage().transactionBlocking(
        (dev.lanyard.storage.StoreSession s) -> s.revokedAccessTokens().contains("default", jti))).isTrue();
    assertThat(introspect(other.getString("access_token")).getBoolean("active")).isFalse();
    clock.advance(Duration.ofHours(25));
    assertThat(janitor.sweep().await()).isGreaterThanOrEqualTo(2);
    assertThat(lanyard.server().storage().transactionBlocking(
        (dev.lanyard.storage.StoreSession s) -> s.revokedAccessTokens().contains("default", jti))).isFalse();
    // Forgotten only once expired: the token stays refused.
    assertThat(introspect(other.getString("access_token")).getBoolean("active")).isFalse();
    assertInvalidGrant(refresh(KUBELOGIN, tokens.getString("refresh_token")));
  }

  @Test
  @DisplayName("idle expiry: a token unused past refreshIdleLifetime is refused")
  void idleExpiry() {
    JsonObject first = aliceLogin();
    clock.advance(Duration.ofMinutes(61));
    assertInvalidGrant(refresh(KUBELOGIN, first.getString("refresh_token")));
  }

  @Test
  @DisplayName("absolute expiry: however often it is refreshed, the family ends refreshAbsoluteLifetime after login")
  void absoluteExpiry() {
    String token = aliceLogin().getString("refresh_token");
    Instant login = clock.instant();
    while (Duration.between(login, clock.instant().plus(Duration.ofMinutes(50))).compareTo(Duration.ofHours(3)) < 0) {
      clock.advance(Duration.ofMinutes(50));
      token = refreshOk(token).getString("refresh_token");
    }
    clock.advance(Duration.ofMinutes(50)); // past 3h since login, though only 50 min since the last use
    assertInvalidGrant(refresh(KUBELOGIN, token));
  }

  @Test
  @DisplayName("scope may be narrowed for one response, never widened; the family keeps what was granted")
  void scopeNarrowing() throws Exception {
    JsonObject first = login(KUBELOGIN, "alice", "alice-password-123", "openid groups offline_access");
    HttpResponse<String> narrowed = refresh(KUBELOGIN, first.getString("refresh_token"), "openid");
    assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);
    JsonObject n = new JsonObject(narrowed.body());
    assertThat(n.getString("scope")).isEqualTo("openid");
    assertThat(verify(n.getString("id_token")).getClaims()).doesNotContainKey("groups");
    HttpResponse<String> widened = refresh(KUBELOGIN, n.getString("refresh_token"), "openid email");
    assertThat(widened.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(widened.body()).getString("error")).isEqualTo("invalid_scope");
    // The refused widening used nothing: the token still works, with the full grant.
    JsonObject full = refreshOk(n.getString("refresh_token"));
    assertThat(full.getString("scope").split(" ")).containsExactlyInAnyOrder("openid", "groups", "offline_access");
  }

  @Test
  @DisplayName("a refresh token works only for the client it was issued to")
  void boundToItsClient() {
    JsonObject first = aliceLogin();
    assertInvalidGrant(refresh("other-cli", first.getString("refresh_token")));
    refreshOk(first.getString("refresh_token"));
  }

  @Test
  @DisplayName("a disabled user's refresh token is refused with invalid_grant")
  void disabledUser() {
    JsonObject first = login(KUBELOGIN, "bob", "bob-password-1234", "openid offline_access");
    setEnabled("bob", false);
    try {
      assertInvalidGrant(refresh(KUBELOGIN, first.getString("refresh_token")));
    } finally {
      setEnabled("bob", true);
    }
    refreshOk(first.getString("refresh_token")); // refused, not rotated: usable again once re-enabled
  }

  static void setEnabled(String username, boolean enabled) {
    lanyard.server().storage().transactionBlocking(s -> {
      User u = s.users().findByUsername("default", username).orElseThrow();
      s.users().update(new User(u.tenantId(), u.id(), u.username(), u.email(), u.emailVerified(), u.displayName(),
          enabled, u.passwordHash(), u.createdAt(), Instant.now()));
      return null;
    });
  }

  @Test
  @DisplayName("no refresh token without offline_access, or for a client that may not refresh")
  void noRefreshTokenUnlessGrantedAndAllowed() {
    JsonObject noOffline = login(KUBELOGIN, "alice", "alice-password-123", "openid");
    assertThat(noOffline.containsKey("refresh_token")).isFalse();
    JsonObject notAllowed = login("no-refresh", "alice", "alice-password-123", "openid offline_access");
    assertThat(notAllowed.containsKey("refresh_token")).isFalse();
    assertThat(notAllowed.getString("scope")).isEqualTo("openid");
  }

  @Test
  @DisplayName("bad input: missing, repeated, malformed or unknown refresh_token; unknown client; other tenant")
  void badInput() {
    String token = aliceLogin().getString("refresh_token");
    HttpResponse<String> missing = lanyard.postForm("/t/default/token",
        Map.of("grant_type", "refresh_token", "client_id", KUBELOGIN), null);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("invalid_request");

    HttpResponse<String> repeated = lanyard.postRaw("/t/default/token", "application/x-www-form-urlencoded",
        "grant_type=refresh_token&client_id=kubelogin&refresh_token=" + token + "&refresh_token=" + token);
    assertThat(repeated.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(repeated.body()).getString("error")).isEqualTo("invalid_request");

    assertInvalidGrant(refresh(KUBELOGIN, "garbage"));
    // The last character changed (to one it is not), so the checksum no longer matches.
    char last = token.charAt(token.length() - 1);
    assertInvalidGrant(refresh(KUBELOGIN, token.substring(0, token.length() - 1) + (last == 'x' ? 'y' : 'x')));
    assertInvalidGrant(refresh(KUBELOGIN, dev.lanyard.idp.tokens.OpaqueTokenFormat.REFRESH.generate()));
    // An access token is no refresh token.
    assertInvalidGrant(refresh(KUBELOGIN, aliceLogin().getString("access_token")));

    HttpResponse<String> unknownClient = refresh("nobody", token);
    assertThat(unknownClient.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(unknownClient.body()).getString("error")).isEqualTo("invalid_client");
    assertThat(unknownClient.headers().firstValue("WWW-Authenticate")).isPresent();

    HttpResponse<String> otherTenant = lanyard.postForm("/t/nope/token", Map.of("grant_type", "refresh_token",
        "client_id", KUBELOGIN, "refresh_token", token), null);
    assertThat(otherTenant.statusCode()).isEqualTo(404);
    // None of that used the token up.
    refreshOk(token);
  }

  @Test
  @DisplayName("revoking a refresh token (RFC 7009) ends its family and the family's access tokens")
  void revokingARefreshTokenEndsTheFamily() {
    JsonObject first = aliceLogin();
    JsonObject second = refreshOk(first.getString("refresh_token"));
    HttpResponse<String> byOther = lanyard.postForm("/t/default/revoke", Map.of("token",
        second.getString("refresh_token"), "client_id", "other-cli"), null);
    assertThat(byOther.statusCode()).isEqualTo(400);
    // RFC 7009 §2.2.1 answers with RFC 6749 §5.2's codes, where unauthorized_client is about grant types.
    assertThat(new JsonObject(byOther.body()).getString("error")).isEqualTo("invalid_request");
    assertThat(new JsonObject(byOther.body()).getString("error_description")).contains("not issued to this client");
    // Hint says access token: not trusted, the token is still found and revoked as what it is.
    HttpResponse<String> res = lanyard.postForm("/t/default/revoke", Map.of("token", second.getString("refresh_token"),
        "token_type_hint", "access_token", "client_id", KUBELOGIN), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertInvalidGrant(refresh(KUBELOGIN, second.getString("refresh_token")));
    assertThat(introspect(second.getString("access_token")).getBoolean("active")).isFalse();
    assertThat(introspect(first.getString("access_token")).getBoolean("active")).isFalse();
  }

  @Test
  @DisplayName("introspection of refresh and access tokens: client_id, scope, sub, username; revoked access token")
  void introspection() {
    JsonObject tokens = aliceLogin();
    JsonObject access = introspect(tokens.getString("access_token"));
    assertThat(access.getBoolean("active")).isTrue();
    assertThat(access.getString("client_id")).isEqualTo(KUBELOGIN);
    assertThat(access.getString("sub")).isEqualTo(userId("alice"));
    assertThat(access.getString("username")).isEqualTo("alice");
    assertThat(access.getString("token_type")).isEqualTo("Bearer");
    assertThat(access.getString("iss")).isEqualTo(lanyard.issuer("default"));
    assertThat(access.getString("scope").split(" ")).contains("openid", "groups", "offline_access");
    assertThat(access.getLong("exp") - access.getLong("iat")).isEqualTo(300);
    HttpResponse<String> revoked = lanyard.postForm("/t/default/revoke", Map.of("token",
        tokens.getString("access_token"), "client_id", KUBELOGIN), null);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(introspect(tokens.getString("access_token"))).isEqualTo(new JsonObject().put("active", false));
    // Revoking the access token leaves the refresh token alone.
    refreshOk(tokens.getString("refresh_token"));
  }

  @Test
  @DisplayName("another client revoking an access token: 400 invalid_request, and the token stays active")
  void anotherClientCannotRevokeAnAccessToken() {
    String access = aliceLogin().getString("access_token");
    HttpResponse<String> byOther = lanyard.postForm("/t/default/revoke", Map.of("token", access, "client_id",
        "other-cli"), null);
    assertThat(byOther.statusCode()).as(byOther.body()).isEqualTo(400);
    assertThat(new JsonObject(byOther.body()).getString("error")).isEqualTo("invalid_request");
    assertThat(new JsonObject(byOther.body()).getString("error_description")).contains("not issued to this client");
    assertThat(introspect(access).getBoolean("active")).isTrue();
  }

  @Test
  @DisplayName("a refresh token is introspected only by its own client, every field checked; others get active:false")
  void refreshTokenIntrospection() {
    HttpResponse<String> res = lanyard.postForm("/t/default/token", Map.of("grant_type", "password",
        "username", "alice", "password", "alice-password-123", "scope", "openid groups offline_access"), WEB_APP);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    String token = new JsonObject(res.body()).getString("refresh_token");
    String id = lanyard.server().storage().transactionBlocking(s -> s.refreshTokens().lockByHash("default",
        dev.lanyard.idp.tokens.OpaqueTokenFormat.hash(token))).orElseThrow().token().id();

    JsonObject own = introspect(token, WEB_APP);
    assertThat(own.getBoolean("active")).isTrue();
    assertThat(own.getString("client_id")).isEqualTo("web-app");
    assertThat(own.getString("sub")).isEqualTo(userId("alice"));
    assertThat(own.getString("username")).isEqualTo("alice");
    assertThat(own.getString("scope")).isEqualTo("groups offline_access openid");
    assertThat(own.getString("iss")).isEqualTo(lanyard.issuer("default"));
    assertThat(own.getString("jti")).isEqualTo(id);
    assertThat(own.getLong("iat")).isEqualTo(clock.instant().getEpochSecond());
    assertThat(own.getLong("exp") - own.getLong("iat")).isEqualTo(3600); // tokens.refreshIdleLifetime
    // No token_type: a refresh token is no bearer credential for a resource server (RFC 7662 §2.2, OPTIONAL).
    assertThat(own.containsKey("token_type")).isFalse();

    // Another confidential client of the tenant learns nothing about it (RFC 7662 §2.2).
    assertThat(introspect(token, RESOURCE_SERVER)).isEqualTo(new JsonObject().put("active", false));

    // Once rotated, it is inactive to its own client too; its successor is active.
    HttpResponse<String> refreshed = lanyard.postForm("/t/default/token", Map.of("grant_type", "refresh_token",
        "refresh_token", token), WEB_APP);
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    assertThat(introspect(token, WEB_APP)).isEqualTo(new JsonObject().put("active", false));
    assertThat(introspect(new JsonObject(refreshed.body()).getString("refresh_token"), WEB_APP).getBoolean("active"))
        .isTrue();
  }

  @Test
  @DisplayName("an access token lives only with its grant: its tenant, its client, its user, its lifetime")
  void accessTokensLiveOnlyWithTheirGrant() {
    lanyard.server().storage().transactionBlocking(s -> {
      s.clients().create(new dev.lanyard.storage.model.OAuthClient("default", "short-lived", "Short-lived", null,
          java.util.List.of("http://localhost:8000"), Set.of("password"), Instant.now(), "short-lived-uid"));
      return null;
    });
    String ofDeletedClient = login("short-lived", "carol", "carol-password-123", "openid").getString("access_token");
    assertThat(introspect(ofDeletedClient).getBoolean("active")).isTrue();
    lanyard.server().storage().transactionBlocking(s -> {
      s.clients().delete("default", "short-lived");
      return null;
    });
    assertThat(introspect(ofDeletedClient).getBoolean("active")).isFalse();

    String carols = login(KUBELOGIN, "carol", "carol-password-123", "openid").getString("access_token");
    // Sealed to its tenant: another tenant's introspection does not know it (the server has only "default", so a
    // tenant that does not exist answers; the seal's own test covers two real tenants).
    assertThat(lanyard.postForm("/t/nope/introspect", Map.of("token", carols), "resource-server:" + RS_SECRET)
        .statusCode()).isEqualTo(404);
    setEnabled("carol", false);
    try {
      assertThat(introspect(carols).getBoolean("active")).isFalse();
    } finally {
      setEnabled("carol", true);
    }
    assertThat(introspect(carols).getBoolean("active")).isTrue();
    clock.advance(Duration.ofMinutes(5));
    assertThat(introspect(carols).getBoolean("active")).isFalse();
  }

  @Test
  @DisplayName("the TokenReview webhook never accepts an access or refresh token as a Kubernetes token")
  void webhookRefusesOAuthTokens() {
    JsonObject tokens = aliceLogin();
    String credential = lanyard.server().services().clusters().register("default", "prod-" + System.nanoTime(), null,
        "test", null).await().credential();
    for (String token : List.of(tokens.getString("access_token"), tokens.getString("refresh_token"))) {
      String review = new JsonObject().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview")
          .put("spec", new JsonObject().put("token", token)).encode();
      HttpResponse<String> res = lanyard.send(HttpRequest.newBuilder(URI.create(lanyard.baseUrl()
              + "/t/default/tokenreview")).header("Authorization", "Bearer " + credential)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(review)));
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      assertThat(new JsonObject(res.body()).getJsonObject("status").getBoolean("authenticated")).isFalse();
    }
  }
}
