package dev.lanyard.idp.server;

import dev.lanyard.idp.bootstrap.ApiServerFlags;
import dev.lanyard.idp.bootstrap.FirstStart;
import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.crypto.Argon2Params;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.device.DeviceAuthorizationEndpoint;
import dev.lanyard.idp.device.DeviceCodeGrant;
import dev.lanyard.idp.device.DeviceVerificationPage;
import dev.lanyard.idp.device.ExpiredDeviceAuthorizations;
import dev.lanyard.idp.keys.MasterKey;
import dev.lanyard.idp.authorize.AuthorizeHandler;
import dev.lanyard.idp.authorize.CodeIssuer;
import dev.lanyard.idp.login.LoginHousekeeping;
import dev.lanyard.idp.login.LoginPage;
import dev.lanyard.idp.login.LogoutHandler;
import dev.lanyard.idp.oauth.AuthorizationCodeGrant;
import dev.lanyard.idp.login.LoginSessionService;
import dev.lanyard.idp.login.LoginThrottle;
import dev.lanyard.idp.login.PasswordAttempts;
import dev.lanyard.idp.pages.CsrfTokens;
import dev.lanyard.idp.pages.PageAssets;
import dev.lanyard.idp.pages.PageRenderer;
import dev.lanyard.idp.keys.SigningKeyFactory;
import dev.lanyard.idp.oauth.ClientAuthenticator;
import dev.lanyard.idp.oauth.GrantFailures;
import dev.lanyard.idp.oauth.IntrospectionHandler;
import dev.lanyard.idp.oauth.RevocationHandler;
import dev.lanyard.idp.oauth.PasswordGrant;
import dev.lanyard.idp.oauth.ClientCredentialsGrant;
import dev.lanyard.idp.oauth.RefreshTokenGrant;
import dev.lanyard.idp.oauth.UserTokenMinter;
import dev.lanyard.idp.oauth.UserinfoHandler;
import dev.lanyard.idp.tokens.AccessTokenSeal;
import dev.lanyard.idp.tokens.AccessTokens;
import dev.lanyard.idp.tokens.TokenLifetimes;
import dev.lanyard.idp.oauth.Scopes;
import dev.lanyard.idp.oauth.UserTokenMinter;
import dev.lanyard.idp.oauth.UserTokens;
import dev.lanyard.idp.admin.ServerFacts;
import dev.lanyard.idp.audit.AuditLines;
import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.AuditRetention;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.stats.Activity;
import dev.lanyard.idp.k8s.ClusterService;
import dev.lanyard.idp.k8s.TokenReviewWebhook;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.discovery.DiscoveryDocument;
import dev.lanyard.discovery.DiscoveryMetadata;
import dev.lanyard.discovery.DiscoveryRoutes;
import dev.lanyard.discovery.TenantDocumentCache;
import dev.lanyard.idp.oauth.TokenHandler;
import dev.lanyard.idp.tenants.TenantProvisioner;
import dev.lanyard.idp.tls.HandshakeWarmup;
import dev.lanyard.idp.tls.LocalCertificateAuthority;
import dev.lanyard.idp.tls.ServingCa;
import dev.lanyard.idp.tls.ServingKeyManager;
import dev.lanyard.idp.tls.TlsFiles;
import dev.lanyard.idp.tokens.IdTokenIssuer;
import dev.lanyard.idp.tokens.TenantSigners;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.jdbc.JdbcStorage;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A running Lanyard: the composition root. {@link #start} wires storage, keys, TLS and endpoints, seeds an
 * empty database, then listens; {@link #close} stops it all.
 */
public final class LanyardServer implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LanyardServer.class);
  /** How soon another replica's key change shows in this one's discovery and JWKS. */
  private static final Duration DOCUMENT_REFRESH = Duration.ofSeconds(30);
  private static final Duration UNKNOWN_TENANT_TTL = Duration.ofSeconds(2);
  /** Window of {@link RepeatedFailures}: one audit row per kind of failure per window, plus the count. */
  private static final Duration FAILURE_AUDIT_WINDOW = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final Storage storage;
  private final DataDirLock lock;
  private final int port;
  private final String publicUrl;
  private final Path caFile;

  private final PasswordHasher hasher;

  private final Services services;
  private final RepeatedFailures repeatedFailures;
  private final AuditLines auditLines;

  /** The services behind the endpoints, for the admin API and tests. */
  public record Services(TokenService tokens, ClusterService clusters, TokenReviewWebhook webhook) {}

  private LanyardServer(Vertx vertx, Storage storage, PasswordHasher hasher, Services services,
      RepeatedFailures repeatedFailures, AuditLines auditLines, DataDirLock lock,
      int port, String publicUrl, Path caFile) {
    this.vertx = vertx;
    this.hasher = hasher;
    this.services = services;
    this.repeatedFailures = repeatedFailures;
    this.auditLines = auditLines;
    this.storage = storage;
    this.lock = lock;
    this.port = port;
    this.publicUrl = publicUrl;
    this.caFile = caFile;
  }

  /**
   * Starts Lanyard and returns once it listens. Prints the first-start banner (issuer, CA, kube-apiserver
   * flags, the admin's one-time password) to {@code out}.
   *
   * @param env the process environment ({@code LANYARD_MASTER_KEY}, {@code LANYARD_ADMIN_PASSWORD})
   * @throws IllegalStateException with a clear message when the data directory is locked or unusable
   */
  public static LanyardServer start(LanyardConfig config, Map<String, String> env, PrintStream out) {
    return start(config, env, out, Clock.systemUTC());
  }

  /** As {@link #start(LanyardConfig, Map, PrintStream)}, on {@code clock} (tests move time forward). */
  public static LanyardServer start(LanyardConfig config, Map<String, String> env, PrintStream out, Clock clock) {
    return start(config, env, out, clock, java.util.function.UnaryOperator.identity());
  }

  /**
   * As {@link #start(LanyardConfig, Map, PrintStream, Clock)}, every service on {@code wrap} of the storage: tests
   * make the database fail or pause a read there.
   */
  public static LanyardServer start(LanyardConfig config, Map<String, String> env, PrintStream out, Clock clock,
      java.util.function.UnaryOperator<Storage> wrap) {
    java.time.Instant startedAt = clock.instant();
    StartupTimer timer = new StartupTimer();
    Path dataDir = createDataDir(config.dataPath());
    DataDirLock lock = DataDirLock.acquire(dataDir);
    Vertx vertx = null;
    Storage storage = null;
    Services services = null;
    AuditLines auditLines = null;
    // Loading OpenSSL's native library takes a few hundred milliseconds: do it while storage opens.
    CompletableFuture<Boolean> openSsl = config.tls().enabled()
        ? CompletableFuture.supplyAsync(LanyardServer::useOpenSsl, r -> new Thread(r, "lanyard-tls-init").start())
        : CompletableFuture.completedFuture(false);
    // The serving key and certificate (generated ones made first) are read while storage opens: BouncyCastle
    // is slow to load.
    CompletableFuture<ServingTls> servingTls = config.tls().enabled()
        ? CompletableFuture.supplyAsync(() -> servingTls(config, dataDir, clock),
            r -> new Thread(r, "lanyard-tls-files").start())
        : CompletableFuture.completedFuture(null);
    // Then, still beside storage, one in-memory handshake, so the first client's costs less (HandshakeWarmup),
    // and Vert.x's JSON codec (a Jackson ObjectMapper), which the first request would otherwise build.
    servingTls.thenAcceptBothAsync(openSsl, (tls, withOpenSsl) -> {
      if (tls != null && tls.keyManager() != null) HandshakeWarmup.run(tls.keyManager(), withOpenSsl);
      io.vertx.core.json.Json.encode(Map.of("warm", true));
    }, r -> new Thread(r, "lanyard-warmup").start());
    try {
      // One event loop (and one listener verticle) per core: the handlers never block, so more loops only
      // add start-up work, memory and context switches (measured in bench/RESULTS.md).
      int loops = config.server().eventLoops() > 0 ? config.server().eventLoops()
          : Runtime.getRuntime().availableProcessors();
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
          .setPreferNativeTransport(true));
      timer.mark("vertx");
      storage = wrap.apply(JdbcStorage.open(vertx, storageConfig(config)));
      timer.mark("storage");
      MasterKey masterKey = MasterKey.load(dataDir, env);
      SigningKeyFactory keyFactory = new SigningKeyFactory(masterKey);
      LanyardConfig.Passwords pw = config.passwords();
      PasswordHasher hasher = new PasswordHasher(vertx,
          new Argon2Params(pw.memoryKib(), pw.iterations(), pw.parallelism()), pw.maxConcurrent(), pw.maxQueued());
      TenantProvisioner provisioner = new TenantProvisioner(keyFactory, config.keys().rsaBits(), clock);

      // The generated CA, or the configured one (tls.caFile): what onboarding outputs tell clients to trust.
      Path caFile = ServingCa.file(config);
      HttpServerOptions httpOptions = new HttpServerOptions()
          .setMaxFormAttributeSize(8_192)
          .setIdleTimeout(120)
          // Lanyard serves no WebSocket. With either compression on (Vert.x's default) every connection's pipeline
          // gets an extension handler that inspects each request and response for an upgrade.
          .setPerFrameWebSocketCompressionSupported(false)
          .setPerMessageWebSocketCompressionSupported(false);
      if (config.tls().enabled()) {
        ServingTls tls = servingTls.join();
        httpOptions.setSsl(true).setKeyCertOptions(tls.keyCert()).setUseAlpn(true);
        if (tls.caFile() != null) {
          // Clusters may call the webhook with a client certificate from our CA. REQUEST, not REQUIRE: browsers
          // and clients without one connect as before.
          httpOptions.setClientAuth(ClientAuth.REQUEST)
              .setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile().toString()));
        }
        if (openSsl.join()) {
          // BoringSSL from netty-tcnative: cheaper handshakes and records than the JDK's SSLEngine.
          httpOptions.setSslEngineOptions(new OpenSSLEngineOptions());
        }
      }

      String caPem = ServingCa.pem(caFile); // after servingTls made the generated one
      int listenPort = config.server().port() == 0 ? freePort(config.server().host()) : config.server().port();
      String publicUrl = config.publicUrl(listenPort);
      timer.mark("keys+tls");
      Optional<FirstStart.Seeded> seeded = new FirstStart(storage, provisioner, hasher, clock)
          .seedIfEmpty(config.bootstrap(), env.get("LANYARD_ADMIN_PASSWORD"));
      dev.lanyard.idp.admin.ConsoleClient.ensure(storage, config.bootstrap().tenant(), publicUrl, clock);
      timer.mark("seed");

      TenantSigners signers = new TenantSigners(storage, keyFactory, clock);
      TokenLifetimes lifetimes = new TokenLifetimes(config.tokens());
      IdTokenIssuer idTokens = new IdTokenIssuer(signers, clock, publicUrl, lifetimes);
      Activity activity = new Activity(clock);
      auditLines = new AuditLines(out, clock);
      AuditLog audit = new AuditLog(clock, activity::onAudit, auditLines);
      // Failures anyone can cause at request rate are audited once per kind and window, plus a count.
      RepeatedFailures repeatedFailures = new RepeatedFailures(vertx, storage, audit, FAILURE_AUDIT_WINDOW);
      ClientAuthenticator clientAuth = new ClientAuthenticator(storage, hasher, repeatedFailures);
      AccessTokens accessTokens = new AccessTokens(new AccessTokenSeal(masterKey.derive("access-tokens")));
      UserTokenMinter userTokens = new UserTokenMinter(storage, accessTokens, idTokens, lifetimes, clock);
      LanyardConfig.Login loginSettings = config.login();
      // The sign-in page, the password grant and the admin login count failures on the same counters.
      LoginThrottle loginThrottle = new LoginThrottle(loginSettings);
      PasswordAttempts passwords = new PasswordAttempts(storage, hasher, loginThrottle, audit, repeatedFailures, clock);
      GrantFailures grantFailures = new GrantFailures(repeatedFailures);
      TokenHandler token = new TokenHandler(clientAuth, List.of(
          new AuthorizationCodeGrant(storage, userTokens, audit, grantFailures, clock),
          new DeviceCodeGrant(storage, userTokens, audit, grantFailures, clock),
          new RefreshTokenGrant(storage, userTokens, audit, grantFailures, clock),
          new PasswordGrant(passwords, userTokens, clock),
          new ClientCredentialsGrant(storage, accessTokens, idTokens, lifetimes, audit, clock)));
      DiscoveryDocument discovery = new DiscoveryDocument(publicUrl, discoveryMetadata(token));
      TenantDocumentCache documents = new TenantDocumentCache(storage, discovery, clock, DOCUMENT_REFRESH,
          UNKNOWN_TENANT_TTL);
      TokenService tokenService = new TokenService(storage, audit, clock, config.tokens());
      ClusterService clusterService = new ClusterService(storage, audit, clock);
      TokenReviewWebhook webhook = new TokenReviewWebhook(vertx, storage, audit, clock, activity);
      services = new Services(tokenService, clusterService, webhook);
      // Browser pages: login now; authorization, consent, device approval and logout build on the same pieces.
      boolean secureCookies = publicUrl.startsWith("https:");
      PageRenderer pages = new PageRenderer(vertx);
      CsrfTokens csrf = new CsrfTokens(masterKey.derive("csrf"), clock, loginSettings.formLifetime(), secureCookies);
      LoginSessionService loginSessions = new LoginSessionService(storage, clock, secureCookies,
          loginSettings.sessionLifetime(), loginSettings.sessionIdleTimeout());
      // Vert.x tries routes in the order they were added, matching each path pattern in turn: the machine
      // endpoints called thousands of times a second come first (their paths overlap nothing else).
      List<Consumer<Router>> endpoints = new ArrayList<>();
      endpoints.add(webhook::mount);
      endpoints.add(token::mount);
      endpoints.add(new DiscoveryRoutes(documents, config.keys().discoveryMaxAge(), config.keys().jwksMaxAge())::mount);
      endpoints.add(new PageAssets(vertx)::mount);
      endpoints.add(new LoginPage(storage, hasher, loginSessions, loginThrottle, csrf, pages, audit, repeatedFailures,
          clock)::mount);
      endpoints.add(new AuthorizeHandler(storage, loginSessions, new CodeIssuer(storage, clock), csrf, pages, clock,
          publicUrl)::mount);
      endpoints.add(new LogoutHandler(storage, loginSessions, csrf, pages, audit, publicUrl)::mount);
      endpoints.add(new DeviceVerificationPage(storage, loginSessions, new LoginThrottle(loginSettings,
          DeviceVerificationPage.SESSION_KIND, DeviceVerificationPage.ADDRESS_KIND), csrf, pages, audit, repeatedFailures, clock)::mount);
      endpoints.add(new DeviceAuthorizationEndpoint(clientAuth, storage, clock, publicUrl, config.device())::mount);
      endpoints.add(new IntrospectionHandler(clientAuth, storage, accessTokens, clock, publicUrl)::mount);
      endpoints.add(new RevocationHandler(clientAuth, storage, accessTokens, tokenService, audit, clock)::mount);
      endpoints.add(new UserinfoHandler(storage, accessTokens, clock)::mount);
      endpoints.add(new dev.lanyard.idp.admin.AdminApi(new dev.lanyard.idp.admin.AdminApi.Deps(vertx, storage, hasher, accessTokens,
          provisioner, new dev.lanyard.idp.keys.KeyRotation(keyFactory, config.keys().rsaBits(), config.keys().jwksMaxAge(),
              DOCUMENT_REFRESH, TokenLifetimes.MAX_ID_TOKEN, clock), tokenService, clusterService, audit,
          repeatedFailures, clock,
          activity, new ServerFacts(ServerFacts.VERSION, startedAt, publicUrl, caPem, config.bootstrap().tenant()),
          loginSettings.sessionIdleTimeout(), passwords))::mount);
      Routes routes = new Routes(config.tls().enabled(), List.of(webhook.direct()), endpoints, pages);

      AtomicInteger actualPort = new AtomicInteger();
      vertx.deployVerticle(() -> new HttpVerticle(httpOptions, config.server().host(), listenPort, routes, actualPort::set),
          new DeploymentOptions().setInstances(loops)).await();

      LoginHousekeeping.start(vertx, storage, clock, loginSettings);
      new ExpiredDeviceAuthorizations(storage, clock).schedule(vertx);
      new dev.lanyard.idp.tokens.TokenJanitor(storage, clock).schedule(vertx);
      new AuditRetention(storage, clock, config.audit().retention()).schedule(vertx);
      LanyardServer server = new LanyardServer(vertx, storage, hasher, services, repeatedFailures, auditLines, lock,
          actualPort.get(), publicUrl, caFile);
      timer.mark("listeners");
      log.info("ready {}", timer);
      server.printBanner(out, config, seeded);
      return server;
    } catch (java.util.concurrent.CompletionException e) {
      if (storage != null) storage.close();
      if (vertx != null) vertx.close().await();
      if (auditLines != null) auditLines.close();
      lock.close();
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } catch (RuntimeException e) {
      if (storage != null) storage.close();
      if (vertx != null) vertx.close().await();
      if (auditLines != null) auditLines.close();
      lock.close();
      throw e;
    }
  }

  /** Where start-up time goes, for one log line: "ready 812 ms after JVM start (before start 300, vertx 40, ...)". */
  private static final class StartupTimer {
    private final long created = System.nanoTime();
    private final StringBuilder phases = new StringBuilder();
    private long last = created;

    void mark(String phase) {
      long now = System.nanoTime();
      phases.append(phases.length() == 0 ? "" : ", ").append(phase).append(' ').append((now - last) / 1_000_000);
      last = now;
    }

    /** Called once listening: reading the JVM's uptime loads management classes, which must not delay readiness. */
    @Override
    public String toString() {
      long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
      long inStart = (System.nanoTime() - created) / 1_000_000;
      return uptime + " ms after JVM start (JVM, command line and configuration " + (uptime - inStart) + ", "
          + phases + " ms)";
    }
  }

  public int port() {
    return port;
  }

  public String publicUrl() {
    return publicUrl;
  }

  /** The CA certificate clients must trust (see {@link ServingCa}): generated, or tls.caFile; else null. */
  public Path caFile() {
    return caFile;
  }

  public Services services() {
    return services;
  }

  public Storage storage() {
    return storage;
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    try {
      services.webhook().close().await();
      repeatedFailures.close().await();
      hasher.close().await();
      vertx.close().await();
    } finally {
      auditLines.close(); // after the last request's events
      storage.close();
      lock.close();
    }
  }

  private void printBanner(PrintStream out, LanyardConfig config, Optional<FirstStart.Seeded> seeded) {
    String tenant = config.bootstrap().tenant();
    String issuer = publicUrl + "/t/" + tenant;
    out.println("Lanyard is listening on " + (config.tls().enabled() ? "https" : "http") + "://"
        + config.server().host() + ":" + port + " (storage: " + storage.databaseName() + ")");
    seeded.ifPresent(s -> {
      out.println();
      out.println("First start: created tenant '" + s.tenantId() + "', administrator '" + s.adminUsername()
          + "' and public client '" + config.bootstrap().clientId() + "'.");
      if (s.generatedPassword() != null) {
        out.println("One-time password for '" + s.adminUsername() + "' (shown only now): " + s.generatedPassword());
      } else {
        out.println("The administrator's password is the one in LANYARD_ADMIN_PASSWORD.");
      }
    });
    out.println();
    out.println("Issuer URL:  " + issuer);
    out.println("Discovery:   " + issuer + "/.well-known/openid-configuration");
    if (caFile != null) out.println("CA file:     " + caFile);
    out.println();
    out.println("kube-apiserver flags:");
    // The tenant's own username setting, which may have changed since the first start.
    String usernameClaim = storage.transactionBlocking(s -> s.tenants().find(tenant))
        .map(t -> ApiServerFlags.usernameClaim(t.settings())).orElse(ApiServerFlags.PREFERRED_USERNAME);
    ApiServerFlags.oidc(issuer, config.bootstrap().clientId(), caFile, usernameClaim).forEach(f -> out.println("  " + f));
    out.flush();
  }

  /** Advertises exactly what this build serves (issue: "only endpoints that exist are advertised"). */
  private static DiscoveryMetadata discoveryMetadata(TokenHandler token) {
    return DiscoveryMetadata.builder()
        .authorizationEndpoint("/authorize")
        .endSessionEndpoint("/logout")
        .responseTypes(List.of("code"))
        .responseModes(List.of("query"))
        .codeChallengeMethods(List.of("S256"))
        .promptValues(List.of("none", "login", "consent"))
        .authorizationResponseIssParameterSupported(true)
        .tokenEndpoint("/token")
        .deviceAuthorizationEndpoint(DeviceAuthorizationEndpoint.PATH)
        .userinfoEndpoint("/userinfo")
        // Introspection needs a confidential client. Revocation takes public clients too: whoever holds a
        // Kubernetes token may end it (Lanyard's choice, not RFC 7009's; see RevocationHandler).
        .introspectionEndpoint("/introspect")
        .revocationEndpoint("/revoke")
        .introspectionEndpointAuthMethods(List.of("client_secret_basic", "client_secret_post"))
        .revocationEndpointAuthMethods(List.of("client_secret_basic", "client_secret_post", "none"))
        .grantTypes(List.copyOf(token.grantTypes()))
        .scopes(Scopes.SUPPORTED)
        .claims(List.of("iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "at_hash", "email",
            "email_verified", "preferred_username", "name", "groups"))
        .tokenEndpointAuthMethods(List.of("client_secret_basic", "client_secret_post", "none"))
        .build();
  }

  /**
   * OpenSSL when its native library loads here (Linux x86_64 and aarch64 ship it), else the JDK's TLS.
   * {@code -Dlanyard.tls.openssl=false} forces the JDK's.
   */
  private static boolean useOpenSsl() {
    try {
      return !"false".equals(System.getProperty("lanyard.tls.openssl")) && OpenSSLEngineOptions.isAvailable()
          && OpenSSLEngineOptions.isAlpnAvailable();
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** What the HTTPS listeners serve, and the generated CA's certificate (null for a configured certificate). */
  private record ServingTls(KeyCertOptions keyCert, ServingKeyManager keyManager, Path caFile) {}

  /**
   * The configured certificate, or the local CA's (made when missing). Held in a {@link ServingKeyManager}
   * when its key is PKCS#8, which spares Vert.x's PKCS#12 round trip; else Vert.x reads the PEM files.
   */
  private static ServingTls servingTls(LanyardConfig config, Path dataDir, Clock clock) {
    Path cert;
    Path key;
    Path caFile = null;
    if (!config.tls().certFile().isEmpty()) {
      cert = Path.of(config.tls().certFile());
      key = Path.of(config.tls().keyFile());
    } else {
      TlsFiles files = LocalCertificateAuthority.ensure(dataDir.resolve("tls"), certificateNames(config), clock);
      cert = files.serverCert();
      key = files.serverKey();
      caFile = files.caCert();
    }
    ServingKeyManager keyManager = ServingKeyManager.read(cert, key).orElse(null);
    KeyCertOptions keyCert = keyManager != null ? KeyCertOptions.wrap(keyManager)
        : new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
    return new ServingTls(keyCert, keyManager, caFile);
  }

  private static StorageConfig storageConfig(LanyardConfig config) {
    LanyardConfig.Database db = config.database();
    if (db.url().isEmpty()) return StorageConfig.h2File(config.dataPath());
    return new StorageConfig(db.url(), db.username(), db.password(), db.maxPoolSize());
  }

  /** The configured host names plus the public URL's host, so the generated certificate covers what clients dial. */
  private static List<String> certificateNames(LanyardConfig config) {
    List<String> names = new ArrayList<>(config.server().hostNames());
    String host = URI.create(config.publicUrl()).getHost();
    if (host != null && !names.contains(host)) names.add(host);
    return names;
  }

  /**
   * A free port for {@code --port 0}. Picked before listening because the issuer URL, which names the port,
   * goes into discovery and tokens; the tiny window before we bind is acceptable for tests and tools.
   */
  private static int freePort(String host) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port: " + e.getMessage(), e);
    }
  }

  /** Creates the data directory (owner-only) if needed. Also used by offline commands. */
  public static Path createDataDir(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
