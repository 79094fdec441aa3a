package dev.lanyard.idp.portability;

import dev.lanyard.idp.admin.TenantSettingsInput;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.k8s.ReviewInvalidation;
import dev.lanyard.idp.tenants.TenantProvisioner;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.Group;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Applies an {@link ImportFile}: creates or updates tenants (by id; display name and settings), users (by id, else username), groups (by
 * name), robots (by id, else name) and clients (by id). Robots come before clients, so a client's {@code robot}
 * may name a robot of the same file. Slow work (argon2, RSA keys) happens first; then everything is written in one
 * transaction, so an interrupted import leaves the old data or the new, never half.
 */
public final class Importer {
  private final Storage storage;
  private final PasswordHasher hasher;
  private final TenantProvisioner provisioner;
  private final Clock clock;
  /** The configured {@code tokens.opaqueMaxTtl}: a tenant's opaque token lifetimes may not exceed it. */
  private final Duration opaqueMaxTtl;

  public Importer(Storage storage, PasswordHasher hasher, TenantProvisioner provisioner, Clock clock,
      Duration opaqueMaxTtl) {
    this.storage = storage;
    this.hasher = hasher;
    this.provisioner = provisioner;
    this.clock = clock;
    this.opaqueMaxTtl = opaqueMaxTtl;
  }

  /** Counts of what an import did. */
  public record Summary(int tenantsCreated, int tenantsUpdated, int usersCreated, int usersUpdated, int groupsCreated,
      int robotsCreated, int robotsUpdated, int clientsCreated, int clientsUpdated) {
    @Override
    public String toString() {
      return "tenants: " + tenantsCreated + " created, " + tenantsUpdated + " updated; users: " + usersCreated
          + " created, " + usersUpdated + " updated; groups: " + groupsCreated + " created; robots: "
          + robotsCreated + " created, " + robotsUpdated + " updated; clients: "
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
      for (int i = 0; i < file.tenants().size(); i++) {
        applyTenant(s, file.tenants().get(i), "tenants[" + i + "]", newKeys, hashes, n);
      }
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

  /** @param at the tenant's path in the file, for messages */
  private void applyTenant(StoreSession s, ImportFile.TenantEntry t, String at, Map<String, SigningKey> newKeys,
      Map<Object, String> hashes, Counter n) {
    Tenant tenant;
    Optional<Tenant> current = s.tenants().find(t.id());
    if (current.isEmpty()) {
      SigningKey key = newKeys.get(t.id());
      if (key == null) throw new ImportException("tenant '" + t.id() + "' was deleted while importing; run it again");
      tenant = provisioner.create(s, t.id(), t.displayName() != null ? t.displayName() : t.id(), key);
      n.tenantsCreated++;
    } else {
      tenant = current.get();
      n.tenantsUpdated++;
    }
    if (t.settings() != null || current.isPresent() && t.displayName() != null) {
      TenantSettings settings = tenant.settings();
      if (t.settings() != null) {
        TenantSettingsInput.Result merged = TenantSettingsInput.merge(new JsonObject(t.settings()), settings,
            opaqueMaxTtl);
        if (!merged.errors().isEmpty()) {
          throw new ImportException("invalid import file:\n  - " + String.join("\n  - ", merged.errors().stream()
              .map(e -> at + ".settings." + e.field() + ": " + e.message()).toList()));
        }
        settings = merged.settings();
      }
      s.tenants().update(new Tenant(t.id(), t.displayName() != null ? t.displayName() : tenant.displayName(),
          tenant.createdAt(), settings));
      // The username a review answers (usernameFrom, robotPrefix) may have changed for a server sharing the database.
      if (current.isPresent()) ReviewInvalidation.tenantChanged(s, t.id());
    }
    Map<String, String> groupIds = ensureGroups(s, t, n);
    for (ImportFile.UserEntry u : t.users()) applyUser(s, t.id(), u, hashes.get(u), groupIds, n);
    List<Set<String>> robotGroups = robotGroupIds(s, t, at, groupIds);
    for (int i = 0; i < t.robots().size(); i++) {
      applyRobot(s, t.id(), t.robots().get(i), robotGroups.get(i), at + ".robots[" + i + "]", n);
    }
    for (int i = 0; i < t.clients().size(); i++) {
      applyClient(s, t.id(), t.clients().get(i), hashes.get(t.clients().get(i)), at + ".clients[" + i + "]", n);
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
      // A server sharing the database (PostgreSQL) may have this user cached for its TokenReviews: a disabled
      // account or a group taken away must count on its next review, as through the admin API.
      ReviewInvalidation.principalChanged(s, tenantId, PrincipalType.USER, userId);
      n.usersUpdated++;
    }
    if (u.groups() != null) {
      Set<String> ids = new LinkedHashSet<>();
      u.groups().forEach(name -> ids.add(groupIds.get(name)));
      s.groups().setGroupsOfUser(tenantId, userId, ids);
    }
  }

  /**
   * The group ids of each robot (null where the entry has no groups). Unlike a user's, a robot's groups are not
   * created on the way: as in the admin API they must exist, in the tenant or in this file. Fails naming every
   * unknown one.
   */
  private static List<Set<String>> robotGroupIds(StoreSession s, ImportFile.TenantEntry t, String at,
      Map<String, String> fileGroupIds) {
    List<Set<String>> result = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < t.robots().size(); i++) {
      List<String> names = t.robots().get(i).groups();
      if (names == null) {
        result.add(null);
        continue;
      }
      Set<String> ids = new LinkedHashSet<>();
      for (int k = 0; k < names.size(); k++) {
        String name = names.get(k);
        Optional<String> id = Optional.ofNullable(fileGroupIds.get(name))
            .or(() -> s.groups().findByName(t.id(), name).map(Group::id));
        if (id.isPresent()) ids.add(id.get());
        else unknown.add(at + ".robots[" + i + "].groups[" + k + "]: no group '" + name + "' in tenant " + t.id());
      }
      result.add(ids);
    }
    if (!unknown.isEmpty()) throw new ImportException("invalid import file:\n  - " + String.join("\n  - ", unknown));
    return result;
  }

  /**
   * As {@link #applyUser}: matched by id when given (a rename), else by name; a name that a robot with another id
   * has is refused.
   */
  private void applyRobot(StoreSession s, String tenantId, ImportFile.RobotEntry r, Set<String> groupIds, String path,
      Counter n) {
    Instant now = clock.instant();
    Optional<Robot> byName = s.robots().findByName(tenantId, r.name());
    if (r.id() != null && byName.isPresent() && !byName.get().id().equals(r.id())) {
      throw new ImportException(path + ".id: robot '" + r.name() + "' exists in tenant " + tenantId
          + " with another id (" + byName.get().id() + ")");
    }
    Optional<Robot> current = r.id() != null ? s.robots().find(tenantId, r.id()) : byName;
    String robotId;
    if (current.isEmpty()) {
      robotId = r.id() != null ? r.id() : UUID.randomUUID().toString();
      s.robots().create(new Robot(tenantId, robotId, r.name(), r.description(), r.enabled() == null || r.enabled(),
          now, now));
      n.robotsCreated++;
    } else {
      Robot c = current.get();
      robotId = c.id();
      s.robots().update(new Robot(tenantId, robotId, r.name(),
          r.description() != null ? r.description() : c.description(),
          r.enabled() != null ? r.enabled() : c.enabled(), c.createdAt(), now));
      ReviewInvalidation.principalChanged(s, tenantId, PrincipalType.ROBOT, robotId); // as for users
      n.robotsUpdated++;
    }
    if (groupIds != null) s.robots().setGroups(tenantId, robotId, groupIds);
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
    // An update keeps the client's uid: what was issued to it stays issued to it.
    String uid = current.map(OAuthClient::uid).orElseGet(TimeOrderedIds::next);
    OAuthClient client = new OAuthClient(tenantId, c.id(), displayName, secretHash, redirectUris, grants, createdAt,
        uid);
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
    int tenantsCreated, tenantsUpdated, usersCreated, usersUpdated, groupsCreated, robotsCreated, robotsUpdated,
        clientsCreated, clientsUpdated;

    Summary summary() {
      return new Summary(tenantsCreated, tenantsUpdated, usersCreated, usersUpdated, groupsCreated, robotsCreated,
          robotsUpdated, clientsCreated, clientsUpdated);
    }
  }
}
