package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.testing.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test (DESIGN.md: performance is measured, never asserted by unit tests): with 1,000,000
 * tokens stored, how long does {@code findByHash} through {@link Storage#transaction} take? The TokenReview
 * webhook does one on every cache miss. Run it with
 * {@code mvn -o -pl storage test -Dtest=TokenLookupBench -Dlanyard.bench=true [-Dlanyard.bench.tokens=N]};
 * the numbers go to {@code target/surefire-reports/*TokenLookupBench-output.txt}.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "lanyard.bench", matches = "true")
@ExtendWith(VertxExtension.class)
class TokenLookupBench {
  private static final int TOKENS = Integer.getInteger("lanyard.bench.tokens", 1_000_000);
  private static final int LOOKUPS = 10_000;

  @Test
  void h2(Vertx vertx, @TempDir Path dir) throws Exception {
    StorageConfig config = StorageConfig.h2File(dir);
    try (JdbcStorage storage = JdbcStorage.open(vertx, config)) {
      run("H2", storage, () -> DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password()));
    }
  }

  @Test
  void postgres(Vertx vertx) throws Exception {
    try (PostgresServer.Database db = PostgresServer.get().createDatabase();
        JdbcStorage storage = JdbcStorage.open(vertx, db.config())) {
      StorageConfig config = db.config();
      run("PostgreSQL", storage, () -> DriverManager.getConnection(config.jdbcUrl() + "?reWriteBatchedInserts=true",
          config.username(), config.password()));
    }
  }

  interface Connector {
    Connection connect() throws Exception;
  }

  private static void run(String name, Storage storage, Connector connector) throws Exception {
    long start = System.nanoTime();
    try (Connection c = connector.connect()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO tenants (id, display_name, created_at) VALUES ('bench', 'Bench', CURRENT_TIMESTAMP)");
      }
      OffsetDateTime created = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tokens (tenant_id, id, token_hash, kind,"
          + " principal_type, principal_id, clusters, created_at, expires_at) VALUES ('bench', ?, ?, 'KUBERNETES', 'USER',"
          + " ?, '[]', ?, ?)")) {
        for (int i = 0; i < TOKENS; i++) {
          ps.setString(1, String.format("t%07d", i));
          ps.setBytes(2, hash(i));
          ps.setString(3, "u" + (i % 1000));
          ps.setObject(4, created.plusSeconds(i));
          ps.setObject(5, created.plusYears(5));
          ps.addBatch();
          if (i % 5_000 == 4_999) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
      try (Statement s = c.createStatement()) {
        if (name.equals("PostgreSQL")) {
          s.execute("ANALYZE tokens");
        }
        try (ResultSet rs = s.executeQuery("EXPLAIN SELECT * FROM tokens WHERE token_hash = X'00'".replace("X'00'",
            name.equals("PostgreSQL") ? "'\\x00'::bytea" : "X'00'"))) {
          System.out.println(name + " plan:");
          while (rs.next()) {
            System.out.println("  " + rs.getString(1));
          }
        }
        c.commit();
      }
    }
    System.out.printf("%s: inserted %,d tokens in %.1f s%n", name, TOKENS, (System.nanoTime() - start) / 1e9);

    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 2_000; i++) { // warm-up
      lookup(storage, hash(random.nextInt(TOKENS)));
    }
    long[] nanos = new long[LOOKUPS];
    int misses = 0;
    for (int i = 0; i < LOOKUPS; i++) {
      byte[] h = i % 10 == 9 ? hash(TOKENS + i) : hash(random.nextInt(TOKENS)); // one in ten is unknown
      long t = System.nanoTime();
      boolean found = lookup(storage, h);
      nanos[i] = System.nanoTime() - t;
      misses += found ? 0 : 1;
    }
    Arrays.sort(nanos);
    System.out.printf("%s: %,d sequential findByHash via transaction(): median %.3f ms, p90 %.3f ms, p99 %.3f ms,"
        + " max %.3f ms (%d unknown hashes)%n", name, LOOKUPS, nanos[LOOKUPS / 2] / 1e6, nanos[LOOKUPS * 9 / 10] / 1e6,
        nanos[LOOKUPS * 99 / 100] / 1e6, nanos[LOOKUPS - 1] / 1e6, misses);

    // throughput with 16 lookups in flight
    int total = 40_000;
    long t0 = System.nanoTime();
    List<Future<Boolean>> window = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      byte[] h = hash(random.nextInt(TOKENS));
      window.add(storage.transaction((StoreSession x) -> x.tokens().findByHash(h).isPresent()));
      if (window.size() == 16) {
        Future.all(window).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        window.clear();
      }
    }
    Future.all(window).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%s: %,d findByHash with 16 in flight: %,.0f lookups/s%n", name, total, total / seconds);
  }

  private static boolean lookup(Storage storage, byte[] hash) throws Exception {
    return storage.transaction((StoreSession x) -> x.tokens().findByHash(hash).isPresent())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static byte[] hash(int i) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(("lanyard_bench_" + i).getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
