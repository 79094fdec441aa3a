package dev.lanyard.idp.login;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.authorize.RedirectUris;
import dev.lanyard.idp.pages.CsrfTokens;
import dev.lanyard.idp.pages.FormTargets;
import dev.lanyard.idp.pages.PageParams;
import dev.lanyard.idp.pages.PageRenderer;
import dev.lanyard.idp.pages.PageRenderer.Page;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/POST /t/{tenant}/logout}: OpenID Connect RP-Initiated Logout 1.0. Ends the browser's login session
 * (row ended, cookie cleared), then sends the browser to {@code post_logout_redirect_uri} with {@code state}, or
 * shows a "signed out" page.
 *
 * <p>{@code post_logout_redirect_uri} is honoured only when it is one of the client's registered redirect URIs
 * (matched as /authorize matches them), the client being {@code client_id} or the audience of the
 * {@code id_token_hint}; anything else gets an error page, never a redirect. This is Keycloak's default ("+":
 * the valid redirect URIs) and spares clients a second list to keep in step.
 *
 * <p>A valid {@code id_token_hint} for the signed-in user logs out at once. Without one (anyone can link here)
 * the user confirms on a page first, as Keycloak asks, so a stray link cannot sign people out. A POST from a
 * client's site arrives without the SameSite=Lax session cookie; it gets a page whose link repeats the request as
 * a same-site GET, which carries the cookie.
 */
public final class LogoutHandler {
  private static final Logger log = LoggerFactory.getLogger(LogoutHandler.class);
  static final String CSRF_PURPOSE = "logout";
  private static final Set<String> NAMES = Set.of("id_token_hint", "client_id", "post_logout_redirect_uri", "state",
      "csrf", "decision");
  private static final int MAX_PARAM = 8_192;

  private final Storage storage;
  private final LoginSessionService sessions;
  private final CsrfTokens csrf;
  private final PageRenderer pages;
  private final AuditLog audit;
  private final String publicUrl;

  public LogoutHandler(Storage storage, LoginSessionService sessions, CsrfTokens csrf, PageRenderer pages,
      AuditLog audit, String publicUrl) {
    this.storage = storage;
    this.sessions = sessions;
    this.csrf = csrf;
    this.pages = pages;
    this.audit = audit;
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    router.get("/t/:tenant/logout").handler(ctx -> handle(ctx, ctx.request().params(), false));
    router.post("/t/:tenant/logout").handler(RequestBodies.limitedTo(32_768)).handler(ctx -> {
      if (!RequestBodies.isForm(ctx.request())) {
        pages.error(ctx, 400, null, "Invalid request", "The sign-out request was not sent as a form.");
        return;
      }
      handle(ctx, ctx.request().formAttributes(), true);
    });
  }

  private record Request(Tenant tenant, OAuthClient client, String redirect, String state, boolean hintValid,
      String hintSubject) {}

  private void handle(RoutingContext ctx, MultiMap raw, boolean post) {
    String tenantId = ctx.pathParam("tenant");
    PageParams p;
    try {
      p = PageParams.of(raw, NAMES, MAX_PARAM);
    } catch (PageParams.Invalid e) {
      pages.error(ctx, 400, null, "Invalid request", e.getMessage());
      return;
    }
    storage.transaction(s -> {
      Optional<Tenant> tenant = s.tenants().find(tenantId);
      if (tenant.isEmpty()) return null;
      List<SigningKey> keys = p.has("id_token_hint") ? s.signingKeys().list(tenantId) : List.of();
      Optional<IdTokenHints.Hint> hint = p.has("id_token_hint")
          ? IdTokenHints.verify(p.get("id_token_hint"), keys, publicUrl + "/t/" + tenantId) : Optional.empty();
      if (p.has("id_token_hint") && hint.isEmpty()) {
        throw new PageParams.Invalid("The id_token_hint is not an ID token issued here.");
      }
      String clientId = p.get("client_id");
      if (clientId != null && hint.isPresent() && !hint.get().audiences().contains(clientId)) {
        throw new PageParams.Invalid("The id_token_hint was not issued to this client_id.");
      }
      if (clientId == null && hint.isPresent() && hint.get().audiences().size() == 1) {
        clientId = hint.get().audiences().get(0);
      }
      OAuthClient client = clientId == null ? null : s.clients().find(tenantId, clientId).orElse(null);
      if (clientId != null && client == null) throw new PageParams.Invalid("The application is not registered here.");
      String redirect = p.get("post_logout_redirect_uri");
      if (redirect != null && (client == null || RedirectUris.OOB.equals(redirect)
          || !RedirectUris.matches(client.redirectUris(), redirect))) {
        throw new PageParams.Invalid("The address to return to after signing out is not registered for this"
            + " application, so you are not sent there.");
      }
      return new Request(tenant.get(), client, redirect, p.get("state"), hint.isPresent(),
          hint.map(IdTokenHints.Hint::subject).orElse(null));
    }).compose(request -> {
      if (request == null) return pages.error(ctx, 404, null, "Not found", "There is no such sign-out page.");
      return sessions.current(ctx, tenantId).compose(session -> {
        if (session.isEmpty() && post && !p.has("decision") && sessions.cookieAbsent(ctx)) {
          // A client's page posted here from its own site: SameSite=Lax kept the session cookie back, so whether
          // this browser is signed in cannot be told. A same-site GET carries the cookie.
          return pages.render(ctx, 200, new Page("continue", request.tenant(), "Sign out",
              Map.of("message", "Continue to sign out.", "href", "/t/" + tenantId + "/logout?" + query(p),
                  "label", "Continue")));
        }
        if (session.isEmpty()) return signedOut(ctx, request, null); // nothing to end; still clear any cookie
        boolean confirmed = post && "yes".equals(p.get("decision")) && csrf.checkForSession(tenantId, CSRF_PURPOSE,
            session.get().sessionId(), p.get("csrf")) == CsrfTokens.Check.VALID;
        boolean hintMatches = request.hintValid() && session.get().user().id().equals(request.hintSubject());
        if (confirmed || hintMatches) return signedOut(ctx, request, session.get());
        if (post && "no".equals(p.get("decision"))) {
          return pages.render(ctx, 200, new Page("message", request.tenant(), "Still signed in",
              Map.of("message", "You are still signed in as " + session.get().user().username() + ".")));
        }
        return confirmPage(ctx, request, session.get());
      });
    }).onFailure(err -> {
      if (err instanceof PageParams.Invalid e) {
        pages.error(ctx, 400, null, "Invalid sign-out request", e.getMessage());
      } else if (err instanceof InvalidInputException) {
        pages.error(ctx, 400, null, "Invalid sign-out request", "The request holds a character that cannot be used here, such as a control character.");
      } else {
        log.error("{} {} failed", ctx.request().method(), ctx.request().path(), err);
        pages.error(ctx, 500, null, "Something went wrong", "Signing out failed because of an internal error.");
      }
    });
  }

  private Future<Void> signedOut(RoutingContext ctx, Request request, SignedIn session) {
    String tenantId = request.tenant().id();
    return sessions.end(ctx, tenantId).compose(ended -> {
      if (ended.isEmpty()) return Future.succeededFuture();
      return audit.recordAlone(storage, new AuditLog.Entry(tenantId, "user:" + tenantId + "/"
          + session.user().username(), "logout", "user:" + tenantId + "/" + session.user().id(), AuditLog.SUCCESS,
          SourceAddress.of(ctx), new JsonObject().put("session", session.sessionId())
              .put("client", request.client() == null ? null : request.client().id())));
    }).compose(v -> {
      if (request.redirect() != null) {
        String location = request.redirect();
        if (request.state() != null) {
          location += (location.indexOf('?') >= 0 ? '&' : '?') + "state="
              + URLEncoder.encode(request.state(), StandardCharsets.UTF_8);
        }
        int status = "GET".equals(ctx.request().method().name()) ? 302 : 303;
        ctx.response().setStatusCode(status).putHeader("Location", location).putHeader("Cache-Control", "no-store")
            .end();
        return Future.succeededFuture();
      }
      return pages.render(ctx, 200, new Page("message", request.tenant(), "Signed out",
          Map.of("message", "You are signed out. You can close this window.")));
    });
  }

  /** The logout request's own parameters as a query string, for the same-site GET that follows a cross-site POST. */
  private static String query(PageParams p) {
    StringBuilder q = new StringBuilder();
    for (String name : List.of("id_token_hint", "client_id", "post_logout_redirect_uri", "state")) {
      if (!p.has(name)) continue;
      if (q.length() > 0) q.append('&');
      q.append(name).append('=').append(URLEncoder.encode(p.get(name), StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private Future<Void> confirmPage(RoutingContext ctx, Request request, SignedIn session) {
    String tenantId = request.tenant().id();
    Map<String, Object> model = new HashMap<>();
    model.put("action", "/t/" + tenantId + "/logout");
    model.put("csrf", csrf.issueForSession(tenantId, CSRF_PURPOSE, session.sessionId()));
    model.put("username", session.user().username());
    List<Map<String, String>> hidden = new ArrayList<>();
    if (request.client() != null) hidden.add(Map.of("name", "client_id", "value", request.client().id()));
    if (request.redirect() != null) hidden.add(Map.of("name", "post_logout_redirect_uri", "value", request.redirect()));
    if (request.state() != null) hidden.add(Map.of("name", "state", "value", request.state()));
    model.put("hidden", hidden);
    List<String> targets = FormTargets.originOf(request.redirect());
    return pages.render(ctx, 200, new Page("logout", request.tenant(), "Sign out?", model, targets));
  }
}
