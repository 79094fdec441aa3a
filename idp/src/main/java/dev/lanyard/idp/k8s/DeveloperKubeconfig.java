package dev.lanyard.idp.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A developer's kubeconfig for a cluster that trusts a Lanyard tenant as its OIDC issuer: the cluster entry
 * names the API server, the user entry runs kubelogin ({@code kubectl oidc-login get-token}) as an exec
 * credential plugin, which logs in through the browser (authorization code + PKCE on a loopback redirect) or,
 * with {@code deviceCode}, shows a code to type on another machine, and caches and refreshes the ID token.
 *
 * @param issuer the tenant's issuer URL
 * @param clientId the public OAuth client kubelogin uses (the API server's {@code --oidc-client-id})
 * @param issuerCaPem the CA Lanyard's serving certificate chains to, or null when a public CA signed it
 * @param clusterName the name of the cluster, context and user entries
 * @param clusterServer the API server's URL
 * @param clusterCaPem the API server's CA, or null to leave it to the system's trust store
 * @param deviceCode use the device authorization grant instead of a browser on this machine
 */
public record DeveloperKubeconfig(String issuer, String clientId, String issuerCaPem, String clusterName,
    String clusterServer, String clusterCaPem, boolean deviceCode) {
  /** Asked for besides {@code openid}: the claims the API server maps, and a refresh token. */
  public static final List<String> EXTRA_SCOPES = List.of("email", "profile", "groups", "offline_access");

  public DeveloperKubeconfig {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(clusterServer, "clusterServer");
  }

  /** kubelogin's arguments after {@code kubectl}. */
  public List<String> kubeloginArgs() {
    List<String> args = new ArrayList<>(List.of("oidc-login", "get-token",
        "--oidc-issuer-url=" + issuer, "--oidc-client-id=" + clientId));
    EXTRA_SCOPES.forEach(scope -> args.add("--oidc-extra-scope=" + scope));
    if (issuerCaPem != null) args.add("--certificate-authority-data=" + KubeconfigYaml.base64(issuerCaPem));
    if (deviceCode) args.add("--grant-type=device-code");
    return args;
  }

  public String yaml() {
    String user = "oidc-" + clusterName;
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("server", clusterServer);
    if (clusterCaPem != null) cluster.put("certificate-authority-data", KubeconfigYaml.base64(clusterCaPem));
    Map<String, Object> exec = new LinkedHashMap<>();
    exec.put("apiVersion", "client.authentication.k8s.io/v1");
    exec.put("command", "kubectl");
    exec.put("args", kubeloginArgs());
    // kubelogin needs the terminal only for the device code it prints (and a password prompt, never used here).
    exec.put("interactiveMode", "IfAvailable");
    exec.put("provideClusterInfo", false);
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("cluster", clusterName);
    context.put("user", user);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiVersion", "v1");
    config.put("kind", "Config");
    config.put("clusters", List.of(KubeconfigYaml.named(clusterName, "cluster", cluster)));
    config.put("users", List.of(KubeconfigYaml.named(user, "user", Map.of("exec", exec))));
    config.put("contexts", List.of(KubeconfigYaml.named(clusterName, "context", context)));
    config.put("current-context", clusterName);
    return "# kubeconfig for cluster '" + clusterName + "': kubectl logs in through Lanyard (" + issuer + ")\n"
        + "# with kubelogin (kubectl oidc-login), " + (deviceCode
            ? "showing a code to enter at " + issuer + "/device from any browser.\n"
            : "opening the login page in your browser.\n")
        + "# Needs kubectl and the kubelogin plugin (kubectl-oidc_login) on your PATH.\n"
        + KubeconfigYaml.write(config);
  }
}
