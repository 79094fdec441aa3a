package dev.lanyard.idp.admin;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.AuditQuery;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /audit?tenant=&actor=&action=&from=&to=&offset=&limit=} (and {@code GET /tenants/{t}/audit}):
 * audit events, newest first. A tenant admin must name a tenant they manage (or manage exactly one, which is
 * then implied); only global admins see every tenant's and process-wide events. A tenant admin sees only events
 * since their tenant was created: a tenant deleted and created again under the same id is another tenant, whose
 * admins do not see the earlier one's trail (audit events outlive their tenant); global admins see both.
 */
final class AuditEndpoint {
  /** RFC 3339's first and last instants: its years have four digits. */
  private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private final Storage storage;

  AuditEndpoint(Storage storage) {
    this.storage = storage;
  }

  void mount(Router router) {
    router.get(AdminApi.BASE + "/audit").handler(AdminRequest.handler(200, this::query));
    router.get(AdminApi.BASE + "/tenants/:tenant/audit").handler(AdminRequest.handler(200, this::query));
  }

  private Future<JsonObject> query(AdminRequest r) {
    AdminPrincipal p = r.principal();
    String tenant = r.path("tenant") != null ? r.path("tenant") : r.query("tenant");
    if (tenant == null && !p.isGlobal()) {
      if (p.scopes().size() != 1) throw Problem.invalid("tenant", "required: you manage several tenants");
      tenant = p.scopes().iterator().next();
    }
    if (tenant != null && !p.canManage(tenant)) throw Problem.forbidden();
    Fields errors = new Fields(new JsonObject());
    Instant from = instant(errors, "from", r.query("from"));
    Instant to = instant(errors, "to", r.query("to"));
    Page page = r.page();
    errors.check();
    String scope = p.isGlobal() ? null : tenant;
    AuditQuery asked = new AuditQuery(tenant, r.query("actor"), r.query("action"), from, to);
    return storage.transaction(s -> {
      AuditQuery q = scope == null ? asked
          : since(asked, s.tenants().find(scope).map(Tenant::createdAt).orElse(LAST));
      return page.envelope(s.audit().query(q, page.offset(), page.limit()), s.audit().count(q), Views::audit);
    });
  }

  /** {@code q}, from {@code start} on at the earliest. */
  private static AuditQuery since(AuditQuery q, Instant start) {
    Instant from = q.from() == null || q.from().isBefore(start) ? start : q.from();
    return new AuditQuery(q.tenantId(), q.actor(), q.action(), from, q.to());
  }

  private static Instant instant(Fields errors, String name, String text) {
    if (text == null || text.isEmpty()) return null;
    try {
      Instant i = Instant.parse(text);
      // Instant.parse takes years like +1000000000, which the database's timestamps cannot hold.
      if (!i.isBefore(FIRST) && !i.isAfter(LAST)) return i;
    } catch (DateTimeParseException e) {
      // the error below
    }
    errors.error(name, "an RFC 3339 instant in UTC, e.g. 2026-01-31T12:00:00Z");
    return null;
  }
}
