package dev.lanyard.idp.portability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.lanyard.idp.admin.TenantSettingsInput;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.Group;
import dev.lanyard.storage.model.OAuthClient;
import dev.lanyard.storage.model.Robot;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.User;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes tenants in the import format, with hashes and never clear passwords or secrets. Issued credentials (robot
 * and user opaque tokens, sessions, refresh tokens) are not exported.
 */
public final class Exporter {
  private static final int PAGE = 500;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private final Storage storage;

  public Exporter(Storage storage) {
    this.storage = storage;
  }

  /** One tenant, or all when {@code tenantId} is null, read in one transaction. Blocking. */
  public ImportFile export(String tenantId) {
    return storage.transactionBlocking(s -> {
      List<Tenant> tenants;
      if (tenantId == null) {
        tenants = s.tenants().list();
      } else {
        tenants = List.of(s.tenants().find(tenantId).orElseThrow(() -> new NotFoundException("no tenant " + tenantId)));
      }
      List<ImportFile.TenantEntry> entries = new ArrayList<>();
      for (Tenant t : tenants) entries.add(tenant(s, t));
      return new ImportFile(entries);
    });
  }

  public static String toYaml(ImportFile file) {
    try {
      return YAML.writeValueAsString(file);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ImportFile.TenantEntry tenant(StoreSession s, Tenant t) {
    List<ImportFile.UserEntry> users = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      List<User> page = s.users().list(t.id(), offset, PAGE);
      for (User u : page) {
        users.add(new ImportFile.UserEntry(u.id(), u.username(), u.email(), u.emailVerified(), u.displayName(),
            u.enabled(), null, u.passwordHash(), s.groups().groupNamesOfUser(t.id(), u.id())));
      }
      if (page.size() < PAGE) break;
    }
    List<ImportFile.GroupEntry> groups = s.groups().list(t.id()).stream()
        .map((Group g) -> new ImportFile.GroupEntry(g.id(), g.name())).toList();
    List<ImportFile.RobotEntry> robots = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      List<Robot> page = s.robots().list(t.id(), offset, PAGE);
      for (Robot r : page) {
        robots.add(new ImportFile.RobotEntry(r.id(), r.name(), r.description(), r.enabled(),
            s.robots().groupNames(t.id(), r.id())));
      }
      if (page.size() < PAGE) break;
    }
    List<ImportFile.ClientEntry> clients = s.clients().list(t.id()).stream()
        .map((OAuthClient c) -> new ImportFile.ClientEntry(c.id(), c.displayName(), c.isPublic(), null,
            c.secretHash(), c.redirectUris(), c.grantTypes().stream().sorted().toList(),
            s.clients().robotOf(t.id(), c.id()).flatMap(r -> s.robots().find(t.id(), r)).map(r -> r.name())
                .orElse(null)))
        .toList();
    JsonObject settings = TenantSettingsInput.describe(t.settings());
    return new ImportFile.TenantEntry(t.id(), t.displayName(), settings.isEmpty() ? null : settings.getMap(), users,
        groups, robots, clients);
  }
}
