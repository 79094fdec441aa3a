package dev.lanyard.idp.device;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.authorize.ScopeDescriptions;
import dev.lanyard.idp.login.LoginSessions;
import dev.lanyard.idp.login.LoginThrottle;
import dev.lanyard.idp.login.SignedIn;
import dev.lanyard.idp.login.SourceAddress;
import dev.lanyard.idp.pages.CsrfTokens;
import dev.lanyard.idp.pages.PageParams;
import dev.lanyard.idp.pages.PageRenderer;
import dev.lanyard.idp.pages.PageRenderer.Page;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageUnavailableException;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.DeviceAuthorization;
import dev.lanyard.storage.model.DeviceAuthorizationStatus;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/POST /t/{tenant}/device}: the verification page of the device authorization grant (RFC 8628 §3.3),
 * where a signed-in user types the code their device shows, sees which client asks for what, and allows or denies.
 *
 * <p>Without a login session the browser goes to the login page first, which comes back here with the code. The
 * code form ({@code ?user_code=} prefills it, as {@code verification_uri_complete} does) leads to a confirmation
 * page naming the client, the scopes and the code to compare with the device's (§5.4: the user must see what they
 * approve); its answer ends on a result page. Both forms carry CSRF tokens bound to the login session, the
 * decision's also to the one authorization it was shown for.
 *
 * <p>Guessing codes is throttled per login session and per source address ({@link LoginThrottle}'s policy under
 * counters of its own), and every wrong, refused, allowed or denied code is audited.
 */
public final class DeviceVerificationPage {
  private static final Logger log = LoggerFactory.getLogger(DeviceVerificationPage.class);
  static final String CODE_PURPOSE = "device-code";
  /** Followed by the authorization's id: a decision form answers only the request it was shown for. */
  static final String DECISION_PURPOSE = "device-decision:";
  /** Counter kinds of wrong codes in the login throttle's table, apart from password failures. */
  public static final String SESSION_KIND = "device-session";
  public static final String ADDRESS_KIND = "device-address";
  private static final int BODY_LIMIT = 16_384;
  private static final int MAX_PARAM = 1_024;
  private static final int MAX_CODE = 64;

  private final Storage storage;
  private final LoginSessions sessions;
  private final LoginThrottle throttle;
  private final CsrfTokens csrf;
  private final PageRenderer pages;
  private final AuditLog audit;
  private final RepeatedFailures refusals;
  private final Clock clock;

  /**
   * @param throttle the login throttle's policy over {@link #SESSION_KIND} and {@link #ADDRESS_KIND} counters
   * @param refusals audits refused codes: a refusal costs its sender nothing, so it is one row per kind and window
   */
  public DeviceVerificationPage(Storage storage, LoginSessions sessions, LoginThrottle throttle, CsrfTokens csrf,
      PageRenderer pages, AuditLog audit, RepeatedFailures refusals, Clock clock) {
    this.storage = storage;
    this.sessions = sessions;
    this.throttle = throttle;
    this.csrf = csrf;
    this.pages = pages;
    this.audit = audit;
    this.refusals = refusals;
    this.clock = clock;
  }

  public void mount(Router router) {
    String path = "/t/:tenant" + DeviceAuthorizationEndpoint.VERIFICATION_PATH;
    router.get(path).handler(this::show);
    router.post(path).handler(RequestBodies.limitedTo(BODY_LIMIT)).handler(this::submit);
  }

  /** The code form, for a signed-in user; prefilled from {@code ?user_code=}. Looks nothing up. */
  private void show(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    tenant(tenantId).compose(tenant -> {
      if (tenant == null) return notFound(ctx);
      PageParams params;
      try {
        params = PageParams.of(ctx.request().params(), Set.of("user_code"), MAX_CODE);
      } catch (PageParams.Invalid e) {
        return pages.error(ctx, 400, tenant, "Invalid request", e.getMessage());
      }
      String typed = params.get("user_code");
      return sessions.current(ctx, tenantId).compose(session -> {
        if (session.isEmpty()) return toLogin(ctx, tenantId, typed);
        String prefill = typed == null ? "" : UserCode.normalise(typed).map(UserCode::display).orElse(typed);
        return codeForm(ctx, 200, tenant, session.get(), prefill, null, null);
      });
    }).onFailure(err -> failed(ctx, err));
  }

  private void submit(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    tenant(tenantId).compose(tenant -> {
      if (tenant == null) return notFound(ctx);
      if (!RequestBodies.isForm(ctx.request())) {
        return pages.error(ctx, 400, tenant, "Invalid request", "The form was not sent as a form.");
      }
      PageParams params;
      try {
        params = PageParams.of(ctx.request().formAttributes(), Set.of("csrf", "user_code", "decision"), MAX_PARAM);
      } catch (PageParams.Invalid e) {
        return pages.error(ctx, 400, tenant, "Invalid request", e.getMessage());
      }
      String typed = params.get("user_code");
      return sessions.current(ctx, tenantId).compose(session -> {
        // The session ended since the form was shown: sign in again, then back to the code.
        if (session.isEmpty()) return toLogin(ctx, tenantId, typed);
        return params.has("decision")
            ? decide(ctx, tenant, session.get(), typed, params.get("decision"), params.get("csrf"))
            : enter(ctx, tenant, session.get(), typed, params.get("csrf"));
      });
    }).onFailure(err -> failed(ctx, err));
  }

  /** The code form was submitted: show the confirmation page for a pending code, else the form with why not. */
  private Future<Void> enter(RoutingContext ctx, Tenant tenant, SignedIn user, String typed, String token) {
    String display = typed == null ? "" : typed;
    switch (csrf.checkForSession(tenant.id(), CODE_PURPOSE, user.sessionId(), token)) {
      case INVALID -> {
        return pages.error(ctx, 403, tenant, "Invalid form",
            "This form could not be verified. Open the address your device shows again.");
      }
      case STALE -> {
        return codeForm(ctx, 400, tenant, user, display, "The form had expired. Please enter the code again.", "info");
      }
      case VALID -> { }
    }
    if (typed == null) {
      return codeForm(ctx, 400, tenant, user, "", "Enter the code your device shows.", "error");
    }
    return lookUp(ctx, tenant, user, typed).compose(found -> found.pending() != null
        ? confirmPage(ctx, tenant, user, found.pending(), found.client(), null)
        : refusedCode(ctx, tenant, user, display, found));
  }

  /** The confirmation page was answered. */
  private Future<Void> decide(RoutingContext ctx, Tenant tenant, SignedIn user, String typed, String decision,
      String token) {
    if (typed == null) {
      return codeForm(ctx, 400, tenant, user, "", "Enter the code your device shows.", "error");
    }
    return lookUp(ctx, tenant, user, typed).compose(found -> {
      if (found.pending() == null) return refusedCode(ctx, tenant, user, typed, found);
      DeviceAuthorization a = found.pending();
      switch (csrf.checkForSession(tenant.id(), DECISION_PURPOSE + a.id(), user.sessionId(), token)) {
        case INVALID -> {
          return pages.error(ctx, 403, tenant, "Invalid form",
              "This form could not be verified. Open the address your device shows again.");
        }
        case STALE -> {
          return confirmPage(ctx, tenant, user, a, found.client(), "The form had expired. Please answer again.");
        }
        case VALID -> { }
      }
      boolean approve = "approve".equals(decision);
      if (!approve && !"deny".equals(decision)) {
        return pages.error(ctx, 400, tenant, "Invalid form", "The form had no answer.");
      }
      return record(ctx, tenant, user, a, found.client(), approve);
    });
  }

  /** Stores the decision (only if still pending and unexpired) and shows the result. */
  private Future<Void> record(RoutingContext ctx, Tenant tenant, SignedIn user, DeviceAuthorization a,
      OAuthClient client, boolean approve) {
    Instant now = clock.instant();
    Instant authTime = Instant.ofEpochSecond(user.authTime());
    AuditLog.Entry entry = new AuditLog.Entry(tenant.id(), actor(tenant, user), approve ? "device.approve" : "device.deny",
        "device:" + a.id(), AuditLog.SUCCESS, SourceAddress.of(ctx), new JsonObject().put("client", client.id())
            .put("scopes", new JsonArray(a.scopes())).put("session", user.sessionId()));
    return storage.transaction(s -> {
      boolean changed = approve
          ? s.deviceAuthorizations().approve(tenant.id(), a.id(), user.user().id(), authTime, user.sessionId(), now)
          : s.deviceAuthorizations().deny(tenant.id(), a.id(), user.user().id(), authTime, user.sessionId(), now);
      if (changed) audit.record(s, entry);
      return changed;
    }).compose(changed -> {
      if (!changed) {
        // Decided in another tab, or it ran out while the page was open.
        return pages.error(ctx, 409, tenant, "Code no longer valid",
            "This code has expired or was already used. Start again on your device.");
      }
      return approve
          ? pages.render(ctx, 200, new Page("message", tenant, "Device allowed", Map.of("message",
              client.displayName() + " may now sign in as " + user.user().username()
                  + ". You may return to your device.")))
          : pages.render(ctx, 200, new Page("message", tenant, "Access denied", Map.of("message",
              client.displayName() + " was not allowed to sign in. You may return to your device.")));
    });
  }

  /**
   * What a typed code came to: a pending authorization (with its client), or why not; {@code throttled} is the
   * audit reason when the throttle refused it.
   */
  private record Found(DeviceAuthorization pending, OAuthClient client, String problem, Long retryAfter,
      String throttled) {
    static Found refused(String problem, Long retryAfter) {
      return new Found(null, null, problem, retryAfter, null);
    }
  }

  /**
   * Throttle check, then the lookup, in one transaction; a code that does not exist (or cannot) counts as a failure
   * of the session and the address. Expired and used codes do not: they once were real, so nobody guessed them.
   */
  private Future<Found> lookUp(RoutingContext ctx, Tenant tenant, SignedIn user, String typed) {
    String tenantId = tenant.id();
    String sessionKey = "session:" + user.sessionId();
    String address = SourceAddress.of(ctx);
    Instant now = clock.instant();
    return storage.transaction(s -> {
      Optional<LoginThrottle.Refusal> refusal = throttle.check(s, tenantId, sessionKey, address, now);
      if (refusal.isPresent()) {
        LoginThrottle.Refusal r = refusal.get();
        long seconds = r.retryAfterSeconds();
        String wait = seconds == 1 ? "1 second" : seconds <= 90 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes";
        return new Found(null, null, "Too many wrong codes. Wait " + wait + ", then try again.", r.retryAfterSeconds(),
            r.reason());
      }
      Optional<DeviceAuthorization> found = UserCode.normalise(typed)
          .flatMap(code -> s.deviceAuthorizations().findByUserCode(tenantId, code));
      if (found.isEmpty()) {
        throttle.recordFailure(s, tenantId, sessionKey, address, now);
        audit.record(s, failure(ctx, tenant, user, "unknown_code"));
        return Found.refused("That code is not valid. Check the code your device shows and try again.", null);
      }
      DeviceAuthorization a = found.get();
      if (a.isExpiredAt(now)) {
        return Found.refused("That code has expired. Start again on your device to get a new one.", null);
      }
      if (a.status() != DeviceAuthorizationStatus.PENDING) {
        return Found.refused("That code was already used. Start again on your device if it still needs to sign in.",
            null);
      }
      OAuthClient client = s.clients().find(tenantId, a.clientId()).orElseThrow();
      return new Found(a, client, null, null, null);
    }).onSuccess(found -> {
      // A refusal costs its sender nothing: one row per kind and window, plus a count.
      if (found.throttled() != null) refusals.record(failure(ctx, tenant, user, found.throttled()));
    });
  }

  private Future<Void> refusedCode(RoutingContext ctx, Tenant tenant, SignedIn user, String typed, Found found) {
    if (found.retryAfter() != null) {
      ctx.response().putHeader("Retry-After", Long.toString(found.retryAfter()));
      return codeForm(ctx, 429, tenant, user, typed, found.problem(), "error");
    }
    return codeForm(ctx, 400, tenant, user, typed, found.problem(), "error");
  }

  private Future<Void> codeForm(RoutingContext ctx, int status, Tenant tenant, SignedIn user, String prefill,
      String message, String messageKind) {
    Map<String, Object> model = new HashMap<>();
    model.put("action", "/t/" + tenant.id() + DeviceAuthorizationEndpoint.VERIFICATION_PATH);
    model.put("csrf", csrf.issueForSession(tenant.id(), CODE_PURPOSE, user.sessionId()));
    model.put("username", user.user().username());
    model.put("userCode", prefill.length() > MAX_CODE ? "" : prefill);
    model.put("message", message);
    model.put("messageKind", messageKind);
    return pages.render(ctx, status, new Page("device", tenant, "Connect a device", model));
  }

  private Future<Void> confirmPage(RoutingContext ctx, Tenant tenant, SignedIn user, DeviceAuthorization a,
      OAuthClient client, String message) {
    Map<String, Object> model = new HashMap<>();
    model.put("action", "/t/" + tenant.id() + DeviceAuthorizationEndpoint.VERIFICATION_PATH);
    model.put("csrf", csrf.issueForSession(tenant.id(), DECISION_PURPOSE + a.id(), user.sessionId()));
    model.put("clientName", client.displayName());
    model.put("clientId", client.id());
    model.put("username", user.user().username());
    model.put("scopes", ScopeDescriptions.of(new LinkedHashSet<>(a.scopes())));
    model.put("userCode", UserCode.display(a.userCode()));
    model.put("message", message);
    return pages.render(ctx, 200, new Page("device-confirm", tenant, "Allow this device?", model));
  }

  /** To the login page, which comes back to this page with the code the user brought. */
  private Future<Void> toLogin(RoutingContext ctx, String tenantId, String typed) {
    String back = "/t/" + tenantId + DeviceAuthorizationEndpoint.VERIFICATION_PATH;
    if (typed != null && typed.length() <= MAX_CODE) {
      back += "?user_code=" + URLEncoder.encode(typed, StandardCharsets.UTF_8);
    }
    ctx.response().setStatusCode(ctx.request().method().name().equals("GET") ? 302 : 303)
        .putHeader("Location", LoginSessions.loginUrl(tenantId, back))
        .putHeader("Cache-Control", "no-store")
        .end();
    return Future.succeededFuture();
  }

  private Future<Tenant> tenant(String tenantId) {
    return storage.transaction((StoreSession s) -> s.tenants().find(tenantId).orElse(null));
  }

  private Future<Void> notFound(RoutingContext ctx) {
    return pages.error(ctx, 404, null, "Not found", "There is no such page.");
  }

  private static String actor(Tenant tenant, SignedIn user) {
    return "user:" + tenant.id() + "/" + user.user().username();
  }

  /** An audited wrong or refused code; the typed code itself is not recorded. */
  private static AuditLog.Entry failure(RoutingContext ctx, Tenant tenant, SignedIn user, String reason) {
    return new AuditLog.Entry(tenant.id(), actor(tenant, user), "device.verify", null, AuditLog.FAILURE,
        SourceAddress.of(ctx), new JsonObject().put("reason", reason).put("session", user.sessionId()));
  }

  private void failed(RoutingContext ctx, Throwable err) {
    if (ctx.response().ended()) return;
    if (err instanceof InvalidInputException) {
      pages.error(ctx, 400, null, "Invalid request", "The request holds a character that cannot be used here, such as a control character.");
      return;
    }
    if (err instanceof StorageUnavailableException) {
      ctx.response().putHeader("Retry-After", "5");
      pages.error(ctx, 503, null, "Temporarily unavailable", "This page is unavailable right now. Please try again.");
      return;
    }
    log.error("{} {} failed", ctx.request().method(), ctx.request().path(), err);
    pages.error(ctx, 500, null, "Something went wrong", "The request failed because of an internal error.");
  }
}
