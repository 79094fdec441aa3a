// Seeds a stopped Lanyard's data directory for bench/tokenreview.sh (not part of the product; run as a
// single-file program against the shaded jar, no Maven needed):
//
//   java -cp idp/target/lanyard.jar bench/TokenReviewSeed.java DATA_DIR OUT_DIR [TOKENS] [VALID] [USERS]
//
// In tenant "default" (made by a first start, users by `lanyard import`): registers cluster "bench" through
// ClusterService (its webhook credential goes to OUT_DIR/cluster-credential), then inserts TOKENS
// Kubernetes tokens (default 1,000,000) for users bench000.. in batches of 10,000 per transaction, straight
// through the TokenRepository (hash = OpaqueTokenFormat.hash(secret)), like TokenService.mint but without
// an audit line per token. VALID (default 1,000) of them, spread over the whole set, are written to
// OUT_DIR/tokens, one secret a line, for wrk to rotate over. Holds the data directory lock like `serve`.
// Ends with H2's SHUTDOWN COMPACT (1.7 GB -> 0.25 GB for 1,000,000 tokens), so the server measured later
// does not spend the first minutes compacting the file in the background.

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.k8s.ClusterService;
import dev.lanyard.idp.server.DataDirLock;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.jdbc.JdbcStorage;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

public class TokenReviewSeed {
  private static final int BATCH = 10_000;

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int total = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    int valid = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
    int users = args.length > 4 ? Integer.parseInt(args[4]) : 50;
    Files.createDirectories(out);
    long started = System.nanoTime();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try (DataDirLock lock = DataDirLock.acquire(data);
        JdbcStorage storage = JdbcStorage.open(vertx, StorageConfig.h2File(data))) {
      List<String> userIds = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        String name = String.format("bench%03d", u);
        userIds.add(storage.transactionBlocking(s -> s.users().findByUsername("default", name))
            .orElseThrow(() -> new IllegalStateException("user " + name + " missing: import the users first")).id());
      }
      Clock clock = Clock.systemUTC();
      ClusterService.Registered cluster = new ClusterService(storage, new AuditLog(clock), clock)
          .register("default", "bench", "bench/tokenreview.sh", "bench", null).toCompletionStage()
          .toCompletableFuture().get();
      Files.writeString(out.resolve("cluster-credential"), cluster.credential() + "\n");

      Instant now = clock.instant();
      Instant expires = now.plus(Duration.ofDays(365));
      int every = Math.max(1, total / Math.max(1, valid));
      List<String> secrets = new ArrayList<>(valid);
      for (int from = 0; from < total; from += BATCH) {
        int start = from;
        int end = Math.min(total, from + BATCH);
        storage.transactionBlocking(s -> {
          for (int i = start; i < end; i++) {
            String secret = OpaqueTokenFormat.KUBERNETES.generate();
            s.tokens().create(new OpaqueToken("default", UUID.randomUUID().toString(), OpaqueTokenFormat.hash(secret),
                TokenKind.KUBERNETES, PrincipalType.USER, userIds.get(i % userIds.size()), null, List.of(), now,
                expires, null, null, "bench"));
            if (i % every == 0 && secrets.size() < valid) secrets.add(secret);
          }
          return null;
        });
        if (end % 100_000 == 0) System.err.printf("seed: %,d tokens (%.0f s)%n", end, (System.nanoTime() - started) / 1e9);
      }
      Files.write(out.resolve("tokens"), secrets);
      System.err.printf("seed: %,d tokens, %,d valid secrets written, in %.0f s%n", total, secrets.size(),
          (System.nanoTime() - started) / 1e9);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    StorageConfig h2 = StorageConfig.h2File(data);
    try (Connection c = DriverManager.getConnection(h2.jdbcUrl(), h2.username(), h2.password());
        Statement st = c.createStatement()) {
      st.execute("SHUTDOWN COMPACT");
    }
    System.err.printf("seed: compacted, done in %.0f s%n", (System.nanoTime() - started) / 1e9);
  }
}
