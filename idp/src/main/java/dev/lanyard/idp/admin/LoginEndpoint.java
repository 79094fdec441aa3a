package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.login.LoginThrottle;
import dev.lanyard.idp.login.PasswordAttempts;
import dev.lanyard.idp.tokens.AccessToken;
import dev.lanyard.idp.tokens.AccessTokenSeal;
import dev.lanyard.idp.tokens.AccessTokens;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.AlreadyExistsException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.AdminRole;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /admin/api/v1/login}: an administrator gets a short-lived admin token for
 * <ul>
 *   <li>{@code {tenant, username, password}}: their password, checked by {@link PasswordAttempts} under the
 *       sign-in page's login throttle (a throttled or locked account is a 429 with {@code Retry-After}, its
 *       password unchecked). Unknown user, wrong password and a disabled user all answer the same 401 after the
 *       same work;
 *   <li>{@code {tenant, accessToken}}: an access token the tenant's token endpoint issued to the web console's
 *       client ({@link ConsoleClient}) after an authorization code + PKCE sign-in. The access token is spent
 *       (revoked) by the exchange, so the console holds one credential, the admin token, which sign-out revokes.
 * </ul>
 * Failures are audited; a refused access token through {@link RepeatedFailures} (anyone can send a well-formed
 * one at request rate, and nothing else slows them down), under no tenant unless the tenant exists.
 */
final class LoginEndpoint {
  private final Storage storage;
  private final PasswordAttempts passwords;
  private final AccessTokens accessTokens;
  private final TokenService tokens;
  private final AuditLog audit;
  private final RepeatedFailures refusals;
  private final Clock clock;

  LoginEndpoint(Storage storage, PasswordAttempts passwords, AccessTokens accessTokens, TokenService tokens,
      AuditLog audit, RepeatedFailures refusals, Clock clock) {
    this.accessTokens = accessTokens;
    this.storage = storage;
    this.passwords = passwords;
    this.tokens = tokens;
    this.audit = audit;
    this.refusals = refusals;
    this.clock = clock;
  }

  void mount(Router router) {
    router.post(AdminApi.BASE + "/login").handler(AdminRequest.handler(200, this::login));
  }

  private record Candidate(User user, List<AdminRole> roles) {}

  /** The exchange's lookup: the administrator, when the token is one's; whether the named tenant exists. */
  private record Exchange(Optional<Candidate> candidate, boolean tenantExists) {}

  private Future<JsonObject> login(AdminRequest r) {
    if (r.body().containsKey("accessToken")) return exchange(r);
    Fields f = r.fields();
    String tenant = f.required("tenant", Shapes.TENANT_ID, Shapes.TENANT_ID_MESSAGE);
    String username = f.required("username", null, null);
    Object pw = r.body().getValue("password");
    if (!(pw instanceof String p) || p.isEmpty() || p.length() > Shapes.MAX_PASSWORD) {
      f.error("password", "required, at most " + Shapes.MAX_PASSWORD + " characters");
    }
    f.check();
    String actor = "user:" + tenant + "/" + username;
    return passwords.attempt(tenant, username, (String) pw, r.source(), PasswordAttempts.BY_USERNAME,
            (reason, user) -> failure(tenant, actor, r, reason))
        .compose(outcome -> {
          if (outcome instanceof PasswordAttempts.Refused refused) {
            // The sign-in page's answer to a throttled or locked account, as a problem.
            LoginThrottle.Refusal why = refused.refusal();
            return Future.failedFuture(Problem.tooManyRequests(why.describe(), why.retryAfterSeconds()));
          }
          if (!(outcome instanceof PasswordAttempts.Verified verified)) {
            return Future.failedFuture(Problem.unauthorized("invalid credentials"));
          }
          User user = verified.user();
          return storage.transaction(s -> s.adminRoles().rolesOf(tenant, user.id())).compose(roles -> roles.isEmpty()
              ? fail(tenant, actor, r, "not an administrator", Problem.forbidden())
              : mintAdminToken(tenant, user, actor, r, "admin login", null));
        });
  }

  /** The console's sign-in: a live access token of {@link ConsoleClient} for an enabled administrator. */
  private Future<JsonObject> exchange(AdminRequest r) {
    Fields f = r.fields();
    String tenant = f.required("tenant", Shapes.TENANT_ID, Shapes.TENANT_ID_MESSAGE);
    Object value = r.body().getValue("accessToken");
    if (!(value instanceof String token) || !AccessTokenSeal.isWellFormed(token)) {
      f.error("accessToken", "an access token from the tenant's token endpoint (lyat_...)");
    }
    f.check();
    Optional<AccessToken> opened = accessTokens.open(tenant, (String) value)
        .filter(t -> ConsoleClient.ID.equals(t.clientId()) && t.principalType() == PrincipalType.USER);
    Instant now = clock.instant();
    return storage.transaction(s -> {
      // Spent here, whatever follows: the console keeps only the admin token. A token revoked (spent) already,
      // or at this very moment by a concurrent sign-in (AlreadyExistsException, below), signs nobody in.
      if (opened.isEmpty() || !AccessTokens.isLive(s, opened.get(), now)
          || !AccessTokens.revoke(s, opened.get(), now)) {
        return new Exchange(Optional.empty(), s.tenants().find(tenant).isPresent());
      }
      return new Exchange(s.users().find(tenant, opened.get().principalId()).filter(User::enabled)
          .map(u -> new Candidate(u, s.adminRoles().rolesOf(tenant, u.id()))), true);
    }).recover(err -> err instanceof AlreadyExistsException
        ? Future.succeededFuture(new Exchange(Optional.empty(), true))
        : Future.failedFuture(err)).compose(exchange -> {
      Optional<Candidate> candidate = exchange.candidate();
      String actor = candidate.map(c -> "user:" + tenant + "/" + c.user().username()).orElse("anonymous");
      if (candidate.isEmpty()) {
        AuditLog.Entry refused = failure(tenant, actor, r, "unknown, spent or foreign access token");
        refusals.record(exchange.tenantExists() ? refused : refused.atUnknownTenant(tenant));
        return Future.failedFuture(
            Problem.unauthorized("the access token is unknown, expired, already used or not the console's"));
      }
      if (candidate.get().roles().isEmpty()) return fail(tenant, actor, r, "not an administrator", Problem.forbidden());
      return mintAdminToken(tenant, candidate.get().user(), actor, r, "admin console sign-in",
          new JsonObject().put("method", "authorization_code"));
    });
  }

  private Future<JsonObject> mintAdminToken(String tenant, User user, String actor, AdminRequest r, String description,
      JsonObject details) {
    // No ttl: TokenService.ADMIN_DEFAULT_TTL, or the tenant's token maximum when that is shorter.
    return tokens.mint(new TokenService.MintRequest(tenant, TokenKind.ADMIN, PrincipalType.USER, user.id(),
            null, List.of(), description), actor, r.source())
        .compose(minted -> audit.recordAlone(storage, new AuditLog.Entry(tenant, actor, "admin.login",
                "token:" + minted.token().id(), AuditLog.SUCCESS, r.source(), details))
            .map(v -> new JsonObject().put("token", minted.secret()).put("tokenType", "Bearer")
                .put("id", minted.token().id()).put("expiresAt", Views.time(minted.token().expiresAt()))));
  }

  private Future<JsonObject> fail(String tenant, String actor, AdminRequest r, String why, Problem answer) {
    return audit.recordAlone(storage, failure(tenant, actor, r, why)).transform(ignored -> Future.failedFuture(answer));
  }

  private static AuditLog.Entry failure(String tenant, String actor, AdminRequest r, String why) {
    return new AuditLog.Entry(tenant, actor, "admin.login", null, AuditLog.FAILURE, r.source(),
        new JsonObject().put("reason", why));
  }
}
