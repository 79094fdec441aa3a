package dev.lanyard.idp.cli.remote;

import dev.lanyard.idp.cli.ClusterAddCommand;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanyard cluster add --tenant T NAME}: registers a cluster through the admin API and prints its webhook
 * credential once, with the webhook kubeconfig, the kube-apiserver flags and the AuthenticationConfiguration
 * files ({@link ClusterFilesCommand}); {@code --out-dir} writes the files instead. With {@code --data-dir} or
 * {@code --config} it is the offline command instead ({@link ClusterAddCommand}, Lanyard stopped).
 */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = {"Register a cluster. Its webhook credential (lyw_...) is printed now and never again, with the webhook"
        + " kubeconfig, kube-apiserver flags and AuthenticationConfiguration that connect the cluster.",
        "Through the admin API by default; with --data-dir or --config on a stopped Lanyard's data directory."})
final class ClusterAdd extends ClusterFilesCommand {
  @Parameters(paramLabel = "NAME", description = "Cluster name: lower-case letters, digits, '.' and '-'.")
  String name;

  @Option(names = "--description", paramLabel = "TEXT", description = "Description.")
  String description;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Offline: the stopped Lanyard's data directory.")
  Path dataDir;

  @Option(names = "--config", paramLabel = "FILE", description = "Offline: the stopped Lanyard's configuration file.")
  Path config;

  @Option(names = "--client-certificate", description = "Offline: also issue a TLS client certificate from Lanyard's CA.")
  boolean clientCertificate;

  @Override
  void run() {
    if (dataDir != null || config != null) {
      offline();
      return;
    }
    if (clientCertificate) throw usage("--client-certificate needs --data-dir (Lanyard stopped)");
    ApiClient api = api();
    requireClient(api);
    JsonObject body = new JsonObject().put("name", name);
    if (description != null) body.put("description", description);
    show(api, api.post(tenant.path() + "/clusters", body));
  }

  /** The offline command with the same arguments; its failures reach Main's handler as they would directly. */
  private void offline() {
    if (remote.server != null || remote.token != null) {
      throw usage("--data-dir/--config register offline; drop --server and --token");
    }
    if (json()) throw usage("-o json needs the admin API; --data-dir/--config print the files as text or write them with --out-dir");
    List<String> args = new ArrayList<>(List.of("--tenant", tenant.tenant, name));
    if (description != null) args.addAll(List.of("--description", description));
    if (outDir != null) args.addAll(List.of("--out-dir", outDir.toString()));
    if (clientId != null) args.addAll(List.of("--client-id", clientId));
    if (clientCertificate) args.add("--client-certificate");
    if (dataDir != null) args.addAll(List.of("--data-dir", dataDir.toString()));
    if (config != null) args.addAll(List.of("--config", config.toString()));
    CommandLine cli = new CommandLine(new ClusterAddCommand());
    cli.parseArgs(args.toArray(String[]::new));
    try {
      ((Callable<?>) cli.getCommand()).call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
