package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanyard token create|list|revoke}: opaque Kubernetes tokens (lyk_...) checked by the TokenReview webhook. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Mint, list and revoke Kubernetes tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.List.class, TokenCommand.Revoke.class})
final class TokenCommand {
  static final TablePrinter TABLE = TablePrinter.of("ID", "id", "KIND", "kind", "USER", "user", "ROBOT", "robot",
      "CLUSTERS", "clusters", "EXPIRES", "expiresAt", "LAST USED", "lastUsedAt", "ACTIVE", "active");

  static final class Principal {
    @Option(names = "--user", paramLabel = "U", required = true, description = "For this user (username or id).")
    String user;

    @Option(names = "--robot", paramLabel = "R", required = true, description = "For this robot (name or id).")
    String robot;
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Mint a token for a user or robot. The token is printed now, alone on standard output, and never again.")
  static final class Create extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Principal principal;

    @Option(names = "--ttl", paramLabel = "D", description = "Lifetime, e.g. 12h or 30d (default and maximum: the tenant's settings).")
    String ttl;

    @Option(names = "--cluster", paramLabel = "C", description = "A cluster it is valid on (default: all); repeatable.")
    java.util.List<String> clusters;

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    String description;

    @Override
    void run() {
      JsonObject body = new JsonObject();
      if (principal.user != null) body.put("user", principal.user);
      if (principal.robot != null) body.put("robot", principal.robot);
      if (ttl != null) body.put("ttl", ttl);
      if (clusters != null) body.put("clusters", new JsonArray(clusters));
      if (description != null) body.put("description", description);
      JsonObject minted = api().post(tenant.path() + "/tokens", body);
      if (json()) {
        out().println(minted.encodePrettily());
      } else {
        out().println(minted.getString("token"));
        err().println("Token " + minted.getString("id") + " expires at " + minted.getString("expiresAt")
            + "; it is shown only now.");
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens of a tenant (never their secrets).")
  static final class List extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Option(names = "--user", paramLabel = "U", description = "Only this user's tokens (username or id).")
    String user;

    @Option(names = "--robot", paramLabel = "R", description = "Only this robot's tokens (name or id).")
    String robot;

    @Option(names = {"-a", "--all"}, description = "Include revoked and expired tokens.")
    boolean all;

    @Override
    void run() {
      StringBuilder query = new StringBuilder();
      if (user != null) query.append("&user=").append(ApiClient.seg(user));
      if (robot != null) query.append("&robot=").append(ApiClient.seg(robot));
      if (all) query.append("&includeInactive=true");
      String path = tenant.path() + "/tokens" + (query.length() == 0 ? "" : "?" + query.substring(1));
      printList(api().list(path), TABLE);
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke a token; the webhook refuses it from the next review on.")
  static final class Revoke extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "ID", description = "Token id (from 'token list' or 'token create').")
    String id;

    @Override
    void run() {
      api().delete(tenant.path() + "/tokens/" + ApiClient.seg(id));
      done("Revoked token " + id + ".");
    }
  }
}
