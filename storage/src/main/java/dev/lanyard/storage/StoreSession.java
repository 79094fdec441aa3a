package dev.lanyard.storage;

/**
 * The repositories of one open transaction. Only valid inside the {@link StoreWork} it was handed to;
 * every method blocks on the database.
 */
public interface StoreSession {
  TenantRepository tenants();
  UserRepository users();
  GroupRepository groups();
  ClientRepository clients();
  SigningKeyRepository signingKeys();
  RobotRepository robots();
  TokenRepository tokens();
  RefreshTokenRepository refreshTokens();
  RevokedAccessTokenRepository revokedAccessTokens();
  ClusterRepository clusters();
  AuditRepository audit();
  AdminRoleRepository adminRoles();
  DeviceAuthorizationRepository deviceAuthorizations();
  LoginSessionRepository loginSessions();
  AuthorizationCodeRepository authorizationCodes();
  LoginFailureRepository loginFailures();

  /**
   * Tells every Lanyard process sharing this database that something changed, once this transaction commits
   * (never if it rolls back). PostgreSQL: NOTIFY; H2 (one process): delivered in-process after commit.
   *
   * @param topic what changed, e.g. {@code token}, {@code principal}, {@code keys}
   * @param payload a short string (at most 7,000 bytes), e.g. {@code tenantId/id}
   */
  void notifyChange(String topic, String payload);
}
