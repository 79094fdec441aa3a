package dev.lanyard.idp.config;

import dev.lanyard.idp.tokens.TokenLifetimes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a {@link LanyardConfig} from, in rising precedence: defaults, the YAML file, {@code LANYARD_*}
 * environment variables, then command-line options. Unknown keys are refused and every problem is reported
 * at once.
 *
 * <p>Each key has an environment name: {@code LANYARD_} and its path in upper snake case, e.g.
 * {@code server.publicUrl} is {@code LANYARD_SERVER_PUBLIC_URL}; lists are comma-separated. Short aliases
 * exist for the most used ones ({@link #ALIASES}).
 *
 * <p>The file is read by {@link YamlTree} and bound by {@link RecordBinder}, not Jackson databind, which
 * cost ~120 ms of every start.
 */
public final class ConfigLoader {
  /** Short environment names for the keys the command line also has. */
  static final Map<String, String> ALIASES = Map.of(
      "LANYARD_PORT", "server.port",
      "LANYARD_PUBLIC_URL", "server.publicUrl",
      "LANYARD_HOST_NAMES", "server.hostNames");

  private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file the YAML file, or null for defaults only
   * @param env the environment (System.getenv() in production)
   * @param overrides dotted key to value, from command-line options (highest precedence)
   * @throws ConfigException listing every problem
   */
  public static LanyardConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    YamlTree tree = file == null ? YamlTree.empty() : YamlTree.read(file);
    Map<String, String> settings = new LinkedHashMap<>(fromEnvironment(env));
    settings.putAll(overrides);
    settings.forEach(tree::set);
    LanyardConfig config = RecordBinder.bind(tree, LanyardConfig.class);
    List<String> problems = new ArrayList<>();
    validate(config, problems);
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return config;
  }

  /** Every configuration key (dotted path) with its default, as written in YAML. */
  public static Map<String, String> keysWithDefaults() {
    return RecordBinder.leaves(LanyardConfig.defaults());
  }

  /** The environment variable for a dotted key: {@code server.publicUrl} -> {@code LANYARD_SERVER_PUBLIC_URL}. */
  public static String environmentName(String path) {
    return "LANYARD_" + path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> settings = new LinkedHashMap<>();
    ALIASES.forEach((name, path) -> {
      if (env.containsKey(name)) settings.put(path, env.get(name));
    });
    for (String path : keysWithDefaults().keySet()) {
      String value = env.get(environmentName(path));
      if (value != null) settings.put(path, value);
    }
    return settings;
  }

  private static void validate(LanyardConfig c, List<String> problems) {
    LanyardConfig.Server s = c.server();
    if (s.port() < 0 || s.port() > 65_535) problems.add("server.port: must be 0..65535, not " + s.port());
    if (s.bodyLimitBytes() < 1_024) problems.add("server.bodyLimitBytes: must be at least 1024");
    if (s.eventLoops() < 0) problems.add("server.eventLoops: must be 0 (one per core) or more");
    if (!s.publicUrl().isEmpty()) publicUrl(s.publicUrl(), problems);
    if (c.tls().certFile().isEmpty() != c.tls().keyFile().isEmpty()) {
      problems.add("tls.certFile and tls.keyFile: give both or neither");
    }
    if (!c.tls().caFile().isEmpty() && c.tls().enabled() && c.tls().certFile().isEmpty()) {
      problems.add("tls.caFile: only with tls.certFile (or tls.enabled false behind a proxy); the generated"
          + " certificate's CA is {dataDir}/tls/ca.pem");
    }
    String dbUrl = c.database().url();
    if (!dbUrl.isEmpty() && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
      problems.add("database.url: only jdbc:postgresql: and jdbc:h2: URLs are supported");
    }
    if (c.database().maxPoolSize() < 1) problems.add("database.maxPoolSize: must be at least 1");
    LanyardConfig.Tokens t = c.tokens();
    lifetime("idTokenLifetime", t.idTokenLifetime(), problems);
    positive(t.opaqueDefaultTtl(), "tokens.opaqueDefaultTtl", problems);
    positive(t.opaqueMaxTtl(), "tokens.opaqueMaxTtl", problems);
    lifetime("accessTokenLifetime", t.accessTokenLifetime(), problems);
    lifetime("refreshIdleLifetime", t.refreshIdleLifetime(), problems);
    lifetime("refreshAbsoluteLifetime", t.refreshAbsoluteLifetime(), problems);
    if (c.tokens().opaqueDefaultTtl().compareTo(c.tokens().opaqueMaxTtl()) > 0) {
      problems.add("tokens.opaqueDefaultTtl: longer than tokens.opaqueMaxTtl");
    }
    if (c.keys().rsaBits() < 2048 || c.keys().rsaBits() > 8192) problems.add("keys.rsaBits: must be 2048..8192");
    positive(c.keys().jwksMaxAge(), "keys.jwksMaxAge", problems);
    positive(c.keys().discoveryMaxAge(), "keys.discoveryMaxAge", problems);
    LanyardConfig.Passwords p = c.passwords();
    if (p.memoryKib() < 8 * p.parallelism()) problems.add("passwords.memoryKib: must be at least 8 x parallelism");
    if (p.iterations() < 1) problems.add("passwords.iterations: must be at least 1");
    if (p.parallelism() < 1) problems.add("passwords.parallelism: must be at least 1");
    if (p.maxConcurrent() < 1) problems.add("passwords.maxConcurrent: must be at least 1");
    if (p.maxQueued() < 0) problems.add("passwords.maxQueued: must be 0 or more");
    LanyardConfig.Login l = c.login();
    positive(l.sessionLifetime(), "login.sessionLifetime", problems);
    positive(l.sessionIdleTimeout(), "login.sessionIdleTimeout", problems);
    positive(l.formLifetime(), "login.formLifetime", problems);
    positive(l.maxDelay(), "login.maxDelay", problems);
    positive(l.failureWindow(), "login.failureWindow", problems);
    positive(l.lockoutDuration(), "login.lockoutDuration", problems);
    if (l.freeFailures() < 0) problems.add("login.freeFailures: must be 0 or more");
    if (l.lockoutThreshold() <= l.freeFailures()) problems.add("login.lockoutThreshold: must exceed login.freeFailures");
    if (l.addressLockoutThreshold() < l.lockoutThreshold()) {
      problems.add("login.addressLockoutThreshold: must be at least login.lockoutThreshold");
    }
    LanyardConfig.Device d = c.device();
    if (d.codeLifetime().compareTo(Duration.ofMinutes(1)) < 0 || d.codeLifetime().compareTo(Duration.ofHours(1)) > 0) {
      problems.add("device.codeLifetime: must be 1m..1h (a user code is short: the longer it lives, the easier to guess)");
    }
    if (d.pollInterval().compareTo(Duration.ofSeconds(1)) < 0 || d.pollInterval().compareTo(Duration.ofMinutes(1)) > 0
        || d.pollInterval().toNanos() % 1_000_000_000L != 0) {
      problems.add("device.pollInterval: must be whole seconds, 1s..60s");
    }
    Duration retention = c.audit().retention();
    if (retention.compareTo(Duration.ofDays(1)) < 0 || retention.compareTo(Duration.ofDays(36_500)) > 0) {
      problems.add("audit.retention: must be 1d..36500d");
    }
    if (!TENANT_ID.matcher(c.bootstrap().tenant()).matches()) {
      problems.add("bootstrap.tenant: lower-case letters, digits and '-', at most 63");
    }
  }

  private static void positive(Duration d, String key, List<String> problems) {
    if (d.isZero() || d.isNegative()) problems.add(key + ": must be positive");
  }

  /**
   * {@link LanyardConfig#publicUrl()} drops one trailing slash and the discovery document strips the same, so
   * every issuer string (discovery, tokens' {@code iss}, onboarding files) is the same only for URLs that
   * both read alike: no whitespace, no second trailing slash, no user info, query or fragment.
   */
  private static void publicUrl(String url, List<String> problems) {
    if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
      problems.add("server.publicUrl: must not contain whitespace");
      return;
    }
    try {
      URI u = new URI(url);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null
          || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
        problems.add("server.publicUrl: must be an absolute https:// URL without user info, query or fragment");
      } else if (u.getRawPath() != null && u.getRawPath().endsWith("//")) {
        problems.add("server.publicUrl: at most one trailing slash");
      } else if ("http".equals(u.getScheme())) {
        // Allowed behind a TLS-terminating proxy only in the sense that the proxy rewrites nothing:
        // the kube-apiserver itself refuses a non-https issuer, so say so early.
        problems.add("server.publicUrl: the kube-apiserver requires an https:// issuer URL");
      }
    } catch (Exception e) {
      problems.add("server.publicUrl: not a URL: " + url);
    }
  }

  /** {@code tokens.NAME}: positive, and within the bound tenant settings have too. */
  private static void lifetime(String name, Duration d, List<String> problems) {
    positive(d, "tokens." + name, problems);
    TokenLifetimes.tooLong(name, d).ifPresent(m -> problems.add("tokens." + name + ": " + m));
  }
}
