package dev.lanyard.idp.login;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.pages.CsrfTokens;
import dev.lanyard.idp.pages.FormTargets;
import dev.lanyard.idp.pages.PageParams;
import dev.lanyard.idp.pages.PageRenderer;
import dev.lanyard.idp.pages.PageRenderer.Page;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageUnavailableException;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/POST /t/{tenant}/login?return_to=...}: the sign-in form (username or email, and password). A good
 * password starts a login session (cookie) and sends the browser back to {@code return_to}, a path on this tenant
 * (usually the authorization request that sent it here). Works without JavaScript.
 *
 * <p>Every POST is checked in this order, and nothing after a failed step runs: CSRF token (forged → 403 page,
 * stale → the form again), throttle (wait or lockout, without checking the password), password (argon2id off the
 * event loop; an unknown user costs the same time), enabled account. Failures are counted by {@link LoginThrottle}
 * and audited as {@code login} failures; a success is audited too.
 */
public final class LoginPage {
  private static final Logger log = LoggerFactory.getLogger(LoginPage.class);
  static final String CSRF_PURPOSE = "login";
  private static final int BODY_LIMIT = 16_384;
  private static final int MAX_PARAM = 8_192;
  private static final int MAX_LOGIN = 256;
  private static final int MAX_PASSWORD = 1_024;
  private static final String WRONG = "Incorrect username or password.";

  private final Storage storage;
  private final PasswordHasher hasher;
  private final LoginSessionService sessions;
  private final LoginThrottle throttle;
  private final CsrfTokens csrf;
  private final PageRenderer pages;
  private final AuditLog audit;
  private final RepeatedFailures refusals;
  private final Clock clock;
  private final PasswordRehash rehash;

  /**
   * @param refusals audits refused attempts (throttled, locked): a refusal costs its sender nothing and a form's CSRF
   *     token can be sent again, so it is one row per kind and window plus a count, as {@link PasswordAttempts} does
   */
  public LoginPage(Storage storage, PasswordHasher hasher, LoginSessionService sessions, LoginThrottle throttle,
      CsrfTokens csrf, PageRenderer pages, AuditLog audit, RepeatedFailures refusals, Clock clock) {
    this.storage = storage;
    this.hasher = hasher;
    this.sessions = sessions;
    this.throttle = throttle;
    this.csrf = csrf;
    this.pages = pages;
    this.audit = audit;
    this.refusals = refusals;
    this.clock = clock;
    this.rehash = new PasswordRehash(storage, hasher, clock);
  }

  public void mount(Router router) {
    router.get("/t/:tenant/login").handler(this::show);
    router.post("/t/:tenant/login").handler(RequestBodies.limitedTo(BODY_LIMIT)).handler(this::submit);
  }

  /** What a form shows besides its fields. */
  private record Form(String returnTo, String username, String message, String messageKind) {}

  private void show(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    PageParams params;
    try {
      params = PageParams.of(ctx.request().params(), Set.of("return_to", "login_hint"), MAX_PARAM);
    } catch (PageParams.Invalid e) {
      badRequest(ctx, tenantId, e.getMessage());
      return;
    }
    String returnTo = params.get("return_to");
    if (returnTo != null && ReturnTo.validate(tenantId, returnTo) == null) {
      badRequest(ctx, tenantId, "The address to return to after signing in is not valid.");
      return;
    }
    String hint = params.get("login_hint");
    if (hint != null && hint.length() > MAX_LOGIN) hint = null;
    Form form = new Form(returnTo, hint, null, null);
    tenantAndClient(tenantId, returnTo).onSuccess(found -> {
      if (found.tenant() == null) {
        unknownTenant(ctx);
        return;
      }
      renderForm(ctx, 200, found, form);
    }).onFailure(err -> failed(ctx, tenantId, err));
  }

  private void submit(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    if (!RequestBodies.isForm(ctx.request())) {
      badRequest(ctx, tenantId, "The sign-in form was not sent as a form.");
      return;
    }
    PageParams params;
    try {
      params = PageParams.of(ctx.request().formAttributes(), Set.of("csrf", "return_to", "username", "password"),
          MAX_PARAM);
    } catch (PageParams.Invalid e) {
      badRequest(ctx, tenantId, e.getMessage());
      return;
    }
    String returnTo = params.get("return_to");
    if (returnTo != null && ReturnTo.validate(tenantId, returnTo) == null) {
      badRequest(ctx, tenantId, "The address to return to after signing in is not valid.");
      return;
    }
    String username = params.get("username") == null ? "" : params.get("username").strip();
    String password = params.get("password");
    tenantAndClient(tenantId, returnTo).onSuccess(found -> {
      if (found.tenant() == null) {
        unknownTenant(ctx);
        return;
      }
      switch (csrf.checkForBrowser(ctx, tenantId, CSRF_PURPOSE, params.get("csrf"))) {
        case INVALID -> {
          renderForm(ctx, 403, found, new Form(returnTo, username, "This sign-in form could not be verified."
              + " Please sign in again.", "error"));
          return;
        }
        case STALE -> {
          renderForm(ctx, 400, found, new Form(returnTo, username, "The sign-in form had expired."
              + " Please sign in again.", "info"));
          return;
        }
        case VALID -> { }
      }
      if (username.isEmpty() || password == null) {
        renderForm(ctx, 400, found, new Form(returnTo, username, "Enter your username or email and your password.",
            "error"));
        return;
      }
      if (username.length() > MAX_LOGIN || password.length() > MAX_PASSWORD) {
        renderForm(ctx, 401, found, new Form(returnTo, "", WRONG, "error"));
        return;
      }
      authenticate(ctx, found, returnTo, username, password);
    }).onFailure(err -> failed(ctx, tenantId, err));
  }

  private record Lookup(Optional<User> user, String accountKey, Optional<LoginThrottle.Refusal> refusal) {}

  private void authenticate(RoutingContext ctx, TenantAndClient found, String returnTo, String login, String password) {
    String tenantId = found.tenant().id();
    String address = SourceAddress.of(ctx);
    Instant now = clock.instant();
    storage.transaction(s -> {
      Optional<User> user = LoginAccounts.find(s, tenantId, login);
      String key = LoginAccounts.throttleKey(user, login);
      return new Lookup(user, key, throttle.check(s, tenantId, key, address, now));
    }).compose(lookup -> {
      if (lookup.refusal().isPresent()) {
        LoginThrottle.Refusal r = lookup.refusal().get();
        refusals.record(failureEntry(ctx, tenantId, login, lookup.user(), r.reason()));
        String message = r.locked()
            ? (r.byAddress() ? "Too many failed sign-ins from your network. Try again in " + r.minutes() + "."
                : "This account is locked after too many failed sign-ins. Try again in " + r.minutes() + ".")
            : "Too many failed sign-ins. Wait " + r.retryAfterSeconds() + " seconds, then try again.";
        ctx.response().putHeader("Retry-After", Long.toString(r.retryAfterSeconds()));
        return renderForm(ctx, 429, found, new Form(returnTo, login, message, "error"));
      }
      Future<Boolean> verified = lookup.user().isPresent() && lookup.user().get().passwordHash() != null
          ? hasher.verify(lookup.user().get().passwordHash(), password.toCharArray())
          : hasher.verifyAgainstDummy(password.toCharArray());
      return verified.compose(ok -> {
        if (!ok) return failure(ctx, found, returnTo, login, lookup, "wrong_credentials", WRONG, 401);
        User user = lookup.user().get();
        if (!user.enabled()) {
          return failure(ctx, found, returnTo, login, lookup, "disabled",
              "This account is disabled. Ask your administrator.", 403);
        }
        rehash.ifNeeded(user, password);
        return succeed(ctx, found, returnTo, user, lookup.accountKey());
      });
    }).onFailure(err -> {
      if (err instanceof PasswordHasher.Busy) {
        ctx.response().putHeader("Retry-After", "2");
        renderForm(ctx, 503, found, new Form(returnTo, login, "Too many people are signing in right now."
            + " Please try again in a moment.", "error"));
      } else {
        failed(ctx, tenantId, err);
      }
    });
  }

  private Future<Void> failure(RoutingContext ctx, TenantAndClient found, String returnTo, String login, Lookup lookup,
      String reason, String message, int status) {
    String tenantId = found.tenant().id();
    String address = SourceAddress.of(ctx);
    Instant now = clock.instant();
    AuditLog.Entry entry = failureEntry(ctx, tenantId, login, lookup.user(), reason);
    return storage.transaction(s -> {
      throttle.recordFailure(s, tenantId, lookup.accountKey(), address, now);
      audit.record(s, entry);
      return null;
    }).compose(v -> renderForm(ctx, status, found, new Form(returnTo, login, message, "error")));
  }

  private Future<Void> succeed(RoutingContext ctx, TenantAndClient found, String returnTo, User user, String key) {
    String tenantId = found.tenant().id();
    Instant now = clock.instant();
    return storage.transaction(s -> {
      LoginSessionService.Started started = sessions.start(s, ctx, user, now);
      throttle.recordSuccess(s, tenantId, key);
      audit.record(s, new AuditLog.Entry(tenantId, "user:" + tenantId + "/" + user.username(), "login",
          "user:" + tenantId + "/" + user.id(), AuditLog.SUCCESS, SourceAddress.of(ctx),
          new JsonObject().put("session", started.signedIn().sessionId())));
      return started;
    }).compose(started -> {
      sessions.setCookie(ctx, tenantId, started);
      if (returnTo != null) {
        ctx.response().setStatusCode(303).putHeader("Location", returnTo).putHeader("Cache-Control", "no-store").end();
        return Future.succeededFuture();
      }
      return pages.render(ctx, 200, new Page("message", found.tenant(), "Signed in",
          Map.of("message", "You are signed in as " + user.username() + ". You can close this window.")));
    });
  }

  private static AuditLog.Entry failureEntry(RoutingContext ctx, String tenantId, String login, Optional<User> user,
      String reason) {
    // The typed login goes into details, never the password; the target is the user when one has that name.
    return new AuditLog.Entry(tenantId, "anonymous", "login", user.map(u -> "user:" + tenantId + "/" + u.id())
        .orElse(null), AuditLog.FAILURE, SourceAddress.of(ctx),
        new JsonObject().put("reason", reason).put("login", login.length() > 64 ? login.substring(0, 64) : login));
  }

  private Future<Void> renderForm(RoutingContext ctx, int status, TenantAndClient found, Form form) {
    String tenantId = found.tenant().id();
    Map<String, Object> model = new HashMap<>();
    model.put("action", "/t/" + tenantId + "/login");
    model.put("csrf", csrf.issueForBrowser(ctx, tenantId, CSRF_PURPOSE));
    model.put("returnTo", form.returnTo());
    model.put("username", form.username());
    model.put("message", form.message());
    model.put("messageKind", form.messageKind());
    model.put("clientName", found.client() == null ? null : found.client().displayName());
    return pages.render(ctx, status, new Page("login", found.tenant(), "Sign in", model,
        formTargets(found)));
  }

  /** The tenant, and the client of the authorization request that {@code returnTo} goes back to, if any. */
  private record TenantAndClient(Tenant tenant, OAuthClient client, String redirectUri) {}

  private Future<TenantAndClient> tenantAndClient(String tenantId, String returnTo) {
    Map<String, String> query = authorizeQuery(tenantId, returnTo);
    String clientId = query.get("client_id");
    return storage.transaction(s -> {
      Tenant tenant = s.tenants().find(tenantId).orElse(null);
      OAuthClient client = tenant == null || clientId == null ? null : s.clients().find(tenantId, clientId).orElse(null);
      String redirect = client != null && client.redirectUris().isEmpty() ? null : query.get("redirect_uri");
      return new TenantAndClient(tenant, client, redirect);
    });
  }

  /**
   * The origin the sign-in may end at: after the form posts here, the browser follows redirects to /authorize and
   * on to the client's redirect URI, and browsers check each against the login page's CSP form-action.
   * /authorize itself checks that URI against the client's registration.
   */
  private static List<String> formTargets(TenantAndClient found) {
    return found.client() == null ? List.of() : FormTargets.originOf(found.redirectUri());
  }

  /** The query of {@code returnTo} when it is this tenant's authorization endpoint, else empty. */
  private static Map<String, String> authorizeQuery(String tenantId, String returnTo) {
    Map<String, String> query = new HashMap<>();
    String prefix = "/t/" + tenantId + "/authorize?";
    if (returnTo == null || !returnTo.startsWith(prefix)) return query;
    for (String pair : returnTo.substring(prefix.length()).split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) continue;
      try {
        query.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException ignored) {
        // a malformed escape: /authorize will answer it
      }
    }
    return query;
  }

  private void badRequest(RoutingContext ctx, String tenantId, String message) {
    storage.transaction(s -> s.tenants().find(tenantId).orElse(null))
        .onComplete(ar -> pages.error(ctx, 400, ar.succeeded() ? ar.result() : null, "Invalid request", message));
  }

  private void unknownTenant(RoutingContext ctx) {
    pages.error(ctx, 404, null, "Not found", "There is no such sign-in page.");
  }

  private void failed(RoutingContext ctx, String tenantId, Throwable err) {
    if (err instanceof InvalidInputException) { // e.g. a NUL character in the username, which PostgreSQL refuses
      badRequest(ctx, tenantId, "The request holds a character that cannot be used here, such as a control character.");
      return;
    }
    if (err instanceof StorageUnavailableException) {
      ctx.response().putHeader("Retry-After", "5");
      pages.error(ctx, 503, null, "Temporarily unavailable", "Sign-in is unavailable right now. Please try again.");
      return;
    }
    log.error("{} {} failed", ctx.request().method(), ctx.request().path(), err);
    pages.error(ctx, 500, null, "Something went wrong", "Sign-in failed because of an internal error.");
  }
}
