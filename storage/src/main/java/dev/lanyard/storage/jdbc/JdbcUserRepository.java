package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.UserRepository;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

final class JdbcUserRepository extends JdbcRepository implements UserRepository {
  private static final String COLUMNS =
      "tenant_id, id, username, email, email_verified, display_name, enabled, password_hash, created_at, updated_at";

  JdbcUserRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(User u) {
    execute("creating user " + u.id() + " (" + u.username() + ") in tenant " + u.tenantId(),
        "INSERT INTO users (" + COLUMNS + ", email_lower) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        u.tenantId(), u.id(), u.username(), u.email(), u.emailVerified(), u.displayName(), u.enabled(),
        u.passwordHash(), u.createdAt(), u.updatedAt(), lower(u.email()));
  }

  @Override
  public Optional<User> find(String tenantId, String userId) {
    return queryOne("reading user " + userId, "SELECT " + COLUMNS + " FROM users WHERE tenant_id = ? AND id = ?",
        JdbcUserRepository::row, tenantId, userId);
  }

  @Override
  public Optional<User> findByUsername(String tenantId, String username) {
    return queryOne("reading user by username", "SELECT " + COLUMNS + " FROM users WHERE tenant_id = ? AND username = ?",
        JdbcUserRepository::row, tenantId, username);
  }

  @Override
  public Optional<User> findByEmail(String tenantId, String email) {
    if (email == null) {
      return Optional.empty();
    }
    List<User> found = query("reading user by email",
        "SELECT " + COLUMNS + " FROM users WHERE tenant_id = ? AND email_lower = ? FETCH FIRST 2 ROWS ONLY",
        JdbcUserRepository::row, tenantId, lower(email));
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }

  @Override
  public List<User> list(String tenantId, int offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    return query("listing users", "SELECT " + COLUMNS + " FROM users WHERE tenant_id = ? ORDER BY username"
        + " OFFSET ? ROWS FETCH FIRST ? ROWS ONLY", JdbcUserRepository::row, tenantId, offset, limit);
  }

  @Override
  public long count(String tenantId) {
    return query("counting users", "SELECT COUNT(*) FROM users WHERE tenant_id = ?", rs -> rs.getLong(1), tenantId).get(0);
  }

  @Override
  public void update(User u) {
    int n = execute("updating user " + u.id() + " in tenant " + u.tenantId(),
        "UPDATE users SET username = ?, email = ?, email_lower = ?, email_verified = ?, display_name = ?, enabled = ?,"
            + " password_hash = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
        u.username(), u.email(), lower(u.email()), u.emailVerified(), u.displayName(), u.enabled(), u.passwordHash(),
        u.updatedAt(), u.tenantId(), u.id());
    if (n == 0) {
      throw new NotFoundException("no user " + u.id() + " in tenant " + u.tenantId());
    }
  }

  @Override
  public boolean replacePasswordHash(String tenantId, String userId, String expectedHash, String newHash,
      Instant updatedAt) {
    return execute("replacing the password hash of user " + userId + " in tenant " + tenantId,
        "UPDATE users SET password_hash = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND password_hash = ?",
        newHash, updatedAt, tenantId, userId, expectedHash) == 1;
  }

  @Override
  public void delete(String tenantId, String userId) {
    // group_members, admin_roles and refresh families reference users ON DELETE CASCADE; tokens name their
    // principal without a foreign key, so they go here, in the same transaction.
    if (execute("deleting user " + userId, "DELETE FROM users WHERE tenant_id = ? AND id = ?", tenantId, userId) == 0) {
      throw new NotFoundException("no user " + userId + " in tenant " + tenantId);
    }
    JdbcTokenRepository.deleteTokensOf(this, tenantId, PrincipalType.USER, userId);
  }

  private static String lower(String email) {
    return email == null ? null : email.toLowerCase(Locale.ROOT);
  }

  private static User row(ResultSet rs) throws SQLException {
    return new User(rs.getString("tenant_id"), rs.getString("id"), rs.getString("username"), rs.getString("email"),
        rs.getBoolean("email_verified"), rs.getString("display_name"), rs.getBoolean("enabled"),
        rs.getString("password_hash"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at"));
  }
}
