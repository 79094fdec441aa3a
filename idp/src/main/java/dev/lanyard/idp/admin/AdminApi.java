package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.k8s.ClusterService;
import dev.lanyard.idp.keys.KeyRotation;
import dev.lanyard.idp.login.PasswordAttempts;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.idp.stats.Activity;
import dev.lanyard.idp.tenants.TenantProvisioner;
import dev.lanyard.idp.tokens.AccessTokens;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.Storage;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The admin REST API under {@value #BASE}: JSON in and out, RFC 9457 problem JSON for every error, bodies
 * limited to {@value #BODY_LIMIT} bytes. {@code login}, {@code console} and {@code openapi.json} are open;
 * everything else
 * needs an admin bearer token ({@link AdminAuthenticator}). Each resource is one endpoint class that mounts
 * its own routes; every change is one storage transaction together with its audit event.
 */
public final class AdminApi {
  static final String BASE = "/admin/api/v1";
  static final int BODY_LIMIT = 65_536;

  /** What the endpoints need from the composition root. */
  public record Deps(Vertx vertx, Storage storage, PasswordHasher hasher, AccessTokens accessTokens,
      TenantProvisioner provisioner,
      KeyRotation rotation, TokenService tokens, ClusterService clusters, AuditLog audit, RepeatedFailures failures,
      Clock clock, Activity activity, ServerFacts facts, java.time.Duration sessionIdleTimeout,
      PasswordAttempts passwords) {}

  private final AdminAuthenticator authenticator;
  private final List<Consumer<Router>> open;
  private final List<Consumer<Router>> endpoints;

  public AdminApi(Deps d) {
    this.authenticator = new AdminAuthenticator(d.storage(), d.failures(), d.clock());
    this.open = List.of(
        new LoginEndpoint(d.storage(), d.passwords(), d.accessTokens(), d.tokens(), d.audit(), d.failures(),
            d.clock())::mount,
        new OpenApiEndpoint()::mount,
        new ConsoleEndpoint(d.facts())::mount);
    this.endpoints = List.of(
        new TenantsEndpoint(d.vertx(), d.storage(), d.provisioner(), d.audit(), d.tokens())::mount,
        new UsersEndpoint(d.storage(), d.hasher(), d.audit(), d.clock())::mount,
        new LoginSessionsEndpoint(d.storage(), d.audit(), d.clock(), d.sessionIdleTimeout())::mount,
        new GroupsEndpoint(d.storage(), d.audit(), d.clock())::mount,
        new ClientsEndpoint(d.storage(), d.hasher(), d.audit(), d.clock())::mount,
        new RobotsEndpoint(d.storage(), d.audit(), d.clock())::mount,
        new TokensEndpoint(d.storage(), d.tokens(), d.clock())::mount,
        new ClustersEndpoint(d.storage(), d.clusters(), d.audit(), d.facts())::mount,
        new KeysEndpoint(d.vertx(), d.storage(), d.rotation(), d.audit())::mount,
        new AuditEndpoint(d.storage())::mount,
        new AdminRolesEndpoint(d.storage(), d.audit())::mount,
        new MeEndpoint(d.tokens())::mount,
        new OverviewEndpoint(d.storage(), d.facts(), d.clock())::mount,
        new ActivityEndpoint(d.storage(), d.activity())::mount);
  }

  /** A 400 problem for a request refused before any admin endpoint saw it (a malformed query string). */
  public static void badRequest(RoutingContext ctx, String detail) {
    AdminRequest.problem(ctx, Problem.of(400, detail));
  }

  public void mount(Router router) {
    router.route(BASE + "/*").handler(RequestBodies.limitedTo(BODY_LIMIT))
        .failureHandler(ctx -> AdminRequest.problem(ctx, ctx.failure() != null && ctx.statusCode() < 0
            ? ctx.failure() : Problem.of(ctx.statusCode() > 0 ? ctx.statusCode() : 500,
                ctx.statusCode() == 413 ? "request body too large (at most " + BODY_LIMIT + " bytes)" : null)));
    open.forEach(e -> e.accept(router));
    router.route(BASE + "/*").handler(authenticator);
    endpoints.forEach(e -> e.accept(router));
    router.route(BASE + "/*").handler(ctx -> AdminRequest.problem(ctx, Problem.notFound("no such admin endpoint")));
  }
}
