package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lanyard cluster list|add|rotate-credential|delete}: Kubernetes clusters calling the TokenReview webhook. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Register Kubernetes clusters with a tenant.",
    subcommands = {ClusterCommand.List.class, ClusterAdd.class, ClusterCommand.RotateCredential.class,
        ClusterCommand.Delete.class})
final class ClusterCommand {
  static final TablePrinter TABLE = TablePrinter.of("NAME", "id", "DESCRIPTION", "description",
      "CREDENTIAL", "hasCredential", "CERTIFICATE", "certificateSubject", "CREATED", "createdAt");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clusters of a tenant.")
  static final class List extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Override
    void run() {
      printList(api().list(tenant.path() + "/clusters"), TABLE);
    }
  }

  @Command(name = "rotate-credential", mixinStandardHelpOptions = true,
      description = {"Replace a cluster's webhook credential; the old one is refused from the next review on.",
          "The new one is printed now and never again, with the webhook kubeconfig holding it, the kube-apiserver"
              + " flags and AuthenticationConfiguration."})
  static final class RotateCredential extends ClusterFilesCommand {
    @Parameters(paramLabel = "NAME", description = "Cluster name.")
    String name;

    @Override
    void run() {
      ApiClient api = api();
      requireClient(api);
      show(api, api.post(tenant.path() + "/clusters/" + ApiClient.seg(name) + "/credential", null));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a cluster; its webhook credential stops working at once.")
  static final class Delete extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "NAME", description = "Cluster name.")
    String name;

    @Override
    void run() {
      api().delete(tenant.path() + "/clusters/" + ApiClient.seg(name));
      done("Deleted cluster " + name + ".");
    }
  }
}
