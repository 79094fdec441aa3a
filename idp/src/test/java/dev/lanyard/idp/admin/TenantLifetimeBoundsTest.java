package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's lifetimes have upper bounds: a huge one (even one whose arithmetic overflows) is a 400 naming the
 * field, never accepted to break the token endpoint later; a huge one stored before the bounds is capped.
 */
class TenantLifetimeBoundsTest {
  static final List<String> LIFETIMES = List.of("idTokenLifetime", "tokenDefaultTtl", "tokenMaxTtl",
      "accessTokenLifetime", "refreshIdleLifetime", "refreshAbsoluteLifetime");
  /** Near Duration's limit (Instant.plus overflows), past Long's seconds, and long but representable. */
  static final List<String> HUGE = List.of("PT2562047788015215H", "P106751991167300D", "PT9999999999999999H",
      "PT9223372036854775807S", "999999999d", "P999999999D");

  @TempDir
  static Path dir;

  static TestLanyard lanyard;
  static AdminClient admin;

  @BeforeAll
  static void start() {
    lanyard = TestLanyard.start(dir.resolve("data"));
    admin = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
    admin.created("/tenants", new JsonObject().put("id", "life"));
    admin.created("/tenants/life/users", new JsonObject().put("username", "dev").put("password", "dev-password-123"));
    admin.created("/tenants/life/clients", new JsonObject().put("id", "cli").put("type", "public")
        .put("grantTypes", new JsonArray().add("password").add("refresh_token")));
  }

  @AfterAll
  static void stop() {
    lanyard.close();
  }

  @Test
  @DisplayName("a huge or overflowing duration for any tenant lifetime: 400 naming settings.<field>, on update and create")
  void hugeLifetimesRefused() {
    for (String field : LIFETIMES) {
      for (String huge : HUGE) {
        assertField(admin.call("PUT", "/tenants/life", settings(field, huge)), "settings." + field);
        assertField(admin.call("POST", "/tenants", settings(field, huge).put("id", "huge")), "settings." + field);
      }
    }
    JsonObject stored = admin.ok("/tenants/life").getJsonObject("settings");
    assertThat(LIFETIMES.stream().map(stored::getValue)).containsOnlyNulls();
    admin.expect(404, "GET", "/tenants/huge", null);
  }

  @Test
  @DisplayName("an unknown setting (a typo) is a 400 naming it, not silently ignored; nothing is changed")
  void unknownSettingRefused() {
    JsonObject p = assertField(admin.call("PUT", "/tenants/life", new JsonObject().put("settings",
        new JsonObject().put("usernamefrom", "email"))), "settings.usernamefrom");
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("message")).startsWith("unknown setting")
        .contains("usernameFrom");
    assertThat(admin.ok("/tenants/life").getJsonObject("settings").getString("usernameFrom")).isEqualTo("username");
  }

  @Test
  @DisplayName("access tokens live at most 24h, refresh tokens at most 365d; the bounds themselves are accepted")
  void accessAndRefreshBounds() {
    JsonObject p = assertField(admin.call("PUT", "/tenants/life", settings("accessTokenLifetime", "25h")),
        "settings.accessTokenLifetime");
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("message")).startsWith("at most 1d");
    for (String field : List.of("refreshIdleLifetime", "refreshAbsoluteLifetime")) {
      JsonObject q = assertField(admin.call("PUT", "/tenants/life", settings(field, "366d")), "settings." + field);
      assertThat(q.getJsonArray("errors").getJsonObject(0).getString("message")).startsWith("at most 365d");
    }
    JsonObject ok = admin.expect(200, "PUT", "/tenants/life", new JsonObject().put("settings", new JsonObject()
        .put("accessTokenLifetime", "24h").put("refreshIdleLifetime", "365d").put("refreshAbsoluteLifetime", "365d")));
    assertThat(ok.getJsonObject("settings").getString("accessTokenLifetime")).isEqualTo("1d");
    admin.expect(200, "PUT", "/tenants/life", new JsonObject().put("settings", new JsonObject()
        .putNull("accessTokenLifetime").putNull("refreshIdleLifetime").putNull("refreshAbsoluteLifetime")));
  }

  @Test
  @DisplayName("huge lifetimes stored before the bounds: the password and refresh grants still answer, capped")
  void storedHugeLifetimesAreCapped() {
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
    admin.created("/tenants", new JsonObject().put("id", "legacy"));
    admin.created("/tenants/legacy/users", new JsonObject().put("username", "dev").put("password", "dev-password-123"));
    admin.created("/tenants/legacy/clients", new JsonObject().put("id", "cli").put("type", "public")
        .put("grantTypes", new JsonArray().add("password").add("refresh_token")));
    lanyard.server().storage().transactionBlocking(s -> {
      Tenant t = s.tenants().find("legacy").orElseThrow();
      s.tenants().update(new Tenant(t.id(), t.displayName(), t.createdAt(),
          new TenantSettings(null, null, forever, null, null, forever, forever, forever)));
      return null;
    });
    HttpResponse<String> login = lanyard.postForm("/t/legacy/token", Map.of("grant_type", "password",
        "client_id", "cli", "username", "dev", "password", "dev-password-123", "scope", "openid offline_access"), null);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    JsonObject tokens = new JsonObject(login.body());
    assertThat(tokens.getLong("expires_in")).isEqualTo(Duration.ofHours(24).toSeconds());
    HttpResponse<String> refreshed = lanyard.postForm("/t/legacy/token", Map.of("grant_type", "refresh_token",
        "client_id", "cli", "refresh_token", tokens.getString("refresh_token")), null);
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
  }

  @Test
  @DisplayName("a huge token ttl: 400 naming ttl")
  void hugeTokenTtl() {
    for (String huge : HUGE) {
      assertField(admin.call("POST", "/tenants/life/tokens", new JsonObject().put("user", "dev").put("ttl", huge)), "ttl");
    }
  }

  static JsonObject assertField(HttpResponse<String> res, String field) {
    JsonObject p = AdminClient.problem(res, 400);
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("field")).as(res.body()).isEqualTo(field);
    return p;
  }

  static JsonObject settings(String name, String value) {
    return new JsonObject().put("settings", new JsonObject().put(name, value));
  }
}
