package dev.lanyard.idp.cli.remote;

import dev.lanyard.idp.cli.OnboardingFiles;
import dev.lanyard.idp.k8s.ClusterOnboarding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A command that makes a cluster's webhook credential ({@code cluster add}, {@code cluster rotate-credential})
 * and shows it with the files that connect the cluster. The server builds the files
 * ({@code POST .../onboarding}, {@link ClusterOnboarding}): they name Lanyard's configured public URL and CA,
 * which the URL this command connected to need not be.
 */
abstract class ClusterFilesCommand extends RemoteCommand {
  @Mixin
  TenantOption tenant;

  @Option(names = "--out-dir", paramLabel = "DIR",
      description = "Write the webhook kubeconfig (0600), kube-apiserver flags and AuthenticationConfiguration files here"
          + " instead of printing them.")
  Path outDir;

  @Option(names = "--client-id", paramLabel = "ID",
      description = "OAuth client whose ID tokens the API server accepts (default: kubernetes).")
  String clientId;

  /** Fails before anything changes when {@code --client-id} names no client of the tenant. */
  void requireClient(ApiClient api) {
    if (clientId != null) api.get(tenant.path() + "/clients/" + ApiClient.seg(clientId));
  }

  /**
   * Shows {@code cluster} (the API's answer holding the new {@code credential}, which no later answer
   * repeats) and its files: the cluster's fields, then each file; with {@code -o json} one object, the
   * cluster's fields plus {@code issuer}, {@code webhookUrl} and {@code files}.
   */
  void show(ApiClient api, JsonObject cluster) {
    JsonObject request = new JsonObject().put("credential", cluster.getString("credential"));
    if (clientId != null) request.put("clientId", clientId);
    JsonObject onboarding;
    try {
      onboarding = api.post(tenant.path() + "/clusters/" + ApiClient.seg(cluster.getString("id")) + "/onboarding",
          request);
    } catch (RemoteException e) {
      printOne(cluster); // the credential is in no later answer
      throw new RemoteException("the cluster's files could not be made: " + e.getMessage());
    }
    List<ClusterOnboarding.File> files = files(onboarding);
    if (files == null) {
      printOne(cluster);
      throw new RemoteException("the cluster's files could not be made: the server's answer lists no files");
    }
    if (outDir != null) {
      try {
        OnboardingFiles.write(files, outDir, err());
      } catch (IOException e) {
        throw new RemoteException("cannot write to " + outDir + ": " + e.getMessage());
      }
    }
    if (json()) {
      out().println(cluster.copy().put("issuer", onboarding.getString("issuer"))
          .put("webhookUrl", onboarding.getString("webhookUrl")).put("files", onboarding.getJsonArray("files"))
          .encodePrettily());
      return;
    }
    printOne(cluster);
    if (outDir == null) {
      OnboardingFiles.print(files, out());
    } else {
      files.stream().filter(f -> f.name().equals(ClusterOnboarding.FLAGS_FILE))
          .forEach(f -> err().print(f.content()));
    }
    err().println("The credential is shown only now; put " + ClusterOnboarding.WEBHOOK_KUBECONFIG
        + " on the cluster's control plane.");
  }

  /** The files of an onboarding answer; null when it has none in the expected shape (another server version). */
  private static List<ClusterOnboarding.File> files(JsonObject onboarding) {
    if (!(onboarding.getValue("files") instanceof JsonArray list) || list.isEmpty()) return null;
    List<ClusterOnboarding.File> files = new java.util.ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof JsonObject f) || f.getString("name") == null || f.getString("content") == null) return null;
      files.add(new ClusterOnboarding.File(f.getString("name"), f.getString("title"), f.getString("content"),
          f.getBoolean("secret", true)));
    }
    return files;
  }
}
