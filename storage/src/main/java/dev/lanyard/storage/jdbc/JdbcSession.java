package dev.lanyard.storage.jdbc;

import dev.lanyard.storage.ClientRepository;
import dev.lanyard.storage.GroupRepository;
import dev.lanyard.storage.SigningKeyRepository;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.TenantRepository;
import dev.lanyard.storage.UserRepository;
import java.sql.Connection;

/** The repositories of one transaction, all on its connection. */
final class JdbcSession implements StoreSession {
  private final Connection connection;
  private TenantRepository tenants;
  private UserRepository users;
  private GroupRepository groups;
  private ClientRepository clients;
  private SigningKeyRepository signingKeys;

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
      clients = new JdbcClientRepository(connection);
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
}
