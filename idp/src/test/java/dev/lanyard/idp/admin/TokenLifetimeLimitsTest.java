package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configured token maximum ({@code tokens.opaqueMaxTtl}) bounds every tenant: a tenant may set shorter
 * lifetimes only, a stored longer one is capped, and admin login (12 h tokens) works under a shorter maximum.
 */
class TokenLifetimeLimitsTest {
  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient admin;
  static AdminClient adminOfA;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"), Map.of("tokens.opaqueMaxTtl", "30d", "tokens.opaqueDefaultTtl", "1d"));
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    admin.created("/tenants", new JsonObject().put("id", "a"));
    admin.created("/tenants/a/users", new JsonObject().put("username", "admin-a").put("password", "password-of-admin-a"));
    admin.created("/admin-roles", new JsonObject().put("tenant", "a").put("user", "admin-a").put("scope", "a"));
    adminOfA = AdminClient.login(lanyard, "a", "admin-a", "password-of-admin-a");
    admin.created("/tenants/a/users", new JsonObject().put("username", "dev"));
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  @Test
  @DisplayName("a tenant admin cannot set tokenMaxTtl or tokenDefaultTtl above the configured maximum (400 naming it)")
  void refusedAboveConfiguredMax() {
    for (String field : new String[] {"tokenMaxTtl", "tokenDefaultTtl"}) {
      JsonObject p = AdminClient.problem(adminOfA.call("PUT", "/tenants/a", settings(field, "3650d")), 400);
      assertThat(p.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("settings." + field);
      assertThat(p.getJsonArray("errors").getJsonObject(0).getString("message")).contains("30d");
    }
    JsonObject created = AdminClient.problem(admin.call("POST", "/tenants",
        settings("tokenMaxTtl", "PT2562047788015215H").put("id", "forever")), 400);
    assertThat(created.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("settings.tokenMaxTtl");
    assertThat(admin.ok("/tenants/a").getJsonObject("settings").getString("tokenMaxTtl")).isNull();
    // Shorter is the point of the setting; the configured maximum itself is fine too.
    adminOfA.expect(200, "PUT", "/tenants/a", settings("tokenMaxTtl", "30d"));
    adminOfA.expect(200, "PUT", "/tenants/a", settings("tokenMaxTtl", null));
  }

  @Test
  @DisplayName("a tenant maximum stored above the configured one (the config was lowered since) is capped when minting")
  void storedAboveConfiguredMaxIsCapped() {
    admin.created("/tenants", new JsonObject().put("id", "old"));
    admin.created("/tenants/old/users", new JsonObject().put("username", "dev"));
    lanyard.server().storage().transactionBlocking(s -> {
      Tenant t = s.tenants().find("old").orElseThrow();
      s.tenants().update(new Tenant(t.id(), t.displayName(), t.createdAt(),
          new TenantSettings(null, null, null, Duration.ofDays(200), Duration.ofDays(3650))));
      return null;
    });
    JsonObject p = AdminClient.problem(admin.call("POST", "/tenants/old/tokens",
        new JsonObject().put("user", "dev").put("ttl", "365d")), 400);
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("ttl");
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("message")).isEqualTo("at most 30d");
    // The stored default (200d) is capped too.
    JsonObject minted = admin.created("/tenants/old/tokens", new JsonObject().put("user", "dev"));
    assertThat(lifetime(minted)).isBetween(Duration.ofDays(30).minusMinutes(1), Duration.ofDays(30));
    assertThat(lifetime(admin.created("/tenants/old/tokens", new JsonObject().put("user", "dev").put("ttl", "29d"))))
        .isGreaterThan(Duration.ofDays(28));
  }

  @Test
  @DisplayName("admin login under a tenant maximum below 12h: a token for that maximum, not a 400")
  void adminLoginUnderTenantMax() {
    adminOfA.expect(200, "PUT", "/tenants/a", settings("tokenMaxTtl", "1h"));
    try {
      AdminClient again = AdminClient.login(lanyard, "a", "admin-a", "password-of-admin-a");
      again.ok("/tenants/a");
      JsonObject login = admin.as(null).expect(200, "POST", "/login", new JsonObject().put("tenant", "a")
          .put("username", "admin-a").put("password", "password-of-admin-a"));
      assertThat(lifetime(login)).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
    } finally {
      admin.expect(200, "PUT", "/tenants/a", settings("tokenMaxTtl", null));
    }
  }

  @Test
  @DisplayName("admin login under a configured maximum below 12h: a token for that maximum, not a 400")
  void adminLoginUnderConfiguredMax() {
    try (TestLanyard shortLived = TestLanyard.start(dir.resolve("short"),
        Map.of("tokens.opaqueMaxTtl", "6h", "tokens.opaqueDefaultTtl", "1h"))) {
      AdminClient client = AdminClient.login(shortLived, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      client.ok("/tenants");
      JsonObject login = client.as(null).expect(200, "POST", "/login", new JsonObject().put("tenant", "default")
          .put("username", "admin").put("password", TestLanyard.ADMIN_PASSWORD));
      assertThat(lifetime(login)).isBetween(Duration.ofHours(6).minusMinutes(1), Duration.ofHours(6));
    }
  }

  static Duration lifetime(JsonObject minted) {
    return Duration.between(Instant.now(), Instant.parse(minted.getString("expiresAt")));
  }

  static JsonObject settings(String name, String value) {
    return new JsonObject().put("settings", new JsonObject().put(name, value));
  }
}
