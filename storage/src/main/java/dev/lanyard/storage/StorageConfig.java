package dev.lanyard.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database is and how many connections to keep.
 *
 * @param jdbcUrl {@code jdbc:h2:file:...} (embedded, the default) or {@code jdbc:postgresql://...}
 * @param username database user; may be empty for H2
 * @param password database password; may be empty
 * @param maxPoolSize connections in the pool, which is also the number of worker threads running transactions
 *     (on PostgreSQL the change feed holds one more connection, outside the pool)
 */
public record StorageConfig(String jdbcUrl, String username, String password, int maxPoolSize) {
  /** Default pool size: enough for a 2-core machine where H2 does its work on the calling thread. */
  public static final int DEFAULT_POOL_SIZE = 8;

  public StorageConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, not " + maxPoolSize);
    }
  }

  /**
   * The embedded H2 database in the file {@code {dataDir}/lanyard.mv.db}.
   *
   * <p>H2's default {@code FILE_LOCK=FILE} stays on, so a second process opening the same file fails
   * instead of corrupting it. {@code DB_CLOSE_ON_EXIT=FALSE} leaves closing to {@link Storage#close()}
   * rather than H2's own shutdown hook, which could close the database under running transactions.
   * {@code QUERY_CACHE_SIZE=64}: H2 keeps 8 parsed statements per connection by default, fewer than one token
   * request runs, so every statement would be parsed and planned again each time.
   */
  public static StorageConfig h2File(Path dataDir) {
    Path file = dataDir.toAbsolutePath().normalize().resolve("lanyard");
    return new StorageConfig("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64", "sa", "",
        DEFAULT_POOL_SIZE);
  }

  /** A copy with another pool size. */
  public StorageConfig withMaxPoolSize(int size) {
    return new StorageConfig(jdbcUrl, username, password, size);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "StorageConfig[" + jdbcUrl + ", user " + username + ", pool " + maxPoolSize + "]";
  }
}
