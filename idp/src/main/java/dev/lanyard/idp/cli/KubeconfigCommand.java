package dev.lanyard.idp.cli;

import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.k8s.DeveloperKubeconfig;
import dev.lanyard.idp.tenants.TenantIds;
import dev.lanyard.idp.tls.ServingCa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lanyard kubeconfig --tenant T --cluster-server URL [--device-code]}: prints a developer's kubeconfig
 * whose user logs in through the tenant with kubelogin. Reads only the configuration (the public URL) and the
 * generated CA; it needs no database and runs whether Lanyard is up or not.
 */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true,
    description = "Print a developer kubeconfig whose user logs in through a Lanyard tenant with kubelogin "
        + "(kubectl oidc-login): browser login, or --device-code for machines without one.")
public final class KubeconfigCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--tenant", paramLabel = "T", description = "The tenant (default: bootstrap.tenant).")
  String tenant;

  @Option(names = "--cluster-server", required = true, paramLabel = "URL",
      description = "The cluster's API server URL, e.g. https://10.0.0.1:6443.")
  String clusterServer;

  @Option(names = "--cluster-name", paramLabel = "NAME",
      description = "Name of the cluster, context and user entries (default: the tenant).")
  String clusterName;

  @Option(names = "--cluster-ca", paramLabel = "FILE",
      description = "The API server's CA certificate (PEM), put inline; default: the system's trust store.")
  Path clusterCa;

  @Option(names = "--client-id", paramLabel = "ID",
      description = "Public OAuth client kubelogin uses (default: bootstrap.clientId).")
  String clientId;

  @Option(names = "--device-code",
      description = "Log in with the device authorization grant: kubelogin shows a code to enter in any browser.")
  boolean deviceCode;

  @Option(names = "--issuer-ca", paramLabel = "FILE",
      description = "CA of Lanyard's serving certificate (default: tls.caFile, else the generated one in the data "
          + "directory, if any).")
  Path issuerCa;

  @Override
  public Integer call() {
    LanyardConfig config = options.load(Map.of());
    String tenantId = tenant != null ? tenant : config.bootstrap().tenant();
    if (!TenantIds.isValid(tenantId)) throw new IllegalArgumentException("--tenant: not a valid tenant id: " + tenantId);
    String server = clusterServer.trim();
    if (!server.startsWith("https://") || server.length() <= "https://".length()) {
      throw new IllegalArgumentException("--cluster-server: an https:// URL of the API server is needed");
    }
    DeveloperKubeconfig kubeconfig = new DeveloperKubeconfig(config.publicUrl() + "/t/" + tenantId,
        clientId != null ? clientId : config.bootstrap().clientId(), issuerCaPem(config),
        clusterName != null ? clusterName : tenantId, server, clusterCa == null ? null : readPem(clusterCa),
        deviceCode);
    System.out.print(kubeconfig.yaml());
    return 0;
  }

  private String issuerCaPem(LanyardConfig config) {
    if (issuerCa != null) return readPem(issuerCa);
    Path file = ServingCa.file(config);
    if (file == null) return null;
    if (!config.tls().caFile().isEmpty() || Files.isRegularFile(file)) return ServingCa.pem(file);
    System.err.println("lanyard: note: no generated CA at " + file + " yet (start Lanyard once, or pass "
        + "--issuer-ca); kubelogin will then trust only the system's CAs");
    return null;
  }

  private static String readPem(Path file) {
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
        throw new IllegalArgumentException(file + " is not a PEM certificate");
      }
      return pem;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
    }
  }
}
