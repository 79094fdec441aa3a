package dev.lanyard.idp.k8s;

import dev.lanyard.idp.bootstrap.ApiServerFlags;
import dev.lanyard.idp.tls.IssuedCertificate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an operator pastes into a cluster's control plane to trust a Lanyard tenant, for one registered
 * cluster: the webhook kubeconfig, the kube-apiserver flags for the OIDC and webhook paths, and a structured
 * {@code AuthenticationConfiguration} for the JWT path (apiserver.config.k8s.io {@code v1beta1}, Kubernetes
 * 1.30-1.33, and {@code v1}, 1.34+). YAML is written by
 * {@link KubeconfigYaml}.
 *
 * <p>The files are expected in {@value #CONTROL_PLANE_DIR} on the control plane; the flags name them there.
 *
 * @param publicUrl Lanyard's public base URL, no trailing slash
 * @param credential the cluster's webhook bearer credential ({@code lyw_...}); null to use only a certificate,
 *     or, with no certificate either, to leave the webhook kubeconfig out
 * @param caPem the CA Lanyard's serving certificate chains to (PEM), or null when a public CA signed it
 * @param clientCertificate a client certificate issued to the cluster for the webhook, or null
 * @param clientId the OAuth client id ID tokens are issued to (the audience the API server checks)
 * @param usernameClaim {@link ApiServerFlags#usernameClaim}: {@code preferred_username}, or {@code email} for
 *     tenants that name users by email
 */
public record ClusterOnboarding(String publicUrl, String tenantId, String clusterName, String credential,
    String caPem, IssuedCertificate clientCertificate, String clientId, String usernameClaim) {
  public static final String CONTROL_PLANE_DIR = "/etc/kubernetes/lanyard";
  public static final String WEBHOOK_KUBECONFIG = "webhook-kubeconfig.yaml";
  public static final String CA_FILE = "ca.pem";
  public static final String FLAGS_FILE = "kube-apiserver-flags.txt";
  public static final String V1BETA1 = "apiserver.config.k8s.io/v1beta1";
  public static final String V1 = "apiserver.config.k8s.io/v1";
  /**
   * The API server caches allow and deny answers for this long, so revocation takes at most this long; the
   * default (2m) would keep a revoked token working for two minutes.
   */
  public static final String WEBHOOK_CACHE_TTL = "10s";
  /** Said where users are named by email: robots' ID tokens carry only {@code preferred_username}. */
  static final String ROBOTS_USE_THE_WEBHOOK =
      "Robots' ID tokens carry no email address: robots of this tenant authenticate through the webhook only.";

  public ClusterOnboarding {
    Objects.requireNonNull(publicUrl, "publicUrl");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(usernameClaim, "usernameClaim");
  }

  /** One file to put on the control plane (or hand to a developer); {@code secret} ones are written 0600. */
  public record File(String name, String title, String content, boolean secret) {}

  /**
   * Every file, in the order an operator reads them: the webhook kubeconfig (when there is a credential or
   * certificate to put in it), the flags, the AuthenticationConfiguration for each version and Lanyard's CA
   * (when there is one).
   */
  public List<File> files() {
    List<File> files = new ArrayList<>();
    if (hasWebhookCredential()) files.add(new File(WEBHOOK_KUBECONFIG, "Webhook kubeconfig", webhookKubeconfig(), true));
    files.add(new File(FLAGS_FILE, "kube-apiserver flags", apiServerFlags(), false));
    for (String v : new String[] {V1, V1BETA1}) {
      files.add(new File(authenticationConfigurationFile(v),
          "AuthenticationConfiguration (Kubernetes " + kubernetesVersions(v) + ")", authenticationConfiguration(v), false));
    }
    if (caPem != null) files.add(new File(CA_FILE, "Lanyard CA certificate", caPem, false));
    return List.copyOf(files);
  }

  private boolean hasWebhookCredential() {
    return credential != null || clientCertificate != null;
  }

  public String issuer() {
    return publicUrl + "/t/" + tenantId;
  }

  /** The URL the API server posts TokenReviews to (it appends {@code ?timeout=30s} itself). */
  public String webhookUrl() {
    return issuer() + "/tokenreview";
  }

  /**
   * The kubeconfig for {@code --authentication-token-webhook-config-file}: {@code clusters[0]} is Lanyard
   * (server = the tenant's webhook, CA inline), {@code users[0]} the API server's credential (token and/or
   * client certificate, inline). It holds a secret: mode 0600 on disk.
   */
  public String webhookKubeconfig() {
    if (!hasWebhookCredential()) throw new IllegalStateException("no webhook credential or client certificate");
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("server", webhookUrl());
    if (caPem != null) cluster.put("certificate-authority-data", KubeconfigYaml.base64(caPem));
    Map<String, Object> user = new LinkedHashMap<>();
    if (credential != null) user.put("token", credential);
    if (clientCertificate != null) {
      user.put("client-certificate-data", KubeconfigYaml.base64(clientCertificate.certificatePem()));
      user.put("client-key-data", KubeconfigYaml.base64(clientCertificate.privateKeyPem()));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiVersion", "v1");
    config.put("kind", "Config");
    config.put("clusters", List.of(KubeconfigYaml.named("lanyard", "cluster", cluster)));
    config.put("users", List.of(KubeconfigYaml.named("kube-apiserver", "user", user)));
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("cluster", "lanyard");
    context.put("user", "kube-apiserver");
    config.put("contexts", List.of(KubeconfigYaml.named("webhook", "context", context)));
    config.put("current-context", "webhook");
    return "# TokenReview webhook of Lanyard tenant '" + tenantId + "' for cluster '" + clusterName + "'.\n"
        + "# Holds a secret: copy to " + CONTROL_PLANE_DIR + "/" + WEBHOOK_KUBECONFIG + " with mode 0600.\n"
        + KubeconfigYaml.write(config);
  }

  /** OIDC flags (via {@link ApiServerFlags}), with {@code --oidc-ca-file} on the control plane when there is a CA. */
  public List<String> oidcFlags() {
    return ApiServerFlags.oidc(issuer(), clientId,
        caPem == null ? null : Path.of(CONTROL_PLANE_DIR, CA_FILE), usernameClaim);
  }

  /** Webhook flags: the kubeconfig above, the v1 protocol and a short cache TTL. */
  public List<String> webhookFlags() {
    return List.of(
        "--authentication-token-webhook-config-file=" + CONTROL_PLANE_DIR + "/" + WEBHOOK_KUBECONFIG,
        "--authentication-token-webhook-version=v1",
        "--authentication-token-webhook-cache-ttl=" + WEBHOOK_CACHE_TTL);
  }

  /** Both sets of flags, with comments ({@code #} lines) that say which file goes where. */
  public String apiServerFlags() {
    List<String> lines = new ArrayList<>();
    lines.add("# kube-apiserver flags for Lanyard tenant '" + tenantId + "', cluster '" + clusterName + "'.");
    lines.add("#");
    lines.add("# OIDC path: ID tokens from kubelogin." + (caPem == null ? ""
        : " Copy Lanyard's CA to " + CONTROL_PLANE_DIR + "/" + CA_FILE + "."));
    lines.add("# On Kubernetes 1.30+ you may instead copy the authentication-config-*.yaml for your version to "
        + CONTROL_PLANE_DIR + "/");
    lines.add("# and use --authentication-config=" + CONTROL_PLANE_DIR + "/authentication-config-v1.yaml (or -v1beta1);"
        + " it cannot be combined");
    lines.add("# with the --oidc-* flags.");
    if (ApiServerFlags.EMAIL.equals(usernameClaim)) {
      lines.add("# Users are named by their email address: the API server refuses ID tokens whose email_verified is");
      lines.add("# false, as the AuthenticationConfiguration's rule does.");
      lines.add("# " + ROBOTS_USE_THE_WEBHOOK);
    }
    lines.addAll(oidcFlags());
    lines.add("");
    lines.add("# Webhook path: revocable Lanyard tokens (lyk_...). Copy " + WEBHOOK_KUBECONFIG + " to "
        + CONTROL_PLANE_DIR + "/.");
    lines.add("# The API server caches allow and deny answers for the cache TTL, so revocation latency equals that");
    lines.add("# TTL (" + WEBHOOK_CACHE_TTL + " here; the default 2m would keep a revoked token working for two minutes).");
    lines.addAll(webhookFlags());
    return String.join("\n", lines) + "\n";
  }

  /**
   * The structured authentication configuration trusting the tenant as a JWT issuer: audience = the client
   * id, the CA inline, {@code claimMappings} with explicit (empty) prefixes so usernames match the webhook
   * path's, rules reserving the {@code system:} prefix and, when users are named by email, a rule refusing
   * unverified email addresses.
   *
   * @param apiVersion {@link #V1BETA1} or {@link #V1}
   */
  public String authenticationConfiguration(String apiVersion) {
    if (!V1BETA1.equals(apiVersion) && !V1.equals(apiVersion)) {
      throw new IllegalArgumentException("apiVersion: " + V1BETA1 + " or " + V1);
    }
    Map<String, Object> issuer = new LinkedHashMap<>();
    issuer.put("url", issuer());
    issuer.put("audiences", List.of(clientId));
    if (caPem != null) issuer.put("certificateAuthority", caPem);
    Map<String, Object> claimMappings = new LinkedHashMap<>();
    claimMappings.put("username", mapping(usernameClaim, ""));
    claimMappings.put("groups", mapping("groups", ""));
    claimMappings.put("uid", Map.of("claim", "sub"));
    Map<String, Object> jwt = new LinkedHashMap<>();
    jwt.put("issuer", issuer);
    if (ApiServerFlags.EMAIL.equals(usernameClaim)) {
      // The --oidc-* flags and the webhook check email_verified only when the email is the username; elsewhere
      // users with unverified addresses (the default, and kubelogin always asks for the email scope) must pass.
      jwt.put("claimValidationRules", List.of(rule(
          "!has(claims.email) || (has(claims.email_verified) && claims.email_verified == true)",
          "the email address is not verified")));
    }
    jwt.put("claimMappings", claimMappings);
    jwt.put("userValidationRules", List.of(
        rule("!user.username.startsWith('system:')", "usernames with the system: prefix are reserved"),
        rule("user.groups.all(group, !group.startsWith('system:'))", "groups with the system: prefix are reserved")));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiVersion", apiVersion);
    config.put("kind", "AuthenticationConfiguration");
    config.put("jwt", List.of(jwt));
    String header = "# --authentication-config for Kubernetes " + kubernetesVersions(apiVersion) + ": trusts Lanyard tenant '"
        + tenantId + "' as a JWT issuer.\n";
    if (ApiServerFlags.EMAIL.equals(usernameClaim)) {
      header += "# Users are named by their verified email address.\n# " + ROBOTS_USE_THE_WEBHOOK + "\n";
    } else {
      header += "# Users are named by preferred_username, so email_verified is not checked (as with the --oidc-* flags);\n"
          + "# a tenant that names users by email gets a claimValidationRule refusing unverified addresses.\n";
    }
    return header + KubeconfigYaml.write(config);
  }

  private static String kubernetesVersions(String apiVersion) {
    return V1.equals(apiVersion) ? "1.34+" : "1.30-1.33";
  }

  /** File name for {@link #authenticationConfiguration}: {@code authentication-config-v1.yaml} and so on. */
  public static String authenticationConfigurationFile(String apiVersion) {
    return "authentication-config-" + apiVersion.substring(apiVersion.lastIndexOf('/') + 1) + ".yaml";
  }

  private static Map<String, Object> mapping(String claim, String prefix) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("claim", claim);
    m.put("prefix", prefix); // required by the API server when the claim is set, even if empty
    return m;
  }

  private static Map<String, Object> rule(String expression, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("expression", expression);
    m.put("message", message);
    return m;
  }
}
