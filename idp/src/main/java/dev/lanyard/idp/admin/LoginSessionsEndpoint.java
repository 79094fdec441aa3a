package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.LoginSession;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /tenants/{t}/users/{id}/sessions}: a user's live browser login sessions (the single sign-on of the login
 * page), and {@code DELETE .../sessions/{sid}} to end one. Ending a session also revokes the refresh-token families
 * that signed in through it, so kubelogin on that machine must log in again at its next refresh, and ends the
 * access tokens issued in it (they name their session, see {@link dev.lanyard.idp.tokens.AccessTokens#isLive}).
 */
final class LoginSessionsEndpoint {
  private final Storage storage;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration idleTimeout;

  /** @param idleTimeout sessions unused this long are over even before their absolute end (login.sessionIdleTimeout) */
  LoginSessionsEndpoint(Storage storage, AuditLog audit, Clock clock, Duration idleTimeout) {
    this.storage = storage;
    this.audit = audit;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/users/:id/sessions";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.delete(base + "/:sid").handler(AdminRequest.handler(204, this::end));
  }

  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    String ref = r.path("id");
    Page page = r.page();
    Instant now = clock.instant();
    return storage.transaction(s -> {
      String id = UsersEndpoint.user(s, tenant, ref).id();
      return page.slice(s.loginSessions().openOfUser(tenant, id, now).stream()
          .filter(session -> session.liveAt(now, idleTimeout)).toList(), LoginSessionsEndpoint::view);
    });
  }

  private Future<Object> end(AdminRequest r) {
    String tenant = r.tenant();
    String ref = r.path("id");
    String sessionId = r.path("sid");
    Instant now = clock.instant();
    return storage.transaction(s -> {
      User user = UsersEndpoint.user(s, tenant, ref);
      String id = user.id();
      r.requireCovers(s, tenant, id);
      LoginSession session = AdminRequest.found(s.loginSessions().find(tenant, sessionId)
          .filter(found -> found.userId().equals(id)), "login session " + sessionId + " of user " + id);
      s.loginSessions().end(tenant, session.id(), now);
      int families = s.refreshTokens().revokeFamiliesOfSession(tenant, session.id(), now, "login session ended by an administrator");
      audit.record(s, new AuditLog.Entry(tenant, r.actor(), "user.session.end", "user:" + tenant + "/" + user.username(),
          AuditLog.SUCCESS, r.source(), new JsonObject().put("session", session.id()).put("refreshFamilies", families)));
      return null;
    });
  }

  private static JsonObject view(LoginSession s) {
    return new JsonObject().put("id", s.id()).put("authTime", Views.time(s.authTime()))
        .put("createdAt", Views.time(s.createdAt())).put("lastSeenAt", Views.time(s.lastSeenAt()))
        .put("expiresAt", Views.time(s.expiresAt())).put("sourceAddress", s.sourceAddress())
        .put("userAgent", s.userAgent());
  }
}
