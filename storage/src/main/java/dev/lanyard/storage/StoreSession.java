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
}
