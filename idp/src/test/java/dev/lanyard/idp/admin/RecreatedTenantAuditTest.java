package dev.lanyard.idp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.testing.TestLanyard;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant deleted and created again under the same id is another tenant: its admins do not see the audit trail
 * of the earlier one (audit events outlive their tenant), while a global admin still does.
 */
class RecreatedTenantAuditTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("delete a tenant, create it again: its new admin sees only events since; a global admin sees both")
  void earlierTenantsTrailIsHidden() {
    try (TestLanyard lanyard = TestLanyard.start(dir.resolve("data"))) {
      AdminClient global = AdminClient.login(lanyard, "default", "admin", TestLanyard.ADMIN_PASSWORD);
      tenantWithAdmin(global, "earlier-secret");
      AdminClient.login(lanyard, "again", "ann", "earlier-secret").ok("/me");
      global.created("/tenants/again/users", new JsonObject().put("username", "ex-employee")
          .put("password", "ex-employee-pass-1"));
      global.expect(204, "DELETE", "/tenants/again", null);

      tenantWithAdmin(global, "later-secret-12");
      AdminClient ann = AdminClient.login(lanyard, "again", "ann", "later-secret-12");
      for (String path : List.of("/audit?limit=500", "/audit?tenant=again&limit=500",
          "/tenants/again/audit?limit=500", "/audit?tenant=again&from=2000-01-01T00:00:00Z&limit=500")) {
        JsonObject page = ann.ok(path);
        assertThat(page.getLong("total")).as(path).isEqualTo(page.getJsonArray("items").size());
        assertThat(page.encode()).as(path).doesNotContain("ex-employee").doesNotContain("tenant.delete");
        assertThat(actions(page)).as(path).containsOnlyOnce("tenant.create").contains("admin.login");
      }
      JsonObject all = global.ok("/audit?tenant=again&limit=500");
      assertThat(actions(all)).contains("tenant.delete").filteredOn("tenant.create"::equals).hasSize(2);
      assertThat(all.encode()).contains("ex-employee");
    }
  }

  /** Tenant {@code again} with administrator {@code ann}. */
  private static void tenantWithAdmin(AdminClient global, String password) {
    global.created("/tenants", new JsonObject().put("id", "again"));
    global.created("/tenants/again/users", new JsonObject().put("username", "ann").put("password", password));
    global.created("/admin-roles", new JsonObject().put("tenant", "again").put("user", "ann").put("scope", "again"));
  }

  private static List<String> actions(JsonObject page) {
    return page.getJsonArray("items").stream().map(e -> ((JsonObject) e).getString("action")).toList();
  }
}
