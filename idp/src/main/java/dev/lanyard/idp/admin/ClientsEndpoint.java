package dev.lanyard.idp.admin;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /tenants/{t}/clients}: OAuth clients. List ({@code ?q=} searches id and name), create (public, or
 * confidential with a generated secret
 * shown in the create response only), get, update (display name, redirect URIs, grants), rotate the secret
 * ({@code POST .../secret}, shown once), delete. Secrets are stored as argon2 hashes. {@code robot} (a robot id,
 * or null) links a confidential client to the robot it acts as in the client_credentials grant.
 */
final class ClientsEndpoint {
  static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token", "password", "client_credentials",
      "urn:ietf:params:oauth:grant-type:device_code");
  private static final List<String> DEFAULT_GRANTS = List.of("authorization_code", "refresh_token");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Storage storage;
  private final PasswordHasher hasher;
  private final AuditLog audit;
  private final Clock clock;

  ClientsEndpoint(Storage storage, PasswordHasher hasher, AuditLog audit, Clock clock) {
    this.storage = storage;
    this.hasher = hasher;
    this.audit = audit;
    this.clock = clock;
  }

  void mount(Router router) {
    String base = AdminApi.BASE + "/tenants/:tenant/clients";
    router.get(base).handler(AdminRequest.handler(200, this::list));
    router.post(base).handler(AdminRequest.handler(201, this::create));
    router.get(base + "/:id").handler(AdminRequest.handler(200, this::get));
    router.put(base + "/:id").handler(AdminRequest.handler(200, this::update));
    router.delete(base + "/:id").handler(AdminRequest.handler(204, this::delete));
    router.post(base + "/:id/secret").handler(AdminRequest.handler(200, this::rotateSecret));
  }

  private static OAuthClient client(StoreSession s, String tenant, String id) {
    UsersEndpoint.requireTenant(s, tenant);
    return AdminRequest.found(s.clients().find(tenant, id), "client " + id + " in tenant " + tenant);
  }

  private Future<JsonObject> list(AdminRequest r) {
    String tenant = r.tenant();
    Page page = r.page();
    return storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      return page.slice(s.clients().list(tenant).stream()
          .filter(c -> Page.matches(r.query("q"), c.id(), c.displayName())).toList(), c -> view(s, c));
    });
  }

  private Future<JsonObject> get(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> view(s, client(s, tenant, id)));
  }

  /** The client's view with the robot it acts as (null when none). */
  private static JsonObject view(StoreSession s, OAuthClient c) {
    return Views.client(c).put("robot", s.clients().robotOf(c.tenantId(), c.id()).orElse(null));
  }

  /**
   * Links (or with null unlinks) the client's robot, when the request names the field. Only confidential clients
   * may have one: client_credentials is theirs alone.
   */
  private static void linkRobot(StoreSession s, Fields f, OAuthClient c) {
    if (!f.has("robot")) return;
    String robotId = f.optional("robot", Shapes.NAME, Shapes.NAME_MESSAGE);
    f.check();
    if (robotId != null && c.isPublic()) throw Problem.invalid("robot", "only a confidential client acts as a robot");
    if (robotId != null && s.robots().find(c.tenantId(), robotId).isEmpty()) {
      throw Problem.invalid("robot", "no robot " + robotId + " in tenant " + c.tenantId());
    }
    s.clients().setRobot(c.tenantId(), c.id(), robotId);
  }

  private Future<JsonObject> create(AdminRequest r) {
    String tenant = r.tenant();
    Fields f = r.fields();
    String id = f.required("id", Shapes.NAME, Shapes.NAME_MESSAGE);
    String displayName = f.optional("displayName", null, null);
    String type = f.optional("type", java.util.regex.Pattern.compile("public|confidential"), "'public' or 'confidential'");
    boolean isPublic = "public".equals(type);
    List<String> redirectUris = redirectUris(f);
    List<String> grants = grants(f);
    checkCombination(f, isPublic, redirectUris == null ? List.of() : redirectUris, grants == null ? DEFAULT_GRANTS : grants);
    f.check();
    String secret = isPublic ? null : newSecret();
    Future<String> hash = secret == null ? Future.succeededFuture(null) : hasher.hash(secret.toCharArray());
    return hash.compose(h -> storage.transaction(s -> {
      UsersEndpoint.requireTenant(s, tenant);
      if (s.clients().find(tenant, id).isPresent()) throw Problem.of(409, "client " + id + " exists in tenant " + tenant);
      OAuthClient c = new OAuthClient(tenant, id, displayName != null ? displayName : id, h,
          redirectUris == null ? List.of() : redirectUris, new LinkedHashSet<>(grants == null ? DEFAULT_GRANTS : grants),
          clock.instant(), TimeOrderedIds.next());
      s.clients().create(c);
      linkRobot(s, f, c);
      audit.record(s, entry(r, tenant, "client.create", id, new JsonObject().put("type", isPublic ? "public" : "confidential")
          .put("robot", s.clients().robotOf(tenant, id).orElse(null))));
      JsonObject view = view(s, c);
      return secret == null ? view : view.put("secret", secret);
    }));
  }

  private Future<JsonObject> update(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    Fields f = r.fields();
    String displayName = f.optional("displayName", null, null);
    List<String> redirectUris = redirectUris(f);
    List<String> grants = grants(f);
    f.check();
    return storage.transaction(s -> {
      OAuthClient old = client(s, tenant, id);
      List<String> uris = redirectUris != null ? redirectUris : old.redirectUris();
      List<String> g = grants != null ? grants : List.copyOf(old.grantTypes());
      checkCombination(f, old.isPublic(), uris, g);
      f.check();
      OAuthClient updated = new OAuthClient(tenant, id, displayName != null ? displayName : old.displayName(),
          old.secretHash(), uris, new LinkedHashSet<>(g), old.createdAt(), old.uid());
      s.clients().update(updated);
      linkRobot(s, f, updated);
      JsonObject details = new JsonObject().put("fields", new JsonArray(List.copyOf(r.body().fieldNames())));
      if (f.has("robot")) details.put("robot", s.clients().robotOf(tenant, id).orElse(null));
      audit.record(s, entry(r, tenant, "client.update", id, details));
      return view(s, updated);
    });
  }

  private Future<JsonObject> rotateSecret(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    String secret = newSecret();
    return storage.transaction(s -> client(s, tenant, id))
        .compose(c -> {
          if (c.isPublic()) return Future.failedFuture(Problem.of(400, "client " + id + " is public: it has no secret"));
          return hasher.hash(secret.toCharArray());
        })
        .compose(hash -> storage.transaction(s -> {
          OAuthClient old = client(s, tenant, id);
          OAuthClient updated = new OAuthClient(tenant, id, old.displayName(), hash, old.redirectUris(),
              old.grantTypes(), old.createdAt(), old.uid());
          s.clients().update(updated);
          audit.record(s, entry(r, tenant, "client.rotate-secret", id, null));
          return view(s, updated).put("secret", secret);
        }));
  }

  private Future<Object> delete(AdminRequest r) {
    String tenant = r.tenant();
    String id = r.path("id");
    return storage.transaction(s -> {
      client(s, tenant, id);
      s.clients().delete(tenant, id);
      audit.record(s, entry(r, tenant, "client.delete", id, null));
      return null;
    });
  }

  /** Redirect URIs: absolute, no fragment; https, http on a loopback host, or a private-use scheme (RFC 8252). */
  private static List<String> redirectUris(Fields f) {
    List<String> uris = f.strings("redirectUris", null, null);
    if (uris == null) return null;
    for (int i = 0; i < uris.size(); i++) {
      String problem = redirectUriProblem(uris.get(i));
      if (problem != null) f.error("redirectUris[" + i + "]", problem);
    }
    return uris;
  }

  static String redirectUriProblem(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return "not a URI";
    }
    if (!uri.isAbsolute()) return "must be an absolute URI";
    if (uri.getRawFragment() != null) return "must not have a fragment";
    String scheme = uri.getScheme().toLowerCase();
    if (scheme.equals("https")) return uri.getHost() == null ? "must name a host" : null;
    if (scheme.equals("http")) {
      String host = uri.getHost();
      return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host) ? null
          : "http only for loopback hosts (localhost, 127.0.0.1, [::1]); use https";
    }
    return scheme.contains(".") ? null : "https, http on a loopback host, or a private-use scheme like com.example.app";
  }

  private static List<String> grants(Fields f) {
    List<String> grants = f.strings("grantTypes", null, null);
    if (grants == null) return null;
    for (int i = 0; i < grants.size(); i++) {
      if (!GRANTS.contains(grants.get(i))) f.error("grantTypes[" + i + "]", "one of " + new java.util.TreeSet<>(GRANTS));
    }
    return grants;
  }

  private static void checkCombination(Fields f, boolean isPublic, List<String> uris, List<String> grants) {
    if (isPublic && grants.contains("client_credentials")) {
      f.error("grantTypes", "client_credentials needs a confidential client");
    }
    if (grants.contains("authorization_code") && uris.isEmpty()) {
      f.error("redirectUris", "authorization_code needs at least one redirect URI");
    }
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static AuditLog.Entry entry(AdminRequest r, String tenant, String action, String id, JsonObject details) {
    return new AuditLog.Entry(tenant, r.actor(), action, "client:" + tenant + "/" + id, AuditLog.SUCCESS, r.source(),
        details);
  }

}
