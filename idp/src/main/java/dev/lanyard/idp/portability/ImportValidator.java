package dev.lanyard.idp.portability;

import dev.lanyard.idp.admin.Shapes;
import dev.lanyard.idp.admin.TenantSettingsInput;
import dev.lanyard.idp.k8s.KubernetesNames;
import dev.lanyard.idp.tenants.TenantIds;
import dev.lanyard.storage.model.TenantSettings;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks an import file before anything is hashed or written, and reports every problem with its path. */
final class ImportValidator {
  static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token", "password", "client_credentials",
      "urn:ietf:params:oauth:grant-type:device_code");

  private final List<String> problems = new ArrayList<>();

  private ImportValidator() {}

  /** Fails with {@link ImportException} listing every problem. */
  static void check(ImportFile file) {
    ImportValidator v = new ImportValidator();
    v.file(file);
    if (!v.problems.isEmpty()) throw new ImportException("invalid import file:\n  - " + String.join("\n  - ", v.problems));
  }

  private void file(ImportFile file) {
    if (file.tenants().isEmpty()) problems.add("tenants: the file lists no tenant");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < file.tenants().size(); i++) {
      ImportFile.TenantEntry t = file.tenants().get(i);
      String at = "tenants[" + i + "]";
      if (!TenantIds.isValid(t.id())) problems.add(at + ".id: lower-case letters, digits and '-', at most 63");
      else if (!ids.add(t.id())) problems.add(at + ".id: tenant '" + t.id() + "' is listed twice");
      if (t.displayName() != null) text(at + ".displayName", t.displayName(), 200);
      if (t.settings() != null) settings(at + ".settings", t.settings());
      users(at, t.users());
      groups(at, t.groups());
      robots(at, t.robots());
      clients(at, t.clients());
    }
  }

  /**
   * The admin API's rules, each setting on its own; whether a default lifetime fits the maximum already stored, and
   * the configured {@code tokens.opaqueMaxTtl}, are checked when applying ({@link Importer}).
   */
  private void settings(String at, Map<String, Object> settings) {
    TenantSettingsInput.merge(new JsonObject(settings), TenantSettings.defaults(), null).errors()
        .forEach(e -> problems.add(at + "." + e.field() + ": " + e.message()));
  }

  private void users(String at, List<ImportFile.UserEntry> users) {
    Set<String> names = new HashSet<>();
    for (int j = 0; j < users.size(); j++) {
      ImportFile.UserEntry u = users.get(j);
      String p = at + ".users[" + j + "]";
      if (kubernetesName(p + ".username", u.username()) && !names.add(u.username())) {
        problems.add(p + ".username: '" + u.username() + "' is listed twice");
      }
      if (u.id() != null) text(p + ".id", u.id(), 64);
      if (u.email() != null && (u.email().length() > 254 || u.email().indexOf('@') < 1)) {
        problems.add(p + ".email: not an email address");
      } else if (KubernetesNames.isReserved(u.email())) { // the username of tenants that name users by email
        problems.add(p + ".email: " + KubernetesNames.RESERVED_MESSAGE);
      }
      if (u.displayName() != null) text(p + ".name", u.displayName(), 200);
      if (u.password() != null && u.passwordHash() != null) problems.add(p + ": give password or passwordHash, not both");
      if (u.password() != null && u.password().isEmpty()) problems.add(p + ".password: empty");
      if (u.passwordHash() != null && !u.passwordHash().matches("\\$argon2(id|i|d)\\$.+")) {
        problems.add(p + ".passwordHash: not an argon2 hash ($argon2id$...)");
      }
      if (u.groups() != null) {
        for (int k = 0; k < u.groups().size(); k++) kubernetesName(p + ".groups[" + k + "]", u.groups().get(k));
      }
    }
  }

  private void groups(String at, List<ImportFile.GroupEntry> groups) {
    Set<String> names = new HashSet<>();
    for (int j = 0; j < groups.size(); j++) {
      ImportFile.GroupEntry g = groups.get(j);
      String p = at + ".groups[" + j + "]";
      if (kubernetesName(p + ".name", g.name()) && !names.add(g.name())) {
        problems.add(p + ".name: '" + g.name() + "' is listed twice");
      }
      if (g.id() != null) text(p + ".id", g.id(), 64);
    }
  }

  /**
   * The admin API's rules for a robot (name shape, the system: prefix, unique name); whether its groups exist is
   * known only in the transaction ({@link Importer}).
   */
  private void robots(String at, List<ImportFile.RobotEntry> robots) {
    Set<String> names = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (int j = 0; j < robots.size(); j++) {
      ImportFile.RobotEntry r = robots.get(j);
      String p = at + ".robots[" + j + "]";
      if (text(p + ".name", r.name(), 128)) {
        if (!Shapes.NAME.matcher(r.name()).matches()) problems.add(p + ".name: " + Shapes.NAME_MESSAGE);
        else if (KubernetesNames.isReserved(r.name())) problems.add(p + ".name: " + KubernetesNames.RESERVED_MESSAGE);
        else if (!names.add(r.name())) problems.add(p + ".name: '" + r.name() + "' is listed twice");
      }
      if (r.id() != null && text(p + ".id", r.id(), 64) && !ids.add(r.id())) {
        problems.add(p + ".id: '" + r.id() + "' is listed twice");
      }
      if (r.description() != null) text(p + ".description", r.description(), 256);
      if (r.groups() != null) {
        for (int k = 0; k < r.groups().size(); k++) kubernetesName(p + ".groups[" + k + "]", r.groups().get(k));
      }
    }
  }

  private void clients(String at, List<ImportFile.ClientEntry> clients) {
    Set<String> ids = new HashSet<>();
    for (int j = 0; j < clients.size(); j++) {
      ImportFile.ClientEntry c = clients.get(j);
      String p = at + ".clients[" + j + "]";
      if (c.id() == null || !c.id().matches("[A-Za-z0-9._:~-]{1,255}")) {
        problems.add(p + ".id: required; letters, digits and . _ : ~ - only");
      } else if (!ids.add(c.id())) {
        problems.add(p + ".id: client '" + c.id() + "' is listed twice");
      }
      boolean isPublic = Boolean.TRUE.equals(c.isPublic());
      if (isPublic && (c.secret() != null || c.secretHash() != null)) {
        problems.add(p + ": a public client has no secret");
      }
      if (c.secret() != null && c.secretHash() != null) problems.add(p + ": give secret or secretHash, not both");
      if (c.secretHash() != null && !c.secretHash().matches("\\$argon2(id|i|d)\\$.+")) {
        problems.add(p + ".secretHash: not an argon2 hash ($argon2id$...)");
      }
      if (c.secret() != null && c.secret().length() < 16) problems.add(p + ".secret: at least 16 characters");
      List<String> uris = c.redirectUris() != null ? c.redirectUris() : List.of();
      for (int k = 0; k < uris.size(); k++) redirectUri(p + ".redirectUris[" + k + "]", uris.get(k));
      List<String> grants = c.grants() != null ? c.grants() : List.of();
      for (int k = 0; k < grants.size(); k++) {
        if (!GRANTS.contains(grants.get(k))) {
          problems.add(p + ".grants[" + k + "]: unknown grant '" + grants.get(k) + "' (known: " + GRANTS + ")");
        }
      }
      if (isPublic && grants.contains("client_credentials")) {
        problems.add(p + ".grants: client_credentials needs a confidential client");
      }
    }
  }

  private void redirectUri(String path, String uri) {
    if ("urn:ietf:wg:oauth:2.0:oob".equals(uri)) return;
    try {
      URI u = new URI(uri);
      if (!u.isAbsolute() || u.getFragment() != null) problems.add(path + ": must be absolute and have no fragment");
    } catch (Exception e) {
      problems.add(path + ": not a URI");
    }
  }

  /** Usernames and group names reach the kube-apiserver, which reserves the system: prefix. */
  private boolean kubernetesName(String path, String name) {
    if (!text(path, name, 255)) return false;
    if (KubernetesNames.isReserved(name)) {
      problems.add(path + ": " + KubernetesNames.RESERVED_MESSAGE);
      return false;
    }
    return true;
  }

  private boolean text(String path, String value, int max) {
    if (value == null || value.isBlank()) {
      problems.add(path + ": required");
      return false;
    }
    if (value.length() > max) {
      problems.add(path + ": longer than " + max + " characters");
      return false;
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      problems.add(path + ": control characters are not allowed");
      return false;
    }
    return true;
  }
}
