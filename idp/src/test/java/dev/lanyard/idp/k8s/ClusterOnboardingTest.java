package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lanyard.idp.tls.IssuedCertificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The onboarding files without a generated CA, with a client certificate, and for tenants naming users by email. */
class ClusterOnboardingTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void publicCaCertificateOnlyEmailUsernames() throws Exception {
    IssuedCertificate cert = new IssuedCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n");
    ClusterOnboarding o = new ClusterOnboarding("https://id.example.com", "team-a", "prod", null, null, cert,
        "kubectl", "email");
    JsonNode kubeconfig = YAML.readTree(o.webhookKubeconfig());
    JsonNode cluster = kubeconfig.path("clusters").get(0).path("cluster");
    assertThat(cluster.path("server").asText()).isEqualTo("https://id.example.com/t/team-a/tokenreview");
    assertThat(cluster.has("certificate-authority-data")).isFalse();
    JsonNode user = kubeconfig.path("users").get(0).path("user");
    assertThat(user.has("token")).isFalse();
    assertThat(new String(Base64.getDecoder().decode(user.path("client-certificate-data").asText())))
        .isEqualTo(cert.certificatePem());
    assertThat(new String(Base64.getDecoder().decode(user.path("client-key-data").asText())))
        .isEqualTo(cert.privateKeyPem());

    assertThat(o.oidcFlags()).noneMatch(f -> f.startsWith("--oidc-ca-file"))
        .contains("--oidc-issuer-url=https://id.example.com/t/team-a", "--oidc-client-id=kubectl");
    assertThat(o.apiServerFlags()).doesNotContain("ca.pem");

    JsonNode jwt = YAML.readTree(o.authenticationConfiguration(ClusterOnboarding.V1)).path("jwt").get(0);
    assertThat(jwt.path("issuer").has("certificateAuthority")).isFalse();
    assertThat(jwt.path("issuer").path("audiences").get(0).asText()).isEqualTo("kubectl");
    assertThat(jwt.path("claimMappings").path("username").path("claim").asText()).isEqualTo("email");
    assertThat(ClusterOnboarding.authenticationConfigurationFile(ClusterOnboarding.V1BETA1))
        .isEqualTo("authentication-config-v1beta1.yaml");
  }

  @Test
  @DisplayName("the OIDC flags name users by the same claim as the AuthenticationConfiguration, email included")
  void usernameClaimIsTheSameOnBothJwtPaths() throws Exception {
    for (String claim : List.of("preferred_username", "email")) {
      ClusterOnboarding o = new ClusterOnboarding("https://id.example.com", "team-a", "prod", "lyw_x", null, null,
          "kubectl", claim);
      assertThat(o.oidcFlags()).contains("--oidc-username-claim=" + claim, "--oidc-username-prefix=-")
          .filteredOn(f -> f.startsWith("--oidc-username-claim=")).hasSize(1);
      assertThat(o.apiServerFlags()).contains("--oidc-username-claim=" + claim);
      for (String version : List.of(ClusterOnboarding.V1, ClusterOnboarding.V1BETA1)) {
        JsonNode jwt = YAML.readTree(o.authenticationConfiguration(version)).path("jwt").get(0);
        assertThat(jwt.path("claimMappings").path("username").path("claim").asText()).isEqualTo(claim);
      }
    }
    assertThat(new ClusterOnboarding("https://x", "t", "c", "lyw_x", null, null, "k", "email").apiServerFlags())
        .contains("refuses ID tokens whose email_verified is");
  }

  @Test
  @DisplayName("email_verified is required only where the email is the username, as the --oidc-* flags and the webhook do")
  void emailVerifiedRuleOnlyForEmailUsernames() throws Exception {
    for (String version : List.of(ClusterOnboarding.V1, ClusterOnboarding.V1BETA1)) {
      ClusterOnboarding byName = new ClusterOnboarding("https://x", "t", "c", "lyw_x", null, null, "k",
          "preferred_username");
      JsonNode jwt = YAML.readTree(byName.authenticationConfiguration(version)).path("jwt").get(0);
      assertThat(jwt.has("claimValidationRules")).isFalse();
      assertThat(byName.authenticationConfiguration(version)).doesNotContain("claims.email_verified")
          .contains("email_verified is not checked");
      assertThat(byName.apiServerFlags()).doesNotContain("email_verified");

      ClusterOnboarding byEmail = new ClusterOnboarding("https://x", "t", "c", "lyw_x", null, null, "k", "email");
      JsonNode rules = YAML.readTree(byEmail.authenticationConfiguration(version)).path("jwt").get(0)
          .path("claimValidationRules");
      assertThat(rules.size()).isEqualTo(1);
      assertThat(rules.get(0).path("expression").asText())
          .isEqualTo("!has(claims.email) || (has(claims.email_verified) && claims.email_verified == true)");
      assertThat(rules.get(0).path("message").asText()).isNotEmpty();
    }
  }

  @Test
  @DisplayName("email tenants' flags and AuthenticationConfiguration say that robots use the webhook")
  void robotsOfEmailTenantsAreSentToTheWebhook() {
    ClusterOnboarding byEmail = new ClusterOnboarding("https://x", "t", "c", "lyw_x", null, null, "k", "email");
    assertThat(byEmail.apiServerFlags()).contains("# " + ClusterOnboarding.ROBOTS_USE_THE_WEBHOOK + "\n");
    for (String version : List.of(ClusterOnboarding.V1, ClusterOnboarding.V1BETA1)) {
      assertThat(byEmail.authenticationConfiguration(version)).contains("# " + ClusterOnboarding.ROBOTS_USE_THE_WEBHOOK + "\n");
    }
    ClusterOnboarding byName = new ClusterOnboarding("https://x", "t", "c", "lyw_x", null, null, "k",
        "preferred_username");
    assertThat(byName.apiServerFlags()).doesNotContain("Robots");
    assertThat(byName.authenticationConfiguration(ClusterOnboarding.V1)).doesNotContain("Robots");
  }

  @Test
  void refusesUnknownVersions() {
    ClusterOnboarding o = new ClusterOnboarding("https://x", "t", "c", "lyw_x", null, null, "k", "preferred_username");
    assertThatThrownBy(() -> o.authenticationConfiguration("apiserver.config.k8s.io/v1alpha1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("files: webhook kubeconfig (secret) first, CA last; without credential or certificate no kubeconfig")
  void files() {
    ClusterOnboarding o = new ClusterOnboarding("https://x", "t", "c", "lyw_x", "-----BEGIN CERTIFICATE-----\n", null,
        "k", "preferred_username");
    assertThat(o.files()).extracting(ClusterOnboarding.File::name).containsExactly(ClusterOnboarding.WEBHOOK_KUBECONFIG,
        ClusterOnboarding.FLAGS_FILE, "authentication-config-v1.yaml", "authentication-config-v1beta1.yaml",
        ClusterOnboarding.CA_FILE);
    assertThat(o.files()).filteredOn(ClusterOnboarding.File::secret).extracting(ClusterOnboarding.File::name)
        .containsExactly(ClusterOnboarding.WEBHOOK_KUBECONFIG);
    assertThat(o.files().get(0).content()).isEqualTo(o.webhookKubeconfig());

    ClusterOnboarding none = new ClusterOnboarding("https://x", "t", "c", null, null, null, "k", "preferred_username");
    assertThat(none.files()).extracting(ClusterOnboarding.File::name).containsExactly(ClusterOnboarding.FLAGS_FILE,
        "authentication-config-v1.yaml", "authentication-config-v1beta1.yaml");
    assertThatThrownBy(none::webhookKubeconfig).isInstanceOf(IllegalStateException.class);
  }
}
