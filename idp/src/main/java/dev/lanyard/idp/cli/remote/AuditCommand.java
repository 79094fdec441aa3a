package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanyard audit list}: the audit events ({@code GET /audit}, {@code GET /tenants/{t}/audit}), newest first. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read the audit log.",
    subcommands = {AuditCommand.List.class})
final class AuditCommand {
  static final TablePrinter TABLE = TablePrinter.of("AT", "at", "TENANT", "tenant", "ACTOR", "actor", "ACTION", "action",
      "TARGET", "target", "OUTCOME", "outcome", "SOURCE", "source");

  /**
   * One page, not every page as the other lists: the log only grows. The table says on standard error when there
   * are more events than it shows.
   */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List audit events, newest first.")
  static final class List extends RemoteCommand {
    @Option(names = {"-t", "--tenant"}, paramLabel = "T",
        description = "Only this tenant's events (default: every tenant's, for a global administrator).")
    String tenant;

    @Option(names = "--action", paramLabel = "A", description = "Only this action, e.g. user.create or token.revoke.")
    String action;

    @Option(names = "--actor", paramLabel = "X", description = "Only events by this actor (as the ACTOR column shows it).")
    String actor;

    @Option(names = "--from", paramLabel = "INSTANT",
        description = "Only events at or after this RFC 3339 instant, e.g. 2026-01-31T12:00:00Z.")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Only events before this RFC 3339 instant.")
    String to;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
        description = "At most this many events, 1 to 500 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip this many of the newest events.")
    int offset;

    @Override
    void run() {
      Map<String, String> query = new LinkedHashMap<>();
      if (action != null) query.put("action", action);
      if (actor != null) query.put("actor", actor);
      if (from != null) query.put("from", from);
      if (to != null) query.put("to", to);
      query.put("offset", Integer.toString(offset));
      query.put("limit", Integer.toString(limit));
      String path = (tenant == null ? "" : tenantPath(tenant)) + "/audit?" + query.entrySet().stream()
          .map(e -> e.getKey() + "=" + ApiClient.queryValue(e.getValue())).collect(Collectors.joining("&"));
      JsonObject page = api().get(path);
      printList(page, TABLE);
      int shown = page.getJsonArray("items").size();
      long total = page.getLong("total", 0L);
      if (!json() && offset + shown < total) {
        err().println("Showing " + shown + " of " + total + " events; --offset " + (offset + shown) + " for older ones.");
      }
    }
  }
}
