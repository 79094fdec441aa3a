package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanyard tenant list|show|create|update|delete}. */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Manage tenants.",
    subcommands = {TenantCommand.List.class, TenantCommand.Show.class, TenantCommand.Create.class,
        TenantCommand.Update.class, TenantCommand.Delete.class})
final class TenantCommand {
  static final TablePrinter TABLE = TablePrinter.of("ID", "id", "DISPLAY NAME", "displayName", "CREATED", "createdAt");

  /**
   * The lifetimes a tenant may set, by option name (without {@code --}) and API field. In the API a null one is
   * the configured default, which is what {@code --reset} sends.
   */
  static final Map<String, String> LIFETIMES = new LinkedHashMap<>();

  static {
    LIFETIMES.put("id-token-lifetime", "idTokenLifetime");
    LIFETIMES.put("token-default-ttl", "tokenDefaultTtl");
    LIFETIMES.put("token-max-ttl", "tokenMaxTtl");
    LIFETIMES.put("access-token-lifetime", "accessTokenLifetime");
    LIFETIMES.put("refresh-idle-lifetime", "refreshIdleLifetime");
    LIFETIMES.put("refresh-absolute-lifetime", "refreshAbsoluteLifetime");
  }

  /** {@code --reset}'s candidates, for its help text. */
  static final class Resettable implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return LIFETIMES.keySet().iterator();
    }
  }

  /** A tenant as a table prints it: the settings one per line, a null lifetime shown as "default". */
  static JsonObject flat(JsonObject tenant) {
    JsonObject out = new JsonObject();
    tenant.forEach(e -> {
      if (e.getValue() instanceof JsonObject settings) {
        settings.forEach(s -> out.put(e.getKey() + "." + s.getKey(), s.getValue() != null ? s.getValue() : "default"));
      } else {
        out.put(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenants you administer.")
  static final class List extends RemoteCommand {
    @Override
    void run() {
      printList(api().list("/tenants"), TABLE);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a tenant and its settings; a lifetime shown as 'default' is the configured one.")
  static final class Show extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "Tenant id.")
    String id;

    @Override
    void run() {
      JsonObject tenant = api().get(tenantPath(id));
      printOne(json() ? tenant : flat(tenant));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant (its signing key and defaults).")
  static final class Create extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "Tenant id: lower-case letters, digits and '-'.")
    String id;

    @Option(names = "--display-name", paramLabel = "NAME", description = "Human-readable name.")
    String displayName;

    @Override
    void run() {
      JsonObject body = new JsonObject().put("id", id);
      if (displayName != null) body.put("displayName", displayName);
      JsonObject created = api().post("/tenants", body);
      printOne(json() ? created : flat(created));
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = {"Change a tenant's display name or settings; what is not given stays.",
          "Durations: 90s, 10m, 12h, 30d or ISO-8601. The server checks the bounds: ID and access tokens at most 24h, "
              + "refresh tokens at most 365d, opaque tokens at most the configured tokens.opaqueMaxTtl."})
  static final class Update extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "Tenant id.")
    String id;

    @Option(names = "--display-name", paramLabel = "NAME", description = "New display name.")
    String displayName;

    @Option(names = "--username-from", paramLabel = "FIELD",
        description = "What the TokenReview webhook answers as a user's name: username or email.")
    String usernameFrom;

    @Option(names = "--robot-prefix", paramLabel = "P",
        description = "Put before a robot's name in TokenReview answers and ID tokens, e.g. robot:; \"\" for none.")
    String robotPrefix;

    // The lifetimes: read through spec by their LIFETIMES names.

    @Option(names = "--id-token-lifetime", paramLabel = "D", description = "ID token lifetime.")
    String idTokenLifetime;

    @Option(names = "--token-default-ttl", paramLabel = "D",
        description = "Lifetime of a token (lanyard token create) when none is asked.")
    String tokenDefaultTtl;

    @Option(names = "--token-max-ttl", paramLabel = "D", description = "Longest lifetime a token may ask for.")
    String tokenMaxTtl;

    @Option(names = "--access-token-lifetime", paramLabel = "D", description = "Lifetime of the token endpoint's access tokens.")
    String accessTokenLifetime;

    @Option(names = "--refresh-idle-lifetime", paramLabel = "D", description = "A refresh token unused this long expires.")
    String refreshIdleLifetime;

    @Option(names = "--refresh-absolute-lifetime", paramLabel = "D",
        description = "A chain of refresh tokens ends this long after the login.")
    String refreshAbsoluteLifetime;

    @Option(names = "--reset", paramLabel = "SETTING", completionCandidates = Resettable.class,
        description = "Back to the configured default: ${COMPLETION-CANDIDATES}; repeatable.")
    java.util.List<String> reset = java.util.List.of();

    @Override
    void run() {
      JsonObject settings = new JsonObject();
      if (usernameFrom != null) settings.put("usernameFrom", usernameFrom);
      if (robotPrefix != null) settings.put("robotPrefix", robotPrefix);
      // As given: the server checks durations and bounds and names the field.
      LIFETIMES.forEach((name, field) -> {
        String value = spec.findOption("--" + name).getValue();
        if (value != null) settings.put(field, value);
      });
      for (String name : reset) {
        String field = LIFETIMES.get(name);
        if (field == null) {
          throw usage("--reset " + name + ": not a setting with a default; one of "
              + String.join(", ", LIFETIMES.keySet()));
        }
        if (settings.containsKey(field)) throw usage("--" + name + " and --reset " + name + ": give one");
        settings.putNull(field); // null: the configured default
      }
      JsonObject body = new JsonObject();
      if (displayName != null) body.put("displayName", displayName);
      if (!settings.isEmpty()) body.put("settings", settings);
      if (body.isEmpty()) throw usage("nothing to change: give --display-name, a setting or --reset");
      JsonObject updated = api().put(tenantPath(id), body);
      printOne(json() ? updated : flat(updated));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a tenant and everything in it.")
  static final class Delete extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "Tenant id.")
    String id;

    @Override
    void run() {
      api().delete(tenantPath(id));
      done("Deleted tenant " + id + ".");
    }
  }
}
