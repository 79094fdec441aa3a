package dev.lanyard.idp.cli;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.bootstrap.ApiServerFlags;
import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import dev.lanyard.idp.k8s.ClusterService;
import dev.lanyard.idp.tls.LocalCertificateAuthority;
import dev.lanyard.idp.tls.ServingCa;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.model.Tenant;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanyard cluster add --tenant T NAME}: registers a cluster on a stopped Lanyard's data directory,
 * creates its webhook credential and prints (or writes to {@code --out-dir}) the webhook kubeconfig, the
 * kube-apiserver flags for the OIDC and webhook paths and the AuthenticationConfiguration files. The
 * credential is shown only now.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = "Register a cluster with a tenant (Lanyard stopped), create its webhook credential and print "
        + "the webhook kubeconfig, kube-apiserver flags and AuthenticationConfiguration (v1beta1 and v1).")
public final class ClusterAddCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--tenant", required = true, paramLabel = "T", description = "The tenant.")
  String tenant;

  @Parameters(paramLabel = "NAME", description = "Cluster name: lower-case letters, digits, '-' and '.'.")
  String name;

  @Option(names = "--description", paramLabel = "TEXT", description = "Free text shown in listings.")
  String description;

  @Option(names = "--out-dir", paramLabel = "DIR",
      description = "Write the files here (the kubeconfig with mode 0600) instead of printing them.")
  Path outDir;

  @Option(names = "--client-id", paramLabel = "ID",
      description = "OAuth client whose ID tokens the API server accepts (default: bootstrap.clientId).")
  String clientId;

  @Option(names = "--client-certificate",
      description = "Also issue a TLS client certificate from Lanyard's CA and put it in the webhook kubeconfig.")
  boolean clientCertificate;

  @Override
  public Integer call() {
    LanyardConfig config = options.load(Map.of());
    String actor = "cli:" + System.getProperty("user.name", "unknown");
    Clock clock = Clock.systemUTC();
    try (OfflineLanyard lanyard = new OfflineLanyard(config)) {
      Tenant found = lanyard.storage.transactionBlocking(s -> s.tenants().find(tenant))
          .orElseThrow(() -> new IllegalArgumentException("no tenant " + tenant));
      LocalCertificateAuthority ca = generatedCa(config, clock);
      // Refused before anything is written: a registered cluster whose credential was never shown is of no use,
      // and it would hold the name against a second try.
      if (clientCertificate && ca == null) {
        throw new IllegalArgumentException("--client-certificate needs Lanyard's generated CA: with tls.certFile"
            + " set, Lanyard does not verify client certificates; the webhook credential alone authenticates");
      }
      ClusterService clusters = new ClusterService(lanyard.storage, new AuditLog(clock), clock);
      ClusterService.Registered registered = clusters.register(tenant, name, description,
          clientCertificate ? ca : null, Duration.ofDays(365), actor, null).await();
      ClusterOnboarding onboarding = new ClusterOnboarding(config.publicUrl(), tenant, name, registered.credential(),
          ServingCa.pem(ServingCa.file(config)), registered.certificate(),
          clientId != null ? clientId : config.bootstrap().clientId(), ApiServerFlags.usernameClaim(found.settings()));
      output(onboarding);
      return 0;
    } catch (NotFoundException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private void output(ClusterOnboarding onboarding) {
    PrintWriter out = new PrintWriter(System.out, true);
    out.println("Registered cluster '" + name + "' in tenant '" + tenant + "'. Its webhook credential is "
        + "in " + ClusterOnboarding.WEBHOOK_KUBECONFIG + " and is shown only now.");
    if (outDir == null) {
      OnboardingFiles.print(onboarding.files(), out);
      return;
    }
    try {
      OnboardingFiles.write(onboarding.files(), outDir, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + outDir, e);
    }
    out.println();
    out.print(onboarding.apiServerFlags());
    out.flush();
  }

  /** Lanyard's own CA when it generates its TLS files (created now if Lanyard never started), else null. */
  private static LocalCertificateAuthority generatedCa(LanyardConfig config, Clock clock) {
    if (!config.tls().enabled() || !config.tls().certFile().isEmpty()) return null;
    return LocalCertificateAuthority.loadOrCreate(tlsDir(config), clock);
  }

  private static Path tlsDir(LanyardConfig config) {
    return config.dataPath().resolve("tls");
  }
}
