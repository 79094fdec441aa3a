package dev.lanyard.idp.portability;

import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.tenants.TenantProvisioner;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.Group;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.User;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Applies an {@link ImportFile}: creates or updates tenants (by id), users (by id, else username), groups (by
 * name) and clients (by id). Slow work (argon2, RSA keys) happens first; then everything is written in one
 * transaction, so an interrupted import leaves the old data or the new, never half.
 */
public final class Importer {
  private final Storage storage;
  private final PasswordHasher hasher;
  private final TenantProvisioner provisioner;
  private final Clock clock;

  public Importer(Storage storage, PasswordHasher hasher, TenantProvisioner provisioner, Clock clock) {
    this.storage = storage;
    this.hasher = hasher;
    this.provisioner = provisioner;
    this.clock = clock;
  }

  /** Counts of what an import did. */
  public record Summary(int tenantsCreated, int tenantsUpdated, int usersCreated, int usersUpdated, int groupsCreated,
      int clientsCreated, int clientsUpdated) {
    @Override
    public String toString() {
      return "tenants: " + tenantsCreated + " created, " + tenantsUpdated + " updated; users: " + usersCreated
          + " created, " + usersUpdated + " updated; groups: " + groupsCreated + " created; clients: "
          + clientsCreated + " created, " + clientsUpdated + " updated";
    }
  }

  /** Validates and applies. Blocking: not for an event loop. Fails with {@link ImportException}; nothing is written then. */
  public Summary apply(ImportFile file) {
    return apply(file, message -> { });
  }

  /** As {@link #apply(ImportFile)}, telling {@code progress} what it is doing (for the command line). */
  public Summary apply(ImportFile file, java.util.function.Consumer<String> progress) {
    ImportValidator.check(file);
    Map<Object, String> hashes = hashSecrets(file);
    Set<String> existing = new java.util.HashSet<>(storage.transactionBlocking(s ->
        s.tenants().list().stream().map(Tenant::id).toList()));
    Map<String, SigningKey> newKeys = new HashMap<>();
    for (ImportFile.TenantEntry t : file.tenants()) {
      if (!existing.contains(t.id())) newKeys.put(t.id(), provisioner.firstKey(t.id()));
    }
    progress.accept("writing " + file.tenants().size() + " tenant(s) in one transaction");
    return storage.transactionBlocking(s -> {
      Counter n = new Counter();
      for (ImportFile.TenantEntry t : file.tenants()) applyTenant(s, t, newKeys, hashes, n);
      return n.summary();
    });
  }

  /** argon2 for every clear password and secret, before the transaction (tens of ms each). */
  private Map<Object, String> hashSecrets(ImportFile file) {
    Map<Object, String> hashes = new java.util.IdentityHashMap<>();
    for (ImportFile.TenantEntry t : file.tenants()) {
      for (ImportFile.UserEntry u : t.users()) {
        if (u.password() != null) hashes.put(u, hasher.hash(u.password().toCharArray()).await());
        else if (u.passwordHash() != null) hashes.put(u, u.passwordHash());
      }
      for (ImportFile.ClientEntry c : t.clients()) {
        if (c.secret() != null) hashes.put(c, hasher.hash(c.secret().toCharArray()).await());
        else if (c.secretHash() != null) hashes.put(c, c.secretHash());
      }
    }
    return hashes;
  }

  private void applyTenant(StoreSession s, ImportFile.TenantEntry t, Map<String, SigningKey> newKeys,
      Map<Object, String> hashes, Counter n) {
    String displayName = t.displayName() != null ? t.displayName() : t.id();
    Optional<Tenant> current = s.tenants().find(t.id());
    if (current.isEmpty()) {
      SigningKey key = newKeys.get(t.id());
      if (key == null) throw new ImportException("tenant '" + t.id() + "' was deleted while importing; run it again");
      provisioner.create(s, t.id(), displayName, key);
      n.tenantsCreated++;
    } else {
      if (t.displayName() != null) s.tenants().update(new Tenant(t.id(), displayName, current.get().createdAt(),
          current.get().settings()));
      n.tenantsUpdated++;
    }
    Map<String, String> groupIds = ensureGroups(s, t, n);
    for (ImportFile.UserEntry u : t.users()) applyUser(s, t.id(), u, hashes.get(u), groupIds, n);
    for (int i = 0; i < t.clients().size(); i++) {
      applyClient(s, t.id(), t.clients().get(i), hashes.get(t.clients().get(i)), "tenants." + t.id() + ".clients[" + i + "]", n);
    }
  }

  /** Every group named in the tenant's groups list or in a user's groups exists afterwards; returns name -> id. */
  private Map<String, String> ensureGroups(StoreSession s, ImportFile.TenantEntry t, Counter n) {
    Map<String, String> wantedIds = new HashMap<>();
    Set<String> names = new LinkedHashSet<>();
    for (ImportFile.GroupEntry g : t.groups()) {
      names.add(g.name());
      if (g.id() != null) wantedIds.put(g.name(), g.id());
    }
    for (ImportFile.UserEntry u : t.users()) {
      if (u.groups() != null) names.addAll(u.groups());
    }
    Map<String, String> ids = new HashMap<>();
    Instant now = clock.instant();
    for (String name : names) {
      Optional<Group> found = s.groups().findByName(t.id(), name);
      if (found.isPresent()) {
        ids.put(name, found.get().id());
      } else {
        String id = wantedIds.getOrDefault(name, UUID.randomUUID().toString());
        s.groups().create(new Group(t.id(), id, name, now));
        ids.put(name, id);
        n.groupsCreated++;
      }
    }
    return ids;
  }

  private void applyUser(StoreSession s, String tenantId, ImportFile.UserEntry u, String hash,
      Map<String, String> groupIds, Counter n) {
    Instant now = clock.instant();
    Optional<User> current = u.id() != null ? s.users().find(tenantId, u.id()) : Optional.empty();
    if (current.isEmpty()) current = s.users().findByUsername(tenantId, u.username());
    if (current.isPresent() && u.id() != null && !current.get().id().equals(u.id())) {
      throw new ImportException("tenant " + tenantId + ": user '" + u.username() + "' exists with another id ("
          + current.get().id() + ")");
    }
    String userId;
    if (current.isEmpty()) {
      userId = u.id() != null ? u.id() : UUID.randomUUID().toString();
      s.users().create(new User(tenantId, userId, u.username(), u.email(), Boolean.TRUE.equals(u.emailVerified()),
          u.displayName(), u.enabled() == null || u.enabled(), hash, now, now));
      n.usersCreated++;
    } else {
      User c = current.get();
      userId = c.id();
      s.users().update(new User(tenantId, userId, u.username(),
          u.email() != null ? u.email() : c.email(),
          u.emailVerified() != null ? u.emailVerified() : c.emailVerified(),
          u.displayName() != null ? u.displayName() : c.displayName(),
          u.enabled() != null ? u.enabled() : c.enabled(),
          hash != null ? hash : c.passwordHash(), c.createdAt(), now));
      n.usersUpdated++;
    }
    if (u.groups() != null) {
      Set<String> ids = new LinkedHashSet<>();
      u.groups().forEach(name -> ids.add(groupIds.get(name)));
      s.groups().setGroupsOfUser(tenantId, userId, ids);
    }
  }

  private void applyClient(StoreSession s, String tenantId, ImportFile.ClientEntry c, String hash, String path,
      Counter n) {
    boolean isPublic = Boolean.TRUE.equals(c.isPublic());
    Optional<OAuthClient> current = s.clients().find(tenantId, c.id());
    String secretHash = isPublic ? null : hash != null ? hash : current.map(OAuthClient::secretHash).orElse(null);
    if (!isPublic && secretHash == null) {
      throw new ImportException(path + ": a confidential client needs a secret or secretHash (or public: true)");
    }
    String displayName = c.displayName() != null ? c.displayName() : current.map(OAuthClient::displayName).orElse(c.id());
    List<String> redirectUris = c.redirectUris() != null ? c.redirectUris()
        : current.map(OAuthClient::redirectUris).orElse(List.of());
    Set<String> grants = c.grants() != null ? Set.copyOf(c.grants())
        : current.map(OAuthClient::grantTypes).orElse(Set.of("authorization_code", "refresh_token"));
    Instant createdAt = current.map(OAuthClient::createdAt).orElse(clock.instant());
    OAuthClient client = new OAuthClient(tenantId, c.id(), displayName, secretHash, redirectUris, grants, createdAt);
    if (current.isEmpty()) {
      s.clients().create(client);
      n.clientsCreated++;
    } else {
      s.clients().update(client);
      n.clientsUpdated++;
    }
    if (c.robot() != null) {
      if (isPublic) throw new ImportException(path + ".robot: only a confidential client acts as a robot");
      String robotId = s.robots().findByName(tenantId, c.robot()).orElseThrow(() ->
          new ImportException(path + ".robot: no robot '" + c.robot() + "' in tenant " + tenantId)).id();
      s.clients().setRobot(tenantId, c.id(), robotId);
    }
  }

  private static final class Counter {
    int tenantsCreated, tenantsUpdated, usersCreated, usersUpdated, groupsCreated, clientsCreated, clientsUpdated;

    Summary summary() {
      return new Summary(tenantsCreated, tenantsUpdated, usersCreated, usersUpdated, groupsCreated, clientsCreated,
          clientsUpdated);
    }
  }
}
