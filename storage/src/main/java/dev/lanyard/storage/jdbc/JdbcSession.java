package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.AdminRoleRepository;
import dev.lanyard.storage.AuditRepository;
import dev.lanyard.storage.AuthorizationCodeRepository;
import dev.lanyard.storage.LoginFailureRepository;
import dev.lanyard.storage.LoginSessionRepository;
import dev.lanyard.storage.ClientRepository;
import dev.lanyard.storage.ClusterRepository;
import dev.lanyard.storage.DeviceAuthorizationRepository;
import dev.lanyard.storage.GroupRepository;
import dev.lanyard.storage.RefreshTokenRepository;
import dev.lanyard.storage.RevokedAccessTokenRepository;
import dev.lanyard.storage.RobotRepository;
import dev.lanyard.storage.SigningKeyRepository;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.TenantRepository;
import dev.lanyard.storage.TokenRepository;
import dev.lanyard.storage.UserRepository;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The repositories of one transaction, all on its connection, and the changes it will announce on commit. */
final class JdbcSession implements StoreSession {
  /** PostgreSQL's NOTIFY payload limit is 8,000 bytes; the contract promises 7,000 for the payload. */
  static final int MAX_PAYLOAD_BYTES = 7_000;

  private final Connection connection;
  private final List<Storage.Change> changes = new ArrayList<>();
  private TenantRepository tenants;
  private UserRepository users;
  private GroupRepository groups;
  private ClientRepository clients;
  private SigningKeyRepository signingKeys;
  private RobotRepository robots;
  private TokenRepository tokens;
  private RefreshTokenRepository refreshTokens;
  private RevokedAccessTokenRepository revokedAccessTokens;
  private ClusterRepository clusters;
  private AuditRepository audit;
  private AdminRoleRepository adminRoles;
  private DeviceAuthorizationRepository deviceAuthorizations;
  private LoginSessionRepository loginSessions;
  private AuthorizationCodeRepository authorizationCodes;
  private LoginFailureRepository loginFailures;

  JdbcSession(Connection connection) {
    this.connection = connection;
  }

  @Override
  public TenantRepository tenants() {
    if (tenants == null) {
      tenants = new JdbcTenantRepository(connection);
    }
    return tenants;
  }

  @Override
  public UserRepository users() {
    if (users == null) {
      users = new JdbcUserRepository(connection);
    }
    return users;
  }

  @Override
  public GroupRepository groups() {
    if (groups == null) {
      groups = new JdbcGroupRepository(connection);
    }
    return groups;
  }

  @Override
  public ClientRepository clients() {
    if (clients == null) {
      clients = new JdbcClientRepository(connection, this);
    }
    return clients;
  }

  @Override
  public SigningKeyRepository signingKeys() {
    if (signingKeys == null) {
      signingKeys = new JdbcSigningKeyRepository(connection);
    }
    return signingKeys;
  }

  @Override
  public RobotRepository robots() {
    if (robots == null) {
      robots = new JdbcRobotRepository(connection);
    }
    return robots;
  }

  @Override
  public TokenRepository tokens() {
    if (tokens == null) {
      tokens = new JdbcTokenRepository(connection);
    }
    return tokens;
  }

  @Override
  public RefreshTokenRepository refreshTokens() {
    if (refreshTokens == null) {
      refreshTokens = new JdbcRefreshTokenRepository(connection);
    }
    return refreshTokens;
  }

  @Override
  public RevokedAccessTokenRepository revokedAccessTokens() {
    if (revokedAccessTokens == null) {
      revokedAccessTokens = new JdbcRevokedAccessTokenRepository(connection);
    }
    return revokedAccessTokens;
  }

  @Override
  public ClusterRepository clusters() {
    if (clusters == null) {
      clusters = new JdbcClusterRepository(connection);
    }
    return clusters;
  }

  @Override
  public AuditRepository audit() {
    if (audit == null) {
      audit = new JdbcAuditRepository(connection);
    }
    return audit;
  }

  @Override
  public AdminRoleRepository adminRoles() {
    if (adminRoles == null) {
      adminRoles = new JdbcAdminRoleRepository(connection);
    }
    return adminRoles;
  }

  @Override
  public DeviceAuthorizationRepository deviceAuthorizations() {
    if (deviceAuthorizations == null) {
      deviceAuthorizations = new JdbcDeviceAuthorizationRepository(connection);
    }
    return deviceAuthorizations;
  }

  @Override
  public LoginSessionRepository loginSessions() {
    if (loginSessions == null) {
      loginSessions = new JdbcLoginSessionRepository(connection);
    }
    return loginSessions;
  }

  @Override
  public AuthorizationCodeRepository authorizationCodes() {
    if (authorizationCodes == null) {
      authorizationCodes = new JdbcAuthorizationCodeRepository(connection);
    }
    return authorizationCodes;
  }

  @Override
  public LoginFailureRepository loginFailures() {
    if (loginFailures == null) {
      loginFailures = new JdbcLoginFailureRepository(connection);
    }
    return loginFailures;
  }

  /**
   * Queues the change; {@link JdbcStorage} sends it when the transaction commits.
   *
   * @throws IllegalArgumentException for an empty topic or one containing ':' (the feed sends
   *     {@code topic:payload}), or a payload over 7,000 UTF-8 bytes
   */
  @Override
  public void notifyChange(String topic, String payload) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    if (topic.isEmpty() || topic.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a change topic must be non-empty and free of ':', not \"" + topic + "\"");
    }
    if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("a change payload must be at most " + MAX_PAYLOAD_BYTES + " bytes");
    }
    changes.add(new Storage.Change(topic, payload));
  }

  /** The changes queued so far, in order. */
  List<Storage.Change> changes() {
    return changes;
  }
}
