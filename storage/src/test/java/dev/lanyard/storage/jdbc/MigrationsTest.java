package dev.lanyard.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanyard.storage.StorageConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class MigrationsTest {
  private static final Pattern SCRIPT = Pattern.compile("V(\\d+(?:_\\d+)*)__.+\\.sql");

  /** The fast path trusts Migrations.VERSIONS, so it must name exactly the scripts there are. */
  @Test
  void knownVersionsAreExactlyTheScripts() throws Exception {
    URL dir = MigrationsTest.class.getClassLoader().getResource(Migrations.LOCATION);
    assertThat(dir).isNotNull();
    List<String> versions;
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      versions = files.map(p -> SCRIPT.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> m.group(1).replace('_', '.'))
          .sorted(Comparator.comparing(v -> new java.math.BigDecimal(v.replaceFirst("\\.", "#").replace(".", "").replace('#', '.'))))
          .toList();
    }
    assertThat(versions).isEqualTo(Migrations.VERSIONS);
  }

  @Test
  void anEmptyDatabaseIsNotCurrentAndAMigratedOneIs(Vertx vertx, @TempDir Path dir) {
    StorageConfig config = StorageConfig.h2File(dir);
    try (JdbcStorage first = JdbcStorage.open(vertx, config)) {
      assertThat(first.databaseName()).startsWith("H2");
    }
    com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource();
    ds.setJdbcUrl(config.jdbcUrl());
    ds.setUsername(config.username());
    ds.setAutoCommit(false);
    try (ds) {
      assertThat(Migrations.isCurrent(ds)).isTrue();
      assertThat(Migrations.migrate(ds)).isFalse();
    }
    com.zaxxer.hikari.HikariDataSource empty = new com.zaxxer.hikari.HikariDataSource();
    empty.setJdbcUrl(StorageConfig.h2File(dir.resolve("empty")).jdbcUrl());
    empty.setAutoCommit(false);
    try (empty) {
      assertThat(Migrations.isCurrent(empty)).isFalse();
      assertThat(Migrations.migrate(empty)).isTrue();
      assertThat(Migrations.isCurrent(empty)).isTrue();
    }
  }

  @Test
  void existingClientsAndClustersTakeTheirIdAsUidOnH2(@TempDir Path dir) throws Exception {
    com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource();
    ds.setJdbcUrl(StorageConfig.h2File(dir).jdbcUrl());
    ds.setAutoCommit(false);
    try (ds) {
      existingRowsTakeTheirIdAsUid(ds);
    }
  }

  /**
   * V9 on a database with rows: each client and cluster gets its id as its uid, so tokens bound to a cluster by its
   * name before V9 keep naming it. Shared with {@link PostgresStorageTest}.
   */
  static void existingRowsTakeTheirIdAsUid(javax.sql.DataSource ds) throws Exception {
    org.flywaydb.core.Flyway.configure(Migrations.class.getClassLoader()).dataSource(ds)
        .locations("classpath:" + Migrations.LOCATION).placeholderReplacement(false).target("7").load().migrate();
    try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO tenants (id, display_name, created_at) VALUES ('a', 'A', CURRENT_TIMESTAMP)");
      st.executeUpdate("INSERT INTO oauth_clients (tenant_id, id, display_name, redirect_uris, grant_types, created_at)"
          + " VALUES ('a', 'kubernetes', 'K', '[]', '[]', CURRENT_TIMESTAMP)");
      st.executeUpdate("INSERT INTO clusters (tenant_id, id, created_at) VALUES ('a', 'prod', CURRENT_TIMESTAMP)");
      c.commit();
    }
    assertThat(Migrations.migrate(ds)).isTrue();
    try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
      try (java.sql.ResultSet rs = st.executeQuery("SELECT uid FROM oauth_clients WHERE tenant_id = 'a'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("kubernetes");
      }
      try (java.sql.ResultSet rs = st.executeQuery("SELECT uid FROM clusters WHERE tenant_id = 'a'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("prod");
      }
      // New rows must say theirs.
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> st.executeUpdate(
          "INSERT INTO clusters (tenant_id, id, created_at) VALUES ('a', 'dev', CURRENT_TIMESTAMP)")))
          .isInstanceOf(java.sql.SQLException.class);
      c.rollback();
    }
  }
}
