package dev.lanyard.idp.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Lanyard's whole configuration, immutable. Defaults live in the compact constructors, so a key left out
 * of {@code lanyard.yaml} gets the same value everywhere. {@code conf/lanyard.yaml} documents every key.
 */
public record LanyardConfig(
    String dataDir, Server server, Tls tls, Database database, Tokens tokens, Keys keys, Passwords passwords,
    Bootstrap bootstrap, Login login, Device device, Audit audit) {

  public LanyardConfig {
    dataDir = orDefault(dataDir, "./data");
    server = server != null ? server : new Server(null, null, null, null, null, null);
    tls = tls != null ? tls : new Tls(null, null, null, null);
    database = database != null ? database : new Database(null, null, null, null);
    tokens = tokens != null ? tokens : new Tokens(null, null, null, null, null, null);
    keys = keys != null ? keys : new Keys(null, null, null);
    passwords = passwords != null ? passwords : new Passwords(null, null, null, null, null);
    bootstrap = bootstrap != null ? bootstrap : new Bootstrap(null, null, null, null);
    login = login != null ? login : new Login(null, null, null, null, null, null, null, null, null);
    device = device != null ? device : new Device(null, null);
    audit = audit != null ? audit : new Audit(null);
  }

  /** The configuration with nothing set: every default. */
  public static LanyardConfig defaults() {
    return new LanyardConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  public Path dataPath() {
    return Path.of(dataDir).toAbsolutePath().normalize();
  }

  /** Issuer base: {@code server.publicUrl}, or {@code https://localhost:{port}} when unset; never a trailing slash. */
  public String publicUrl() {
    return publicUrl(server.port());
  }

  /** As {@link #publicUrl()}, for a server listening on {@code actualPort} (when port 0 picked a free one). */
  public String publicUrl(int actualPort) {
    String url = server.publicUrl().isEmpty()
        ? (tls.enabled() ? "https" : "http") + "://localhost:" + actualPort
        : server.publicUrl();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The HTTP listener. */
  public record Server(Integer port, String host, String publicUrl, List<String> hostNames, Integer bodyLimitBytes,
      Integer eventLoops) {
    public Server {
      port = orDefault(port, 8443);
      host = orDefault(host, "0.0.0.0");
      publicUrl = orDefault(publicUrl, "");
      hostNames = hostNames != null ? List.copyOf(hostNames) : List.of();
      bodyLimitBytes = orDefault(bodyLimitBytes, 65_536);
      eventLoops = orDefault(eventLoops, 0);
    }
  }

  /** HTTPS. Without certFile/keyFile, a local CA and serving certificate are generated in {dataDir}/tls. */
  /**
   * @param caFile the CA bundle (PEM) that signed {@code certFile}, which onboarding outputs hand to the API
   *     server; empty when a public CA signed it (or Lanyard generates its certificate, with its own CA)
   */
  public record Tls(Boolean enabled, String certFile, String keyFile, String caFile) {
    public Tls {
      enabled = orDefault(enabled, true);
      certFile = orDefault(certFile, "");
      keyFile = orDefault(keyFile, "");
      caFile = orDefault(caFile, "");
    }
  }

  /** Empty url: the embedded H2 file {dataDir}/lanyard.mv.db. A jdbc:postgresql: URL selects PostgreSQL. */
  public record Database(String url, String username, String password, Integer maxPoolSize) {
    public Database {
      url = orDefault(url, "");
      username = orDefault(username, "");
      password = orDefault(password, "");
      maxPoolSize = orDefault(maxPoolSize, 8);
    }

    @Override
    public String toString() {
      return "Database[url=" + url + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
          + ", maxPoolSize=" + maxPoolSize + "]";
    }
  }

  /** Token lifetimes; tenants may override the ID, access and refresh token ones in their settings. */
  public record Tokens(Duration idTokenLifetime, Duration opaqueDefaultTtl, Duration opaqueMaxTtl,
      Duration accessTokenLifetime, Duration refreshIdleLifetime, Duration refreshAbsoluteLifetime) {
    public Tokens {
      idTokenLifetime = orDefault(idTokenLifetime, Duration.ofMinutes(10));
      opaqueDefaultTtl = orDefault(opaqueDefaultTtl, Duration.ofDays(30));
      opaqueMaxTtl = orDefault(opaqueMaxTtl, Duration.ofDays(365));
      accessTokenLifetime = orDefault(accessTokenLifetime, Duration.ofMinutes(10));
      refreshIdleLifetime = orDefault(refreshIdleLifetime, Duration.ofDays(30));
      refreshAbsoluteLifetime = orDefault(refreshAbsoluteLifetime, Duration.ofDays(90));
    }
  }

  /** Signing keys and how long clients may cache discovery and JWKS. */
  public record Keys(Integer rsaBits, Duration jwksMaxAge, Duration discoveryMaxAge) {
    public Keys {
      rsaBits = orDefault(rsaBits, 2048);
      jwksMaxAge = orDefault(jwksMaxAge, Duration.ofMinutes(5));
      discoveryMaxAge = orDefault(discoveryMaxAge, Duration.ofHours(1));
    }
  }

  /** argon2id parameters and how many hashes may run or wait at once (memory = maxConcurrent x memoryKiB). */
  public record Passwords(Integer memoryKib, Integer iterations, Integer parallelism, Integer maxConcurrent,
      Integer maxQueued) {
    public Passwords {
      // OWASP's 7 MiB / 5 passes: as strong as its 19 MiB / 2 passes, and ~40 % more hashes per second on
      // 2 cores (less memory traffic; bench/RESULTS.md), which is what a login storm waits for.
      memoryKib = orDefault(memoryKib, dev.lanyard.idp.crypto.Argon2Params.OWASP.memoryKiB());
      iterations = orDefault(iterations, dev.lanyard.idp.crypto.Argon2Params.OWASP.iterations());
      parallelism = orDefault(parallelism, 1);
      maxConcurrent = orDefault(maxConcurrent, 2);
      maxQueued = orDefault(maxQueued, 256);
    }
  }

  /** What the first start of an empty database creates. */
  public record Bootstrap(String tenant, String adminUsername, String clientId, List<String> redirectUris) {
    public Bootstrap {
      tenant = orDefault(tenant, "default");
      adminUsername = orDefault(adminUsername, "admin");
      clientId = orDefault(clientId, "kubernetes");
      redirectUris = redirectUris != null ? List.copyOf(redirectUris)
          : List.of("http://localhost:8000", "http://localhost:18000");
    }
  }

  /**
   * The browser login: session lifetimes, the login form, and the throttle on failed logins (per account and per
   * source address, shared by every replica through the database).
   *
   * @param sessionLifetime a login session ends this long after the password was typed, whatever the activity
   * @param sessionIdleTimeout ... or this long after a page last used it
   * @param formLifetime how long a login (or consent) form may be submitted after it was shown
   * @param freeFailures failed logins of one account without any wait
   * @param maxDelay longest wait between failed logins; the wait doubles from 1 s after freeFailures
   * @param lockoutThreshold failed logins of one account within failureWindow that lock it for lockoutDuration
   * @param addressLockoutThreshold failed logins from one source address within failureWindow that lock it out
   * @param failureWindow failures older than this (counted from the latest) are forgotten
   * @param lockoutDuration how long a locked account or address is refused
   */
  public record Login(Duration sessionLifetime, Duration sessionIdleTimeout, Duration formLifetime,
      Integer freeFailures, Duration maxDelay, Integer lockoutThreshold, Integer addressLockoutThreshold,
      Duration failureWindow, Duration lockoutDuration) {
    public Login {
      sessionLifetime = orDefault(sessionLifetime, Duration.ofHours(10));
      sessionIdleTimeout = orDefault(sessionIdleTimeout, Duration.ofMinutes(30));
      formLifetime = orDefault(formLifetime, Duration.ofHours(1));
      freeFailures = orDefault(freeFailures, 3);
      maxDelay = orDefault(maxDelay, Duration.ofSeconds(30));
      lockoutThreshold = orDefault(lockoutThreshold, 10);
      addressLockoutThreshold = orDefault(addressLockoutThreshold, 100);
      failureWindow = orDefault(failureWindow, Duration.ofMinutes(15));
      lockoutDuration = orDefault(lockoutDuration, Duration.ofMinutes(15));
    }
  }

  /** The device authorization grant (RFC 8628): how long a code lives and how often the device may poll. */
  public record Device(Duration codeLifetime, Duration pollInterval) {
    public Device {
      codeLifetime = orDefault(codeLifetime, Duration.ofMinutes(10));
      pollInterval = orDefault(pollInterval, Duration.ofSeconds(5));
    }
  }

  /** The stored audit trail: how long an event is kept before housekeeping deletes it. */
  public record Audit(Duration retention) {
    public Audit {
      retention = orDefault(retention, Duration.ofDays(90));
    }
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
