package dev.lanyard.idp.authorize;

import dev.lanyard.idp.login.LoginSessions;
import dev.lanyard.idp.login.SignedIn;
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
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/POST /t/{tenant}/authorize} (RFC 6749 §4.1, OIDC Core §3.1.2) and {@code POST /t/{tenant}/consent}.
 *
 * <p>Two ways out for errors: until the client is known and the redirect URI is registered for it, a
 * {@link DisplayedError} page; after that, a {@link RedirectError} to the client. Then the login session decides:
 * none (or {@code prompt=login}, or older than {@code max_age}) sends the browser to the login page, which comes
 * back here; {@code prompt=none} without one answers {@code login_required}; {@code prompt=consent} shows the
 * consent page; otherwise a code goes to the redirect URI (or, for {@code urn:ietf:wg:oauth:2.0:oob}, onto a page).
 */
public final class AuthorizeHandler {
  private static final Logger log = LoggerFactory.getLogger(AuthorizeHandler.class);
  static final String CONSENT_PURPOSE = "consent";
  private static final int MAX_PARAM = 2_048;
  private static final int BODY_LIMIT = 32_768;

  private final Storage storage;
  private final LoginSessions sessions;
  private final CodeIssuer codes;
  private final CsrfTokens csrf;
  private final PageRenderer pages;
  private final Clock clock;
  private final String publicUrl;

  public AuthorizeHandler(Storage storage, LoginSessions sessions, CodeIssuer codes, CsrfTokens csrf,
      PageRenderer pages, Clock clock, String publicUrl) {
    this.storage = storage;
    this.sessions = sessions;
    this.codes = codes;
    this.csrf = csrf;
    this.pages = pages;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    router.get("/t/:tenant/authorize").handler(ctx -> handle(ctx, ctx.request().params(), null));
    Handler<RoutingContext> body = RequestBodies.limitedTo(BODY_LIMIT);
    router.post("/t/:tenant/authorize").handler(body).handler(ctx -> {
      if (!RequestBodies.isForm(ctx.request())) {
        pages.error(ctx, 400, null, "Invalid request", "The authorization request was not sent as a form.");
        return;
      }
      handle(ctx, ctx.request().formAttributes(), null);
    });
    router.post("/t/:tenant/consent").handler(body).handler(ctx -> {
      if (!RequestBodies.isForm(ctx.request())) {
        pages.error(ctx, 400, null, "Invalid request", "The consent form was not sent as a form.");
        return;
      }
      MultiMap form = ctx.request().formAttributes();
      handle(ctx, form, new ConsentAnswer(form.get("decision"), form.get("csrf")));
    });
  }

  /** The consent form's answer. */
  private record ConsentAnswer(String decision, String csrf) {}

  /** The client and tenant of a request whose redirect URI is registered. */
  private record Trusted(Tenant tenant, OAuthClient client, PageParams params) {}

  private void handle(RoutingContext ctx, MultiMap raw, ConsentAnswer consent) {
    String tenantId = ctx.pathParam("tenant");
    Future.succeededFuture()
        .compose(v -> trust(tenantId, raw))
        .compose(trusted -> {
          // ---- From here on the redirect URI is registered for the client: errors go back to it. ----
          OAuthClient client = trusted.client();
          AuthorizeRequest request = AuthorizeRequest.parse(tenantId, client.id(), trusted.params().get("redirect_uri"),
              trusted.params(), client.isPublic(), client.allowsGrant("authorization_code"), issuer(tenantId));
          return sessions.current(ctx, tenantId).compose(session -> decide(ctx, trusted, request, session, consent));
        })
        .onFailure(err -> fail(ctx, tenantId, err));
  }

  /** Finds the tenant and client and checks the redirect URI; fails with a {@link DisplayedError}. */
  private Future<Trusted> trust(String tenantId, MultiMap raw) {
    PageParams params;
    try {
      params = PageParams.of(raw, AuthorizeRequest.NAMES, MAX_PARAM);
    } catch (PageParams.Invalid e) {
      return Future.failedFuture(new DisplayedError(400, "Invalid request", e.getMessage()));
    }
    String clientId = params.get("client_id");
    return storage.transaction(s -> {
      Optional<Tenant> tenant = s.tenants().find(tenantId);
      if (tenant.isEmpty()) throw new DisplayedError(404, "Not found", "There is no such sign-in page.");
      Tenant t = tenant.get();
      if (clientId == null) {
        throw new DisplayedError(400, "Invalid request", "The request names no application (client_id is missing).",
            t);
      }
      OAuthClient client = s.clients().find(tenantId, clientId).orElseThrow(() -> new DisplayedError(400,
          "Unknown application", "The application that sent you here is not registered with " + t.displayName()
              + ".", t));
      String redirectUri = params.get("redirect_uri");
      if (redirectUri == null) {
        throw new DisplayedError(400, "Invalid request", "The request has no redirect_uri.", t);
      }
      if (!RedirectUris.matches(client.redirectUris(), redirectUri)) {
        throw new DisplayedError(400, "Invalid redirect address",
            "The address this application asked to return to is not registered for it, so you are not sent there.",
            t);
      }
      return new Trusted(tenant.get(), client, params);
    });
  }

  private Future<Void> decide(RoutingContext ctx, Trusted trusted, AuthorizeRequest request,
      Optional<SignedIn> session, ConsentAnswer consent) {
    long now = clock.instant().getEpochSecond();
    boolean tooOld = session.isPresent() && request.maxAge() != null
        && now - session.get().authTime() > request.maxAge();
    boolean forceLogin = consent == null && (request.prompt().contains("login") || tooOld);
    if (session.isEmpty() || forceLogin) {
      if (request.prompt().contains("none")) {
        throw error(request, "login_required", "the user is not signed in");
      }
      // Back here after the sign-in, without what forced it (or the new session would be sent to sign in again).
      String returnTo = authorizeUrl(request.tenantId(), trusted.params(), Set.of("prompt:login", "max_age"));
      String login = LoginSessions.loginUrl(request.tenantId(), returnTo);
      if (request.loginHint() != null) {
        login += "&login_hint=" + URLEncoder.encode(request.loginHint(), StandardCharsets.UTF_8);
      }
      ctx.response().setStatusCode(302).putHeader("Location", login).putHeader("Cache-Control", "no-store").end();
      return Future.succeededFuture();
    }
    SignedIn signedIn = session.get();
    if (consent != null) {
      CsrfTokens.Check check = csrf.checkForSession(request.tenantId(), CONSENT_PURPOSE, signedIn.sessionId(),
          consent.csrf());
      if (check == CsrfTokens.Check.INVALID) {
        throw new DisplayedError(403, "Invalid form", "This consent form could not be verified. Start again from your"
            + " application.", trusted.tenant());
      }
      if (check == CsrfTokens.Check.STALE) return consentPage(ctx, trusted, request, signedIn, true);
      if ("deny".equals(consent.decision())) {
        throw error(request, "access_denied", "the user denied the request");
      }
      if (!"approve".equals(consent.decision())) {
        throw new DisplayedError(400, "Invalid form", "The consent form had no answer.", trusted.tenant());
      }
    } else if (request.prompt().contains("consent")) {
      return consentPage(ctx, trusted, request, signedIn, false);
    }
    return codes.issue(request, signedIn).compose(code -> deliver(ctx, trusted, request, code));
  }

  private Future<Void> deliver(RoutingContext ctx, Trusted trusted, AuthorizeRequest request, String code) {
    if (RedirectUris.OOB.equals(request.redirectUri())) {
      return pages.render(ctx, 200, new Page("code", trusted.tenant(), "Your sign-in code",
          Map.of("code", code, "clientName", trusted.client().displayName(),
              "expiresIn", CodeIssuer.LIFETIME_SECONDS)));
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("code", code);
    params.put("state", request.state());
    params.put("iss", issuer(request.tenantId()));
    AuthorizationResponses.redirect(ctx, request.redirectUri(), params);
    return Future.succeededFuture();
  }

  private Future<Void> consentPage(RoutingContext ctx, Trusted trusted, AuthorizeRequest request, SignedIn signedIn,
      boolean stale) {
    Map<String, Object> model = new HashMap<>();
    model.put("action", "/t/" + request.tenantId() + "/consent");
    model.put("csrf", csrf.issueForSession(request.tenantId(), CONSENT_PURPOSE, signedIn.sessionId()));
    model.put("clientName", trusted.client().displayName());
    model.put("clientId", trusted.client().id());
    model.put("username", signedIn.user().username());
    model.put("scopes", ScopeDescriptions.of(request.scopes()));
    model.put("message", stale ? "The form had expired. Please answer again." : null);
    // The original request travels in hidden fields and is checked again when the answer comes back.
    List<Map<String, String>> hidden = new ArrayList<>();
    for (String name : AuthorizeRequest.NAMES) {
      String value = trusted.params().get(name);
      if (value != null) hidden.add(Map.of("name", name, "value", value));
    }
    model.put("hidden", hidden);
    return pages.render(ctx, 200, new Page("consent", trusted.tenant(), "Allow access?", model,
        FormTargets.originOf(request.redirectUri())));
  }

  /** This endpoint's URL for the request's parameters, less {@code drop} ("name" or "name:value" for one prompt value). */
  private static String authorizeUrl(String tenantId, PageParams params, Set<String> drop) {
    StringBuilder url = new StringBuilder("/t/").append(tenantId).append("/authorize");
    char sep = '?';
    for (String name : AuthorizeRequest.NAMES.stream().sorted().toList()) {
      String value = params.get(name);
      if (value == null || drop.contains(name)) continue;
      if ("prompt".equals(name)) {
        List<String> kept = new ArrayList<>();
        for (String v : value.split(" ")) {
          if (!v.isEmpty() && !drop.contains("prompt:" + v)) kept.add(v);
        }
        if (kept.isEmpty()) continue;
        value = String.join(" ", kept);
      }
      url.append(sep).append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      sep = '&';
    }
    return url.toString();
  }

  private RedirectError error(AuthorizeRequest request, String code, String description) {
    return new RedirectError(request.redirectUri(), request.state(), issuer(request.tenantId()), code, description);
  }

  private String issuer(String tenantId) {
    return publicUrl + "/t/" + tenantId;
  }

  private void fail(RoutingContext ctx, String tenantId, Throwable err) {
    if (ctx.response().ended()) return;
    if (err instanceof RedirectError e && RedirectUris.OOB.equals(e.redirectUri)) {
      // Keyboard mode has nowhere to redirect to: the error goes on the page the code would have.
      pages.error(ctx, 400, null, "Sign-in failed", e.code + ": " + e.getMessage());
    } else if (err instanceof RedirectError e) {
      AuthorizationResponses.error(ctx, e);
    } else if (err instanceof DisplayedError e) {
      pages.error(ctx, e.status, e.tenant, e.title, e.getMessage());
    } else if (err instanceof StorageUnavailableException) {
      ctx.response().putHeader("Retry-After", "5");
      pages.error(ctx, 503, null, "Temporarily unavailable", "Sign-in is unavailable right now. Please try again.");
    } else if (err instanceof InvalidInputException) { // e.g. a NUL character in client_id
      pages.error(ctx, 400, null, "Invalid request", "The request holds a character that cannot be used here, such as a control character.");
    } else {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), err);
      pages.error(ctx, 500, null, "Something went wrong", "The request failed because of an internal error.");
    }
  }
}
