package dev.lanyard.idp.admin;

import dev.lanyard.idp.config.DurationText;
import dev.lanyard.idp.k8s.ClusterBindings;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code /tenants/{t}/tokens}: mint a Kubernetes token for a user or robot (the secret is in the create
 * response only), list tokens with their last use, get one, revoke ({@code DELETE}, effective on the next
 * TokenReview). Minting and revoking go through {@link TokenService}, which audits them.
 */
final class TokensEndpoint {
  private final Storage storage;
  private final TokenService tokens;
  private final Clock clock;

  TokensEndpoint(Storage storage, TokenService tokens, Clock clock) {
    this.storage = storage;
    this.tokens = tokens;
    this.clock = clock;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/tokens";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::create));
    router.get(base + "/:id").handler(AdminRequest.handler(200, this::get));
    router.delete(base + "/:id").handler(AdminRequest.handler(204, this::revoke));
  }

  private Future<JsonObject> create(AdminRequest r) {
    String tenant = r.tenant();
    Fields f = r.fields();
    String user = f.optional("user", null, null);
    String robot = f.optional("robot", null, null);
    if (user == null && robot == null) { // absent, JSON null, or not a string (then already an error)
      String field = f.has("robot") && !f.has("user") ? "robot" : "user";
      if (!f.hasError("user") && !f.hasError("robot")) f.error(field, "one of user or robot is required");
    } else if (user != null && robot != null) {
      f.error("robot", "give either user or robot, not both");
    }
    String ttlText = f.optional("ttl", null, null);
    Duration ttl = null;
    if (ttlText != null) {
      try {
        ttl = DurationText.parse(ttlText);
      } catch (IllegalArgumentException e) {
        f.error("ttl", e.getMessage());
      }
    }
    List<String> clusters = f.strings("clusters", null, null);
    String description = f.optional("description", null, null);
    f.check();
    Duration asked = ttl;
    List<String> names = clusters == null ? List.of() : clusters;
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      return user != null ? userId(s, tenant, user, "user") : robotId(s, tenant, robot, "robot");
    }).compose(principalId -> tokens.mint(new TokenService.MintRequest(tenant, TokenKind.KUBERNETES,
            user != null ? PrincipalType.USER : PrincipalType.ROBOT, principalId, asked, names, description),
            r.actor(), r.source()))
        .map(minted -> Views.token(minted.token(), clock.instant(),
            ClusterBindings.of(minted.token().clusters(), names)).put("token", minted.secret()));
  }

  /**
   * A user by id or username. When neither matches: a 400 naming the body's {@code field}, or with a null field
   * (a query filter) a 404.
   */
  private static String userId(StoreSession s, String tenant, String ref, String field) {
    var user = s.users().find(tenant, ref).or(() -> s.users().findByUsername(tenant, ref));
    String what = "user " + ref + " in tenant " + tenant;
    return (field == null ? AdminRequest.found(user, what) : AdminRequest.referenced(field, user, what)).id();
  }

  /** A robot by id or name, as {@link #userId}. */
  private static String robotId(StoreSession s, String tenant, String ref, String field) {
    var robot = s.robots().find(tenant, ref).or(() -> s.robots().findByName(tenant, ref));
    String what = "robot " + ref + " in tenant " + tenant;
    return (field == null ? AdminRequest.found(robot, what) : AdminRequest.referenced(field, robot, what)).id();
  }

  /**
   * {@code ?user=&robot=} (id or name) narrow to one principal, {@code ?includeInactive=true} adds revoked and
   * expired tokens; the total counts what the filters match. The database pages and counts: a tenant may hold
   * a million tokens.
   */
  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    Page page = r.page();
    String user = r.query("user");
    String robot = r.query("robot");
    boolean inactive = "true".equals(r.query("includeInactive"));
    Instant now = clock.instant();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      PrincipalType type = user != null ? PrincipalType.USER : robot != null ? PrincipalType.ROBOT : null;
      String id = user != null ? userId(s, tenant, user, null) : robot != null ? robotId(s, tenant, robot, null) : null;
      ClusterBindings clusters = ClusterBindings.of(s, tenant);
      return page.envelope(s.tokens().list(tenant, null, type, id, inactive, now, page.offset(), page.limit()),
          s.tokens().count(tenant, null, type, id, inactive, now), t -> Views.token(t, now, clusters));
    });
  }

  private Future<JsonObject> get(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> Views.token(AdminRequest.found(s.tokens().find(tenant, id),
        "token " + id + " in tenant " + tenant), clock.instant(), ClusterBindings.of(s, tenant)));
  }

  private Future<Object> revoke(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> {
      OpaqueToken t = AdminRequest.found(s.tokens().find(tenant, id), "token " + id + " in tenant " + tenant);
      if (t.kind() == TokenKind.ADMIN) r.requireCovers(s, tenant, t.principalId());
      return t;
    }).compose(t -> tokens.revoke(tenant, id, r.actor(), r.source())).map(changed -> null);
  }
}
