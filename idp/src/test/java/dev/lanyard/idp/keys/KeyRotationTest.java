package dev.lanyard.idp.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import dev.lanyard.discovery.JwksDocument;
import dev.lanyard.idp.tenants.TenantProvisioner;
import dev.lanyard.idp.testing.MutableClock;
import dev.lanyard.idp.tokens.TenantSigners;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.jdbc.JdbcStorage;
import dev.lanyard.storage.model.KeyState;
import dev.lanyard.storage.model.SigningKey;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key states and their rules, on a real H2 file, with tokens checked by Nimbus against the JWKS as served. */
class KeyRotationTest {
  static final Duration JWKS_MAX_AGE = Duration.ofMinutes(5);
  static final Duration REFRESH = Duration.ofSeconds(30);
  static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);

  @TempDir
  Path dataDir;

  Vertx vertx;
  Storage storage;
  MutableClock clock = new MutableClock();
  KeyRotation rotation;
  TenantSigners signers;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    storage = JdbcStorage.open(vertx, StorageConfig.h2File(dataDir));
    SigningKeyFactory factory = new SigningKeyFactory(MasterKey.load(dataDir, Map.of()));
    rotation = new KeyRotation(factory, 2048, JWKS_MAX_AGE, REFRESH, TOKEN_LIFETIME, clock);
    signers = new TenantSigners(storage, factory, clock);
    TenantProvisioner tenants = new TenantProvisioner(factory, 2048, clock);
    SigningKey first = tenants.firstKey("t1");
    storage.transactionBlocking(s -> tenants.create(s, "t1", "T1", first));
  }

  @AfterEach
  void close() {
    storage.close();
    vertx.close().await();
  }

  private String kidOfNewToken() throws Exception {
    String jwt = signers.sign("t1", new JsonObject().put("sub", "x")).await();
    JWSObject jws = JWSObject.parse(jwt);
    // Every token must verify against the JWKS that is served at that moment.
    JWKSet jwks = JWKSet.parse(JwksDocument.render(keys(), clock.instant()).encode());
    assertThat(jws.verify(new RSASSAVerifier(jwks.getKeyByKeyId(jws.getHeader().getKeyID()).toRSAKey())))
        .as("token verifies with the published JWKS").isTrue();
    return jws.getHeader().getKeyID();
  }

  private List<SigningKey> keys() {
    return storage.transactionBlocking(s -> s.signingKeys().list("t1"));
  }

  private List<String> publishedKids() {
    return JwksDocument.publishedKeys(keys(), clock.instant()).stream().map(SigningKey::kid).toList();
  }

  @Test
  @DisplayName("a tenant's first key is active at once")
  void firstKeySignsAtOnce() throws Exception {
    SigningKey first = keys().get(0);
    assertThat(first.state()).isEqualTo(KeyState.ACTIVE);
    assertThat(kidOfNewToken()).isEqualTo(first.kid());
  }

  @Test
  @DisplayName("a new key is published longer than the JWKS max-age before it signs; the old one stays until its tokens expire")
  void rotationFollowsTheRules() throws Exception {
    String oldKid = keys().get(0).kid();
    SigningKey next = rotation.nextKey("t1");
    assertThat(rotation.publishLead()).isGreaterThan(JWKS_MAX_AGE.plus(REFRESH));
    storage.transactionBlocking(s -> {
      rotation.publish(s, next);
      return null;
    });
    signers.invalidate("t1");

    // Published: in JWKS at once, but nothing is signed with it yet.
    assertThat(publishedKids()).containsExactlyInAnyOrder(oldKid, next.kid());
    assertThat(kidOfNewToken()).isEqualTo(oldKid);
    clock.advance(JWKS_MAX_AGE.plus(REFRESH)); // an API server may still hold a JWKS without the new key
    assertThat(kidOfNewToken()).isEqualTo(oldKid);
    List<SigningKey> early = storage.transactionBlocking(s -> rotation.advance(s, "t1"));
    assertThat(early).isEmpty();

    // Its time has come: it signs, even before any state change is recorded (no invalidate needed).
    clock.advance(rotation.publishLead());
    assertThat(kidOfNewToken()).isEqualTo(next.kid());
    List<SigningKey> changed = storage.transactionBlocking(s -> rotation.advance(s, "t1"));
    assertThat(changed).extracting(SigningKey::state).containsExactlyInAnyOrder(KeyState.ACTIVE, KeyState.RETIRED);
    SigningKey retired = keys().stream().filter(k -> k.kid().equals(oldKid)).findFirst().orElseThrow();
    assertThat(retired.state()).isEqualTo(KeyState.RETIRED);
    assertThat(retired.unpublishAfter()).isEqualTo(clock.instant().plus(rotation.retentionAfterRetirement()));

    // Retired: still published while a token it signed may be valid, never signing.
    signers.invalidate("t1");
    assertThat(kidOfNewToken()).isEqualTo(next.kid());
    clock.advance(TOKEN_LIFETIME);
    assertThat(publishedKids()).contains(oldKid);
    clock.advance(KeyRotation.MARGIN);
    assertThat(publishedKids()).containsExactly(next.kid());
    storage.transactionBlocking(s -> rotation.advance(s, "t1"));
    assertThat(keys()).extracting(SigningKey::kid).containsExactly(next.kid());
  }
}
