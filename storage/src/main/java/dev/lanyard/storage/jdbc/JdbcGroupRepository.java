package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.GroupRepository;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.model.Group;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

final class JdbcGroupRepository extends JdbcRepository implements GroupRepository {
  private static final String COLUMNS = "tenant_id, id, name, created_at";

  JdbcGroupRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(Group g) {
    execute("creating group " + g.id() + " (" + g.name() + ") in tenant " + g.tenantId(),
        "INSERT INTO user_groups (" + COLUMNS + ") VALUES (?, ?, ?, ?)", g.tenantId(), g.id(), g.name(), g.createdAt());
  }

  @Override
  public Optional<Group> find(String tenantId, String groupId) {
    return queryOne("reading group " + groupId, "SELECT " + COLUMNS + " FROM user_groups WHERE tenant_id = ? AND id = ?",
        JdbcGroupRepository::row, tenantId, groupId);
  }

  @Override
  public Optional<Group> findByName(String tenantId, String name) {
    return queryOne("reading group by name", "SELECT " + COLUMNS + " FROM user_groups WHERE tenant_id = ? AND name = ?",
        JdbcGroupRepository::row, tenantId, name);
  }

  @Override
  public List<Group> list(String tenantId) {
    return query("listing groups", "SELECT " + COLUMNS + " FROM user_groups WHERE tenant_id = ? ORDER BY name",
        JdbcGroupRepository::row, tenantId);
  }

  @Override
  public void update(Group g) {
    int n = execute("renaming group " + g.id() + " to " + g.name(),
        "UPDATE user_groups SET name = ? WHERE tenant_id = ? AND id = ?", g.name(), g.tenantId(), g.id());
    if (n == 0) {
      throw new NotFoundException("no group " + g.id() + " in tenant " + g.tenantId());
    }
  }

  @Override
  public void delete(String tenantId, String groupId) {
    // group_members references user_groups ON DELETE CASCADE.
    if (execute("deleting group " + groupId, "DELETE FROM user_groups WHERE tenant_id = ? AND id = ?", tenantId, groupId) == 0) {
      throw new NotFoundException("no group " + groupId + " in tenant " + tenantId);
    }
  }

  /**
   * Adding an existing member changes nothing. An unknown user or group fails the foreign key, which
   * {@link SqlErrors} maps to {@link NotFoundException}. Check-then-insert keeps the SQL the same on H2 and
   * PostgreSQL (no ON CONFLICT / MERGE dialects); two transactions adding the same new member at the same
   * moment may still collide on the primary key (AlreadyExistsException in the later one).
   */
  @Override
  public void addMember(String tenantId, String groupId, String userId) {
    if (!exists("reading membership", "SELECT user_id FROM group_members WHERE tenant_id = ? AND group_id = ? AND user_id = ?",
        tenantId, groupId, userId)) {
      execute("adding user " + userId + " to group " + groupId,
          "INSERT INTO group_members (tenant_id, group_id, user_id) VALUES (?, ?, ?)", tenantId, groupId, userId);
    }
  }

  @Override
  public void removeMember(String tenantId, String groupId, String userId) {
    execute("removing user " + userId + " from group " + groupId,
        "DELETE FROM group_members WHERE tenant_id = ? AND group_id = ? AND user_id = ?", tenantId, groupId, userId);
  }

  /**
   * Locks the user's row first, so concurrent calls for one user run one after the other and the last one
   * wins (instead of ending with the union of two sets).
   */
  @Override
  public void setGroupsOfUser(String tenantId, String userId, Set<String> groupIds) {
    if (!exists("locking user " + userId, "SELECT id FROM users WHERE tenant_id = ? AND id = ? FOR UPDATE",
        tenantId, userId)) {
      throw new NotFoundException("no user " + userId + " in tenant " + tenantId);
    }
    execute("clearing groups of user " + userId, "DELETE FROM group_members WHERE tenant_id = ? AND user_id = ?",
        tenantId, userId);
    for (String groupId : new TreeSet<>(groupIds)) { // a stable order: concurrent callers lock rows alike
      execute("adding user " + userId + " to group " + groupId,
          "INSERT INTO group_members (tenant_id, group_id, user_id) VALUES (?, ?, ?)", tenantId, groupId, userId);
    }
  }

  @Override
  public List<String> groupNamesOfUser(String tenantId, String userId) {
    return query("reading groups of user " + userId,
        "SELECT g.name FROM group_members m JOIN user_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id"
            + " WHERE m.tenant_id = ? AND m.user_id = ? ORDER BY g.name",
        rs -> rs.getString(1), tenantId, userId);
  }

  @Override
  public List<String> memberIds(String tenantId, String groupId) {
    return query("reading members of group " + groupId,
        "SELECT user_id FROM group_members WHERE tenant_id = ? AND group_id = ? ORDER BY user_id",
        rs -> rs.getString(1), tenantId, groupId);
  }

  private static Group row(ResultSet rs) throws SQLException {
    return new Group(rs.getString("tenant_id"), rs.getString("id"), rs.getString("name"), Sql.getInstant(rs, "created_at"));
  }
}
