package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.AdminRole;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /admin/api/v1/login} {@code {tenant, username, password}}: an administrator trades their
 * password (argon2, off the event loop) for a short-lived admin token. Unknown user, wrong password and a
 * disabled user all answer the same 401 after the same work; failures are audited.
 */
final class LoginEndpoint {
  static final Duration TOKEN_TTL = Duration.ofHours(12);

  private final Storage storage;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final AuditLog audit;

  LoginEndpoint(Storage storage, PasswordHasher hasher, TokenService tokens, AuditLog audit) {
    this.storage = storage;
    this.hasher = hasher;
    this.tokens = tokens;
    this.audit = audit;
  }

  void mount(Router router) {
    router.post(AdminApi.BASE + "/login").handler(AdminRequest.handler(200, this::login));
  }

  private record Candidate(User user, List<AdminRole> roles) {}

  private Future<JsonObject> login(AdminRequest r) {
    Fields f = r.fields();
    String tenant = f.required("tenant", Shapes.TENANT_ID, Shapes.TENANT_ID_MESSAGE);
    String username = f.required("username", null, null);
    Object pw = r.body().getValue("password");
    if (!(pw instanceof String p) || p.isEmpty() || p.length() > Shapes.MAX_PASSWORD) {
      f.error("password", "required, at most " + Shapes.MAX_PASSWORD + " characters");
    }
    f.check();
    char[] password = ((String) pw).toCharArray();
    String actor = "user:" + tenant + "/" + username;
    return storage.transaction(s -> s.users().findByUsername(tenant, username)
            .map(u -> new Candidate(u, s.adminRoles().rolesOf(tenant, u.id()))))
        .compose(candidate -> {
          if (candidate.isEmpty() || candidate.get().user().passwordHash() == null) {
            return hasher.verifyAgainstDummy(password).map(ok -> Optional.<Candidate>empty());
          }
          return hasher.verify(candidate.get().user().passwordHash(), password)
              .map(ok -> ok && candidate.get().user().enabled() ? candidate : Optional.<Candidate>empty());
        })
        .compose(candidate -> {
          if (candidate.isEmpty()) return fail(tenant, actor, r, "invalid credentials", Problem.unauthorized("invalid credentials"));
          if (candidate.get().roles().isEmpty()) return fail(tenant, actor, r, "not an administrator", Problem.forbidden());
          User user = candidate.get().user();
          return tokens.mint(new TokenService.MintRequest(tenant, TokenKind.ADMIN, PrincipalType.USER, user.id(),
                  TOKEN_TTL, List.of(), "admin login"), actor, r.source())
              .compose(minted -> audit.recordAlone(storage, new AuditLog.Entry(tenant, actor, "admin.login",
                      "token:" + minted.token().id(), AuditLog.SUCCESS, r.source(), null))
                  .map(v -> new JsonObject().put("token", minted.secret()).put("tokenType", "Bearer")
                      .put("id", minted.token().id()).put("expiresAt", Views.time(minted.token().expiresAt()))));
        });
  }

  private Future<JsonObject> fail(String tenant, String actor, AdminRequest r, String why, Problem answer) {
    return audit.recordAlone(storage, new AuditLog.Entry(tenant, actor, "admin.login", null, AuditLog.FAILURE,
            r.source(), new JsonObject().put("reason", why)))
        .transform(ignored -> Future.failedFuture(answer));
  }
}
