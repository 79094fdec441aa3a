package dev.lanyard.idp.cli.remote;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * The kube-apiserver's {@code --authentication-token-webhook-config-file}: a kubeconfig whose cluster is
 * Lanyard's TokenReview endpoint for one tenant (CA data from {@code --cacert}) and whose user is the cluster's
 * webhook credential. Written 0600, since it holds the credential.
 */
final class WebhookKubeconfig {
  private WebhookKubeconfig() {}

  static String render(String server, String tenant, String cluster, String credential, Path cacert) {
    StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n- name: lanyard\n  cluster:\n");
    y.append("    server: ").append(quote(server + "/t/" + tenant + "/tokenreview")).append('\n');
    if (cacert != null) {
      try {
        y.append("    certificate-authority-data: ")
            .append(Base64.getEncoder().encodeToString(Files.readAllBytes(cacert))).append('\n');
      } catch (IOException e) {
        throw new RemoteException("cannot read CA certificate " + cacert + ": " + e.getMessage());
      }
    }
    y.append("users:\n- name: ").append(quote(cluster)).append("\n  user:\n    token: ").append(quote(credential)).append('\n');
    y.append("contexts:\n- name: webhook\n  context:\n    cluster: lanyard\n    user: ").append(quote(cluster)).append('\n');
    y.append("current-context: webhook\n");
    return y.toString();
  }

  static void write(Path file, String yaml) {
    try {
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new RemoteException("cannot write " + file + ": " + e.getMessage());
    }
  }

  /** The kube-apiserver flags for this file; a short cache TTL, since revocation waits for it. */
  static String flags(Path file) {
    return "--authentication-token-webhook-config-file=" + file.toAbsolutePath()
        + " --authentication-token-webhook-version=v1 --authentication-token-webhook-cache-ttl=10s";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
