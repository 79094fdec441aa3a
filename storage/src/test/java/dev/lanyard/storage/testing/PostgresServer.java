package dev.lanyard.storage.testing;

import dev.lanyard.storage.StorageConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for tests, shared by every test of the JVM; each test gets its own fresh database.
 *
 * <p>With {@code LANYARD_TEST_POSTGRES_URL} (a JDBC URL of a database the user may {@code CREATE DATABASE}
 * from, plus {@code LANYARD_TEST_POSTGRES_USER} and {@code LANYARD_TEST_POSTGRES_PASSWORD}) that server is
 * used. Otherwise a throw-away server is started once per JVM from the local PostgreSQL binaries
 * ({@code initdb}/{@code pg_ctl} on the PATH or in {@code /usr/lib/postgresql/<version>/bin}) on a free
 * loopback port with trust authentication, and stopped by a shutdown hook. initdb and pg_ctl refuse to run
 * as root, so as root they run as the {@code postgres} user through {@code runuser}.
 *
 * <p>No PostgreSQL at all is an error, not a reason to skip: install it (Debian: {@code apt-get install
 * postgresql}) or point {@code LANYARD_TEST_POSTGRES_URL} at one.
 */
public final class PostgresServer {
  public static final String URL_ENV = "LANYARD_TEST_POSTGRES_URL";
  public static final String USER_ENV = "LANYARD_TEST_POSTGRES_USER";
  public static final String PASSWORD_ENV = "LANYARD_TEST_POSTGRES_PASSWORD";

  private static PostgresServer instance;
  private static RuntimeException startFailure;

  /** URL of the maintenance database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}. */
  private final String adminUrl;
  private final String user;
  private final String password;

  private PostgresServer(String adminUrl, String user, String password) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
  }

  /** The JVM's server, started on first use. Throws with advice when there is no PostgreSQL. */
  public static synchronized PostgresServer get() {
    if (instance == null) {
      if (startFailure != null) {
        throw new IllegalStateException(startFailure.getMessage(), startFailure);
      }
      try {
        String url = System.getenv(URL_ENV);
        instance = url != null && !url.isBlank()
            ? new PostgresServer(url, envOr(USER_ENV, "postgres"), envOr(PASSWORD_ENV, ""))
            : startLocal();
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
    }
    return instance;
  }

  /** A new empty database on the server; {@link Database#close()} drops it. */
  public Database createDatabase() {
    String name = "lanyard_test_" + UUID.randomUUID().toString().replace("-", "");
    admin("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
    return new Database(name, withDatabase(adminUrl, name));
  }

  public String adminUrl() {
    return adminUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** One test database. */
  public final class Database implements AutoCloseable {
    private final String name;
    private final String url;

    private Database(String name, String url) {
      this.name = name;
      this.url = url;
    }

    public String name() {
      return name;
    }

    public String jdbcUrl() {
      return url;
    }

    /** Storage configuration for this database. */
    public StorageConfig config(int maxPoolSize) {
      return new StorageConfig(url, user, password, maxPoolSize);
    }

    public StorageConfig config() {
      return config(StorageConfig.DEFAULT_POOL_SIZE);
    }

    /** Drops the database, disconnecting whoever still uses it. */
    @Override
    public void close() {
      admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private void admin(String sql) {
    try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + adminUrl + ": " + sql + " failed: " + e.getMessage(), e);
    }
  }

  /** Replaces the database name in a JDBC URL, keeping host, port and parameters. */
  static String withDatabase(String jdbcUrl, String database) {
    int hostStart = jdbcUrl.indexOf("//");
    int query = jdbcUrl.indexOf('?');
    int end = query < 0 ? jdbcUrl.length() : query;
    int slash = jdbcUrl.indexOf('/', hostStart < 0 ? 0 : hostStart + 2);
    if (slash < 0 || slash > end) {
      return jdbcUrl.substring(0, end) + "/" + database + jdbcUrl.substring(end);
    }
    return jdbcUrl.substring(0, slash + 1) + database + jdbcUrl.substring(end);
  }

  // ---- the throw-away server

  private static PostgresServer startLocal() {
    Path bin = findBinaries().orElseThrow(() -> new IllegalStateException(
        "The PostgreSQL tests need a real PostgreSQL, and none was found: neither initdb/pg_ctl on the PATH nor"
            + " /usr/lib/postgresql/*/bin. Install PostgreSQL (Debian/Ubuntu: apt-get install postgresql) or set "
            + URL_ENV + " (+ " + USER_ENV + ", " + PASSWORD_ENV + ") to a server the tests may create databases on."));
    boolean root = isRoot();
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "lanyard-pg-");
      Path data = dir.resolve("data");
      Path log = dir.resolve("postgres.log");
      if (root) {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
      }
      int port = freePort();
      run(root, dir, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
          "-E", "UTF8", "--locale=C", "--no-sync"));
      String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
          + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
      run(root, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options, "-l", log.toString(),
          "-w", "-t", "60", "start"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopLocal(root, bin, dir, data), "postgres-test-stop"));
      return new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    } catch (IOException e) {
      throw new IllegalStateException("could not start a test PostgreSQL from " + bin + ": " + e.getMessage(), e);
    }
  }

  private static void stopLocal(boolean root, Path bin, Path dir, Path data) {
    try {
      run(root, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    } catch (RuntimeException | IOException e) {
      System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }

  /** Runs a PostgreSQL tool (as postgres when we are root); throws with its output when it fails. */
  private static void run(boolean root, Path dir, List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("lanyard-pg-cmd", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile());
      pb.environment().put("LC_ALL", "C");
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", full) + " did not finish within 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", full) + " failed (exit " + p.exitValue() + "):\n"
            + Files.readString(out, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + full, e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The directory holding initdb and pg_ctl: the PATH first, then the newest /usr/lib/postgresql/N/bin. */
  static Optional<Path> findBinaries() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(java.io.File.pathSeparator)) {
        Path dir = Path.of(entry.isEmpty() ? "." : entry);
        if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
          return Optional.of(dir.resolve("pg_ctl").toAbsolutePath().normalize().getParent());
        }
      }
    }
    Path lib = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(lib)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(lib)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(PostgresServer::majorVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name", "").toLowerCase(Locale.ROOT));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
