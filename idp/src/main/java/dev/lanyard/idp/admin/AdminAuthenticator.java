package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.AdminRole;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates admin API calls: {@code Authorization: Bearer lya_...}. The token's shape and checksum are
 * checked before any database read; then it must be an active ADMIN token of an enabled user who still holds
 * an admin role. Anything else is a 401 problem with {@code WWW-Authenticate: Bearer}.
 *
 * <p>Every refusal is audited ({@code admin.unauthenticated}, process-wide) through {@link RepeatedFailures}: made-up
 * tokens are cheap (the checksum is public), so one address's failures of one kind are one row per window plus a
 * count. A token that exists but no longer signs anyone in (revoked, expired, its user disabled or no longer an
 * administrator) is named (target {@code token:<id>}, under its tenant), so the trail says whose token it was.
 */
final class AdminAuthenticator implements Handler<RoutingContext> {
  private static final String ACTION = "admin.unauthenticated";
  // Shared and never modified (RepeatedFailures copies details before adding its count).
  private static final JsonObject NO_TOKEN = reason("no bearer token");
  private static final JsonObject MALFORMED = reason("malformed token");
  private static final JsonObject REFUSED = reason("unknown, expired or revoked token, or no administrator");
  private static final JsonObject REVOKED = reason("revoked token");
  private static final JsonObject EXPIRED = reason("expired token");
  private static final JsonObject NO_USER = reason("the token's user is deleted or disabled");
  private static final JsonObject NO_ROLE = reason("the token's user is no longer an administrator");

  private final Storage storage;
  private final Clock clock;
  private final RepeatedFailures failures;

  /** Who the token signs in, or why it signs nobody in (with the token when it was found). */
  private record Checked(Optional<AdminPrincipal> principal, JsonObject refusal, OpaqueToken token) {
    static Checked refused(JsonObject why, OpaqueToken token) {
      return new Checked(Optional.empty(), why, token);
    }
  }

  AdminAuthenticator(Storage storage, RepeatedFailures failures, Clock clock) {
    this.storage = storage;
    this.failures = failures;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    if (token == null) {
      refuse(ctx, NO_TOKEN, "an admin bearer token is required");
      return;
    }
    if (!OpaqueTokenFormat.ADMIN.isWellFormed(token)) {
      refuse(ctx, MALFORMED, "not an admin token");
      return;
    }
    byte[] hash = OpaqueTokenFormat.hash(token);
    storage.transaction(s -> {
      Optional<OpaqueToken> found = s.tokens().findByHash(hash);
      if (found.isEmpty()) return Checked.refused(REFUSED, null);
      OpaqueToken t = found.get();
      if (t.kind() != TokenKind.ADMIN || t.principalType() != PrincipalType.USER) return Checked.refused(REFUSED, null);
      if (t.revokedAt() != null) return Checked.refused(REVOKED, t);
      if (!t.isActiveAt(clock.instant())) return Checked.refused(EXPIRED, t);
      Optional<User> user = s.users().find(t.tenantId(), t.principalId());
      if (user.isEmpty() || !user.get().enabled()) return Checked.refused(NO_USER, t);
      List<AdminRole> roles = s.adminRoles().rolesOf(t.tenantId(), t.principalId());
      if (roles.isEmpty()) return Checked.refused(NO_ROLE, t);
      return new Checked(Optional.of(AdminPrincipal.of(t.tenantId(), user.get().id(), user.get().username(), roles,
          t.id())), null, t);
    }).onSuccess(checked -> {
      if (checked.principal().isEmpty()) {
        refuse(ctx, checked.refusal(), "the admin token is unknown, expired or revoked", checked.token());
        return;
      }
      ctx.put(AdminRequest.PRINCIPAL_KEY, checked.principal().get());
      ctx.next();
    }).onFailure(err -> AdminRequest.problem(ctx, err));
  }

  private void refuse(RoutingContext ctx, JsonObject why, String message) {
    refuse(ctx, why, message, null);
  }

  /** @param token the presented token when it was found: its tenant and id go into the event */
  private void refuse(RoutingContext ctx, JsonObject why, String message, OpaqueToken token) {
    String source = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    failures.record(new AuditLog.Entry(token == null ? null : token.tenantId(), "anonymous", ACTION,
        token == null ? null : "token:" + token.id(), AuditLog.FAILURE, source, why));
    AdminRequest.problem(ctx, Problem.unauthorized(message));
  }

  private static JsonObject reason(String reason) {
    return new JsonObject().put("reason", reason);
  }
}
