package dev.lanyard.idp.cli.remote;

import dev.lanyard.idp.cli.ClusterAddCommand;
import dev.lanyard.idp.crypto.SecureFiles;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanyard cluster add --tenant T NAME}: registers a cluster through the admin API and prints its webhook
 * credential once; {@code --out-dir} also writes the webhook kubeconfig (0600), the kube-apiserver flags and
 * the AuthenticationConfiguration files ({@link ClusterOnboarding}, as the offline command does). With
 * {@code --data-dir} or {@code --config} it is the offline command instead ({@link ClusterAddCommand},
 * Lanyard stopped).
 */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = {"Register a cluster. Its webhook credential (lyw_...) is printed now and never again.",
        "Through the admin API by default; with --data-dir or --config on a stopped Lanyard's data directory."})
final class ClusterAdd extends RemoteCommand {
  @Mixin
  TenantOption tenant;

  @Parameters(paramLabel = "NAME", description = "Cluster name: lower-case letters, digits, '.' and '-'.")
  String name;

  @Option(names = "--description", paramLabel = "TEXT", description = "Description.")
  String description;

  @Option(names = "--out-dir", paramLabel = "DIR",
      description = "Write the webhook kubeconfig (0600), kube-apiserver flags and AuthenticationConfiguration files here.")
  Path outDir;

  @Option(names = "--client-id", paramLabel = "ID", defaultValue = "kubernetes",
      description = "OAuth client whose ID tokens the API server accepts (default: ${DEFAULT-VALUE}).")
  String clientId;

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
    if (clientCertificate) throw new RemoteException("--client-certificate needs --data-dir (Lanyard stopped)");
    Settings settings = settings();
    ApiClient api = api();
    JsonObject body = new JsonObject().put("name", name);
    if (description != null) body.put("description", description);
    JsonObject cluster = api.post(tenant.path() + "/clusters", body);
    printOne(cluster);
    if (outDir != null) {
      JsonObject settingsOfTenant = api.get(tenant.path()).getJsonObject("settings", new JsonObject());
      String usernameClaim = "email".equals(settingsOfTenant.getString("usernameFrom")) ? "email" : "preferred_username";
      write(new ClusterOnboarding(api.server(), tenant.tenant, name, cluster.getString("credential"),
          caPem(settings.cacert()), null, clientId, usernameClaim));
    } else if (!json()) {
      err().println("The credential is shown only now. The kube-apiserver's webhook calls " + api.server() + "/t/"
          + tenant.tenant + "/tokenreview with it; --out-dir DIR writes the webhook kubeconfig and flags.");
    }
  }

  private void write(ClusterOnboarding onboarding) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(ClusterOnboarding.WEBHOOK_KUBECONFIG, onboarding.webhookKubeconfig());
    files.put(ClusterOnboarding.FLAGS_FILE, onboarding.apiServerFlags());
    for (String version : new String[] {ClusterOnboarding.V1BETA1, ClusterOnboarding.V1}) {
      files.put(ClusterOnboarding.authenticationConfigurationFile(version), onboarding.authenticationConfiguration(version));
    }
    if (onboarding.caPem() != null) files.put(ClusterOnboarding.CA_FILE, onboarding.caPem());
    try {
      Files.createDirectories(outDir);
      for (var e : files.entrySet()) {
        SecureFiles.writeAtomically(outDir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8),
            e.getKey().equals(ClusterOnboarding.WEBHOOK_KUBECONFIG) ? SecureFiles.OWNER_ONLY : SecureFiles.WORLD_READABLE);
        err().println("wrote " + outDir.resolve(e.getKey()));
      }
    } catch (IOException e) {
      throw new RemoteException("cannot write to " + outDir + ": " + e.getMessage());
    }
    if (!json()) err().print(onboarding.apiServerFlags());
  }

  private static String caPem(Path cacert) {
    if (cacert == null) return null;
    try {
      return Files.readString(cacert, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new RemoteException("cannot read CA certificate " + cacert + ": " + e.getMessage());
    }
  }

  /** The offline command with the same arguments; its failures reach Main's handler as they would directly. */
  private void offline() {
    if (remote.server != null || remote.token != null) {
      throw new RemoteException("--data-dir/--config register offline; drop --server and --token");
    }
    List<String> args = new ArrayList<>(List.of("--tenant", tenant.tenant, name));
    if (description != null) args.addAll(List.of("--description", description));
    if (outDir != null) args.addAll(List.of("--out-dir", outDir.toString()));
    if (!"kubernetes".equals(clientId)) args.addAll(List.of("--client-id", clientId));
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
