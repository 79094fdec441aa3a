package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.RobotRepository;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

final class JdbcRobotRepository extends JdbcRepository implements RobotRepository {
  private static final String COLUMNS = "tenant_id, id, name, description, enabled, created_at, updated_at";

  JdbcRobotRepository(Connection connection) {
    super(connection);
  }

  @Override
  public void create(Robot r) {
    execute("creating robot " + r.id() + " (" + r.name() + ") in tenant " + r.tenantId(),
        "INSERT INTO robots (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", r.tenantId(), r.id(), r.name(),
        r.description(), r.enabled(), r.createdAt(), r.updatedAt());
  }

  @Override
  public Optional<Robot> find(String tenantId, String robotId) {
    return queryOne("reading robot " + robotId, "SELECT " + COLUMNS + " FROM robots WHERE tenant_id = ? AND id = ?",
        JdbcRobotRepository::row, tenantId, robotId);
  }

  @Override
  public Optional<Robot> findByName(String tenantId, String name) {
    return queryOne("reading robot by name", "SELECT " + COLUMNS + " FROM robots WHERE tenant_id = ? AND name = ?",
        JdbcRobotRepository::row, tenantId, name);
  }

  @Override
  public List<Robot> list(String tenantId, int offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    return query("listing robots", "SELECT " + COLUMNS + " FROM robots WHERE tenant_id = ? ORDER BY name"
        + " OFFSET ? ROWS FETCH FIRST ? ROWS ONLY", JdbcRobotRepository::row, tenantId, offset, limit);
  }

  @Override
  public long count(String tenantId) {
    return count("counting robots", "SELECT COUNT(*) FROM robots WHERE tenant_id = ?", tenantId);
  }

  @Override
  public void update(Robot r) {
    int n = execute("updating robot " + r.id() + " in tenant " + r.tenantId(),
        "UPDATE robots SET name = ?, description = ?, enabled = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
        r.name(), r.description(), r.enabled(), r.updatedAt(), r.tenantId(), r.id());
    if (n == 0) {
      throw new NotFoundException("no robot " + r.id() + " in tenant " + r.tenantId());
    }
  }

  @Override
  public void delete(String tenantId, String robotId) {
    // robot_group_members references robots ON DELETE CASCADE; tokens name their principal without a foreign key.
    if (execute("deleting robot " + robotId, "DELETE FROM robots WHERE tenant_id = ? AND id = ?", tenantId, robotId) == 0) {
      throw new NotFoundException("no robot " + robotId + " in tenant " + tenantId);
    }
    JdbcTokenRepository.deleteTokensOf(this, tenantId, PrincipalType.ROBOT, robotId);
  }

  /** Locks the robot's row first, so concurrent calls for one robot run one after the other (see groups). */
  @Override
  public void setGroups(String tenantId, String robotId, Set<String> groupIds) {
    if (!exists("locking robot " + robotId, "SELECT id FROM robots WHERE tenant_id = ? AND id = ? FOR UPDATE",
        tenantId, robotId)) {
      throw new NotFoundException("no robot " + robotId + " in tenant " + tenantId);
    }
    execute("clearing groups of robot " + robotId, "DELETE FROM robot_group_members WHERE tenant_id = ? AND robot_id = ?",
        tenantId, robotId);
    for (String groupId : new TreeSet<>(groupIds)) {
      execute("adding robot " + robotId + " to group " + groupId,
          "INSERT INTO robot_group_members (tenant_id, group_id, robot_id) VALUES (?, ?, ?)", tenantId, groupId, robotId);
    }
  }

  @Override
  public List<String> groupNames(String tenantId, String robotId) {
    return query("reading groups of robot " + robotId,
        "SELECT g.name FROM robot_group_members m JOIN user_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id"
            + " WHERE m.tenant_id = ? AND m.robot_id = ? ORDER BY g.name",
        rs -> rs.getString(1), tenantId, robotId);
  }

  private static Robot row(ResultSet rs) throws SQLException {
    return new Robot(rs.getString("tenant_id"), rs.getString("id"), rs.getString("name"), rs.getString("description"),
        rs.getBoolean("enabled"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at"));
  }
}
