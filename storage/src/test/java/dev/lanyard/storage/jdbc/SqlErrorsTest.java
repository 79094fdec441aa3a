package dev.lanyard.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanyard.storage.AlreadyExistsException;
import dev.lanyard.storage.InvalidInputException;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.StorageConfig;
import dev.lanyard.storage.StorageException;
import dev.lanyard.storage.StorageUnavailableException;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SqlErrorsTest {
  @Test
  void mapsBySqlState() {
    assertThat(SqlErrors.map(new SQLException("whatever text", "23505"), "x")).isExactlyInstanceOf(AlreadyExistsException.class);
    assertThat(SqlErrors.map(new SQLException("whatever text", "23503"), "x")).isExactlyInstanceOf(NotFoundException.class);
    assertThat(SqlErrors.map(new SQLException("whatever text", "23506"), "x")).isExactlyInstanceOf(NotFoundException.class);
    assertThat(SqlErrors.map(new SQLException("duplicate key", "08006"), "x")).isExactlyInstanceOf(StorageUnavailableException.class);
    assertThat(SqlErrors.map(new SQLException("x", "57P01"), "x")).isExactlyInstanceOf(StorageUnavailableException.class);
    assertThat(SqlErrors.map(new SQLTransientConnectionException("pool timeout"), "x"))
        .isExactlyInstanceOf(StorageUnavailableException.class);
    assertThat(SqlErrors.map(new SQLException("unique constraint", "42P01"), "x")).isExactlyInstanceOf(StorageException.class);
    // data exceptions: PostgreSQL's NUL in text, pgjdbc's "Zero bytes may not occur", a value too long
    assertThat(SqlErrors.map(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"), "x"))
        .isExactlyInstanceOf(InvalidInputException.class);
    assertThat(SqlErrors.map(new SQLException("Zero bytes may not occur in string parameters.", "22023"), "x"))
        .isExactlyInstanceOf(InvalidInputException.class);
    assertThat(SqlErrors.map(new SQLException("value too long", "22001"), "x")).isExactlyInstanceOf(InvalidInputException.class);
    assertThat(SqlErrors.map(new SQLException("no state"), "x")).isExactlyInstanceOf(StorageException.class);
    SQLException cause = new SQLException("dup", "23505");
    assertThat(SqlErrors.map(cause, "x")).hasCause(cause);
  }

  @Test
  void anUnreachableDatabaseIsUnavailable(Vertx vertx) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    StorageConfig config = new StorageConfig("jdbc:postgresql://127.0.0.1:" + port + "/lanyard", "x", "y", 2);
    assertThatThrownBy(() -> JdbcStorage.open(vertx, config)).isInstanceOf(StorageUnavailableException.class);
  }
}
