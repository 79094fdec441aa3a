package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanyard client list|create|update|rotate-secret|delete}: OAuth clients; a confidential client's secret is
 * shown once, at creation or rotation.
 */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Manage the OAuth clients of a tenant.",
    subcommands = {ClientCommand.List.class, ClientCommand.Create.class, ClientCommand.Update.class,
        ClientCommand.RotateSecret.class, ClientCommand.Delete.class})
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

  /**
   * The API's PUT keeps the fields it is not sent, and replaces a list it is sent; the add and remove options read
   * the client first and send the edited list.
   */
  @Command(name = "update", mixinStandardHelpOptions = true,
      description = {"Change a client's display name, redirect URIs, grant types or robot; what is not given stays.",
          "--redirect-uri and --grant-type replace the whole list; --add-... and --remove-... edit it. "
              + "Public or confidential cannot change: create a new client."})
  static final class Update extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "ID", description = "Client id.")
    String id;

    @Option(names = "--display-name", paramLabel = "NAME", description = "New display name.")
    String displayName;

    @Option(names = "--redirect-uri", paramLabel = "URI", description = "The redirect URIs, replacing them all; repeatable.")
    java.util.List<String> redirectUris;

    @Option(names = "--add-redirect-uri", paramLabel = "URI", description = "A redirect URI to allow too; repeatable.")
    java.util.List<String> addRedirectUris = java.util.List.of();

    @Option(names = "--remove-redirect-uri", paramLabel = "URI", description = "A redirect URI to refuse; repeatable.")
    java.util.List<String> removeRedirectUris = java.util.List.of();

    @Option(names = "--grant-type", paramLabel = "G", description = "The grant types, replacing them all; repeatable.")
    java.util.List<String> grantTypes;

    @Option(names = "--add-grant-type", paramLabel = "G", description = "A grant type to allow too; repeatable.")
    java.util.List<String> addGrantTypes = java.util.List.of();

    @Option(names = "--remove-grant-type", paramLabel = "G", description = "A grant type to refuse; repeatable.")
    java.util.List<String> removeGrantTypes = java.util.List.of();

    @Option(names = "--robot", paramLabel = "ROBOT",
        description = "The robot (name or id) a confidential client acts as in the client_credentials grant.")
    String robot;

    @Option(names = "--no-robot", description = "Act as no robot.")
    boolean noRobot;

    @Override
    void run() {
      boolean editUris = !addRedirectUris.isEmpty() || !removeRedirectUris.isEmpty();
      boolean editGrants = !addGrantTypes.isEmpty() || !removeGrantTypes.isEmpty();
      if (redirectUris != null && editUris) {
        throw usage("--redirect-uri replaces the list: give it, or --add/--remove-redirect-uri, not both");
      }
      if (grantTypes != null && editGrants) {
        throw usage("--grant-type replaces the list: give it, or --add/--remove-grant-type, not both");
      }
      if (robot != null && noRobot) throw usage("give --robot or --no-robot, not both");
      ApiClient api = api();
      String path = tenant.path() + "/clients/" + ApiClient.seg(id);
      JsonObject current = editUris || editGrants ? api.get(path) : null;
      JsonObject body = new JsonObject();
      if (displayName != null) body.put("displayName", displayName);
      if (redirectUris != null) body.put("redirectUris", new JsonArray(redirectUris));
      if (editUris) {
        body.put("redirectUris", edited(current.getJsonArray("redirectUris"), addRedirectUris, removeRedirectUris,
            "redirect URI"));
      }
      if (grantTypes != null) body.put("grantTypes", new JsonArray(grantTypes));
      if (editGrants) {
        body.put("grantTypes", edited(current.getJsonArray("grantTypes"), addGrantTypes, removeGrantTypes, "grant type"));
      }
      // The client's robot field takes an id; the robot's own path takes a name too.
      if (robot != null) body.put("robot", api.get(tenant.path() + "/robots/" + ApiClient.seg(robot)).getString("id"));
      if (noRobot) body.putNull("robot");
      if (body.isEmpty()) {
        throw usage("nothing to change: give --display-name, redirect URIs, grant types, --robot or --no-robot");
      }
      printOne(api.put(path, body));
    }

    /** {@code list} with {@code add} appended (unless there) and {@code remove} taken out (each must be there). */
    private JsonArray edited(JsonArray list, java.util.List<String> add, java.util.List<String> remove, String what) {
      java.util.List<Object> out = new java.util.ArrayList<>(list == null ? java.util.List.of() : list.getList());
      for (String r : remove) {
        if (!out.remove(r)) throw new RemoteException("client " + id + " has no " + what + " " + r + " to remove");
      }
      for (String a : add) {
        if (!out.contains(a)) out.add(a);
      }
      return new JsonArray(out);
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
