package dev.lanyard.idp.cli;

import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.crypto.Argon2Params;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.keys.MasterKey;
import dev.lanyard.idp.keys.SigningKeyFactory;
import dev.lanyard.idp.server.DataDirLock;
import dev.lanyard.idp.server.LanyardServer;
import dev.lanyard.idp.tenants.TenantProvisioner;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.jdbc.JdbcStorage;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;

/**
 * Storage, hashing and keys without the HTTP server, for commands that work on a stopped Lanyard's data
 * directory (import, export). Holds the data directory lock like {@code serve} does.
 */
final class OfflineLanyard implements AutoCloseable {
  private static final String HIKARI_LOG_LEVEL = "org.slf4j.simpleLogger.log.com.zaxxer.hikari";
  final Vertx vertx;
  final Storage storage;
  final PasswordHasher hasher;
  final TenantProvisioner provisioner;
  private final DataDirLock lock;

  OfflineLanyard(LanyardConfig config) {
    // The pool's start and stop lines are noise in a command's output (the server keeps them). Read by slf4j-simple
    // when Hikari's logger is made, which is after this.
    if (System.getProperty(HIKARI_LOG_LEVEL) == null) System.setProperty(HIKARI_LOG_LEVEL, "warn");
    lock = DataDirLock.acquire(LanyardServer.createDataDir(config.dataPath()));
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      LanyardConfig.Database db = config.database();
      storage = JdbcStorage.open(vertx, db.url().isEmpty() ? StorageConfig.h2File(config.dataPath())
          : new StorageConfig(db.url(), db.username(), db.password(), 2));
      LanyardConfig.Passwords pw = config.passwords();
      hasher = new PasswordHasher(vertx, new Argon2Params(pw.memoryKib(), pw.iterations(), pw.parallelism()),
          pw.maxConcurrent(), Math.max(pw.maxQueued(), 1));
      provisioner = new TenantProvisioner(new SigningKeyFactory(MasterKey.load(config.dataPath(), System.getenv())),
          config.keys().rsaBits(), Clock.systemUTC());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      if (hasher != null) hasher.close().await();
      if (storage != null) storage.close();
      vertx.close().await();
    } finally {
      lock.close();
    }
  }
}
