package dev.lanyard.storage;

import dev.lanyard.storage.model.OAuthClient;
import java.util.List;
import java.util.Optional;

/**
 * Registered OAuth clients of a tenant. Every method is scoped to one tenant.
 *
 * <p>Every change to an existing client (update, delete, robot link) is announced on the change feed as
 * {@link #CHANGE_TOPIC} with the payload {@code tenantId/clientId}, so that processes caching clients drop
 * their copy once it commits.
 */
public interface ClientRepository {
  /** Change-feed topic of client changes; payload {@link #changePayload}. */
  String CHANGE_TOPIC = "client";

  /** The payload announcing a change to one client: {@code tenantId/clientId}. */
  static String changePayload(String tenantId, String clientId) {
    return tenantId + "/" + clientId;
  }

  /** Fails with {@link AlreadyExistsException} when the client id is taken in the tenant. */
  void create(OAuthClient client);
  Optional<OAuthClient> find(String tenantId, String clientId);
  /** The tenant's clients ordered by id. */
  List<OAuthClient> list(String tenantId);
  /** Replaces every mutable field. Fails with {@link NotFoundException}. */
  void update(OAuthClient client);
  /** Fails with {@link NotFoundException}. */
  void delete(String tenantId, String clientId);

  /** The id of the robot the client acts as in the client_credentials grant, if one is linked. */
  Optional<String> robotOf(String tenantId, String clientId);

  /**
   * Links the client to a robot, replacing any earlier link; {@code robotId} null removes the link. Fails with
   * {@link NotFoundException} for an unknown client or robot. Deleting either removes the link.
   */
  void setRobot(String tenantId, String clientId, String robotId);
}
