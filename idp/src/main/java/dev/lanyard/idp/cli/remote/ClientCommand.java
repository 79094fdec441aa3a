package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanyard client list|create|rotate-secret|delete}: OAuth clients; a confidential client's secret is shown
 * once, at creation or rotation.
 */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Manage the OAuth clients of a tenant.",
    subcommands = {ClientCommand.List.class, ClientCommand.Create.class, ClientCommand.RotateSecret.class,
        ClientCommand.Delete.class})
final class ClientCommand {
  static final TablePrinter TABLE = TablePrinter.of("ID", "id", "DISPLAY NAME", "displayName", "TYPE", "type",
      "GRANT TYPES", "grantTypes", "REDIRECT URIS", "redirectUris");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clients of a tenant.")
  static final class List extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Override
    void run() {
      printList(api().list(tenant.path() + "/clients"), TABLE);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a client. A confidential client's secret is printed now and never again.")
  static final class Create extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "ID", description = "Client id.")
    String id;

    @Option(names = "--display-name", paramLabel = "NAME", description = "Display name.")
    String displayName;

    @Option(names = "--public", description = "A public client (no secret), e.g. kubelogin.")
    boolean isPublic;

    @Option(names = "--redirect-uri", paramLabel = "URI", description = "An allowed redirect URI; repeatable.")
    java.util.List<String> redirectUris;

    @Option(names = "--grant-type", paramLabel = "G",
        description = "A grant type (default: authorization_code and refresh_token); repeatable.")
    java.util.List<String> grantTypes;

    @Override
    void run() {
      JsonObject body = new JsonObject().put("id", id).put("type", isPublic ? "public" : "confidential");
      if (displayName != null) body.put("displayName", displayName);
      if (redirectUris != null) body.put("redirectUris", new JsonArray(redirectUris));
      if (grantTypes != null) body.put("grantTypes", new JsonArray(grantTypes));
      JsonObject created = api().post(tenant.path() + "/clients", body);
      printOne(created);
      if (!json() && created.getString("secret") != null) err().println("The secret is shown only now; store it safely.");
    }
  }

  @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
      description = "Replace a confidential client's secret; the old one stops working. The new one is printed now and never again.")
  static final class RotateSecret extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "ID", description = "Client id.")
    String id;

    @Override
    void run() {
      printOne(api().post(tenant.path() + "/clients/" + ApiClient.seg(id) + "/secret", null));
      if (!json()) err().println("The secret is shown only now; store it safely.");
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a client.")
  static final class Delete extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "ID", description = "Client id.")
    String id;

    @Override
    void run() {
      api().delete(tenant.path() + "/clients/" + ApiClient.seg(id));
      done("Deleted client " + id + ".");
    }
  }
}
