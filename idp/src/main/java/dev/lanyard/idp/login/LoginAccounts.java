package dev.lanyard.idp.login;

import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.model.User;
import java.util.Locale;
import java.util.Optional;

/** Finding the user a login form names: by username first, then by email (Keycloak and Dex accept either). */
final class LoginAccounts {
  private LoginAccounts() {}

  static Optional<User> find(StoreSession s, String tenantId, String login) {
    Optional<User> user = s.users().findByUsername(tenantId, login);
    if (user.isEmpty() && login.indexOf('@') > 0) user = s.users().findByEmail(tenantId, login);
    return user;
  }

  /** The throttle's account key: the user's id, or the typed login (lower-cased) when no user has it. */
  static String throttleKey(Optional<User> user, String login) {
    return user.map(u -> "user:" + u.id()).orElse("login:" + login.toLowerCase(Locale.ROOT));
  }
}
