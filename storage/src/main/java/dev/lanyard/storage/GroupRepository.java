package dev.lanyard.storage;

import dev.lanyard.storage.model.Group;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Groups of a tenant and their memberships. Every method is scoped to one tenant. */
public interface GroupRepository {
  /** Fails with {@link AlreadyExistsException} when the id or the name is taken in the tenant. */
  void create(Group group);
  Optional<Group> find(String tenantId, String groupId);
  Optional<Group> findByName(String tenantId, String name);
  /** The tenant's groups ordered by name. */
  List<Group> list(String tenantId);
  /** Renames. Fails with {@link NotFoundException}, or {@link AlreadyExistsException} for a taken name. */
  void update(Group group);
  /** Deletes the group and its memberships. Fails with {@link NotFoundException}. */
  void delete(String tenantId, String groupId);

  /** Adds a member; adding one twice is not an error. Fails with {@link NotFoundException} for an unknown user or group. */
  void addMember(String tenantId, String groupId, String userId);
  /** Removes a member; removing a non-member is not an error. */
  void removeMember(String tenantId, String groupId, String userId);
  /** Makes the user a member of exactly these groups (ids). Fails with {@link NotFoundException} for an unknown one. */
  void setGroupsOfUser(String tenantId, String userId, Set<String> groupIds);
  /** Names of the groups the user belongs to, sorted. */
  List<String> groupNamesOfUser(String tenantId, String userId);
  /** Ids of the group's members, sorted. */
  List<String> memberIds(String tenantId, String groupId);
}
