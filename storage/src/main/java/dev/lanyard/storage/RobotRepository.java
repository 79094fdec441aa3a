package dev.lanyard.storage;

import dev.lanyard.storage.model.Robot;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Robots of a tenant and their group memberships. Every method is scoped to one tenant. */
public interface RobotRepository {
  /** Fails with {@link AlreadyExistsException} when the id or name is taken in the tenant. */
  void create(Robot robot);
  Optional<Robot> find(String tenantId, String robotId);
  Optional<Robot> findByName(String tenantId, String name);
  /** One page ordered by name. */
  List<Robot> list(String tenantId, int offset, int limit);
  long count(String tenantId);
  /** Replaces name, description, enabled, updatedAt. Fails with {@link NotFoundException} / {@link AlreadyExistsException}. */
  void update(Robot robot);
  /** Deletes the robot, its memberships and its tokens. Fails with {@link NotFoundException}. */
  void delete(String tenantId, String robotId);
  /** Makes the robot a member of exactly these groups (ids). Fails with {@link NotFoundException} for an unknown one. */
  void setGroups(String tenantId, String robotId, Set<String> groupIds);
  /** Names of the robot's groups, sorted. */
  List<String> groupNames(String tenantId, String robotId);
}
