package dev.lanyard.idp.cli.remote;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanyard cluster list|add|delete}: Kubernetes clusters calling the TokenReview webhook. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Register Kubernetes clusters with a tenant.",
    subcommands = {ClusterCommand.List.class, ClusterCommand.Add.class, ClusterCommand.Delete.class})
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

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Register a cluster. Its webhook credential (lyw_...) is printed now and never again.")
  static final class Add extends RemoteCommand {
    @Mixin
    TenantOption tenant;

    @Parameters(paramLabel = "NAME", description = "Cluster name: lower-case letters, digits, '.' and '-'.")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "Description.")
    String description;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
        description = "Also write the kube-apiserver's webhook kubeconfig (TokenReview URL, CA data from --cacert, credential) to FILE (0600).")
    Path kubeconfig;

    @Override
    void run() {
      ApiClient api = api();
      JsonObject body = new JsonObject().put("name", name);
      if (description != null) body.put("description", description);
      JsonObject cluster = api.post(tenant.path() + "/clusters", body);
      printOne(cluster);
      if (kubeconfig != null) {
        WebhookKubeconfig.write(kubeconfig, WebhookKubeconfig.render(api.server(), tenant.tenant, name,
            cluster.getString("credential"), settings().cacert()));
        if (!json()) err().println("Wrote " + kubeconfig + "; kube-apiserver flags: " + WebhookKubeconfig.flags(kubeconfig));
      }
      if (!json()) {
        err().println("The credential is shown only now. The kube-apiserver's webhook calls "
            + api.server() + "/t/" + tenant.tenant + "/tokenreview with it as a bearer token.");
      }
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
