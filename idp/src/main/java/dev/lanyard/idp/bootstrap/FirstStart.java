package dev.lanyard.idp.bootstrap;

import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.idp.tenants.TenantProvisioner;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.AdminRole;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.SigningKey;
import dev.lanyard.storage.model.User;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Seeds an empty database: tenant {@code default}, an administrator {@code admin} (global admin role) and the public client
 * {@code kubernetes} that kubelogin uses, all in one transaction.
 */
public final class FirstStart {
  /** Grants of the seeded kubelogin client; the device code grant is kubelogin's way in on a machine without a browser. */
  static final Set<String> KUBELOGIN_GRANTS = Set.of("authorization_code", "refresh_token", "password",
      "urn:ietf:params:oauth:grant-type:device_code");

  private final Storage storage;
  private final TenantProvisioner tenants;
  private final PasswordHasher hasher;
  private final Clock clock;

  public FirstStart(Storage storage, TenantProvisioner tenants, PasswordHasher hasher, Clock clock) {
    this.storage = storage;
    this.tenants = tenants;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** What the first start created, to print once. */
  public record Seeded(String tenantId, String adminUsername, String generatedPassword) {}

  /**
   * Seeds the database if it has no tenant yet. Blocking: call it from the main thread, not an event loop.
   *
   * @param adminPassword {@code LANYARD_ADMIN_PASSWORD}, or null to generate one (returned to print once)
   * @return what was created, or empty when the database already had tenants
   */
  public Optional<Seeded> seedIfEmpty(LanyardConfig.Bootstrap bootstrap, String adminPassword) {
    if (!storage.transactionBlocking(s -> s.tenants().list().isEmpty())) return Optional.empty();
    String password = adminPassword != null && !adminPassword.isEmpty() ? adminPassword : randomPassword();
    String hash = hasher.hash(password.toCharArray()).await();
    SigningKey key = tenants.firstKey(bootstrap.tenant());
    Instant now = clock.instant();
    boolean created = storage.transactionBlocking(s -> {
      if (!s.tenants().list().isEmpty()) return false; // another replica seeded it meanwhile
      tenants.create(s, bootstrap.tenant(), "Default", key);
      String adminId = UUID.randomUUID().toString();
      s.users().create(new User(bootstrap.tenant(), adminId, bootstrap.adminUsername(), null,
          false, "Administrator", true, hash, now, now));
      // The first administrator manages every tenant: it mints the first admin token (login or admin-token).
      s.adminRoles().grant(new AdminRole(bootstrap.tenant(), adminId, AdminRole.GLOBAL));
      s.clients().create(new OAuthClient(bootstrap.tenant(), bootstrap.clientId(), "Kubernetes (kubelogin)", null,
          bootstrap.redirectUris(), KUBELOGIN_GRANTS, now, TimeOrderedIds.next()));
      return true;
    });
    if (!created) return Optional.empty();
    boolean generated = adminPassword == null || adminPassword.isEmpty();
    return Optional.of(new Seeded(bootstrap.tenant(), bootstrap.adminUsername(), generated ? password : null));
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
