package dev.lanyard.idp.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.idp.crypto.Argon2Params;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.jdbc.JdbcStorage;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.User;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rehash after a login with changed argon2 parameters, on a real H2 file with real argon2id. */
class PasswordRehashTest {
  private static final String PASSWORD = "correct horse battery";

  @TempDir
  Path dataDir;
  Vertx vertx;
  Storage storage;
  PasswordHasher weak;
  PasswordHasher current;
  User alice;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    storage = JdbcStorage.open(vertx, StorageConfig.h2File(dataDir));
    weak = new PasswordHasher(vertx, new Argon2Params(1024, 1, 1), 1, 4);
    current = new PasswordHasher(vertx, new Argon2Params(1024, 2, 1), 1, 4);
    String oldHash = weak.hash(PASSWORD.toCharArray()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    alice = new User("t1", "u1", "alice", null, false, null, true, oldHash, t0, t0);
    storage.transactionBlocking(s -> {
      s.tenants().create(new Tenant("t1", "T1", t0));
      s.users().create(alice);
      return null;
    });
  }

  @AfterEach
  void close() {
    storage.close();
    vertx.close();
  }

  @Test
  void storesAHashWithTheCurrentParameters() throws Exception {
    assertThat(rehash(alice)).isTrue();
    User stored = find();
    assertThat(current.needsRehash(stored.passwordHash())).isFalse();
    assertThat(current.verify(stored.passwordHash(), PASSWORD.toCharArray())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(rehash(stored)).isFalse(); // nothing left to do
  }

  @Test
  void neverUndoesAChangeMadeWhileHashing() throws Exception {
    // Between reading alice (the login's read) and storing the new hash, an administrator set a new password
    // and disabled the account. Writing the login's copy of the row back would restore both.
    storage.transactionBlocking(s -> {
      s.users().update(new User("t1", "u1", "alice", null, false, null, false, "$argon2id$set-by-admin",
          alice.createdAt(), Instant.now()));
      return null;
    });
    assertThat(rehash(alice)).isFalse();
    User stored = find();
    assertThat(stored.passwordHash()).isEqualTo("$argon2id$set-by-admin");
    assertThat(stored.enabled()).isFalse();
  }

  private boolean rehash(User verified) throws Exception {
    return new PasswordRehash(storage, current, Clock.systemUTC()).ifNeeded(verified, PASSWORD)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private User find() {
    return storage.transactionBlocking(s -> s.users().find("t1", "u1")).orElseThrow();
  }
}
