package dev.lanyard.idp.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lanyard.idp.tls.IssuedCertificate;
import java.util.Base64;
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
  void refusesUnknownVersionsAndMissingCredentials() {
    ClusterOnboarding o = new ClusterOnboarding("https://x", "t", "c", "lyw_x", null, null, "k", "preferred_username");
    assertThatThrownBy(() -> o.authenticationConfiguration("apiserver.config.k8s.io/v1alpha1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClusterOnboarding("https://x", "t", "c", null, null, null, "k", "preferred_username"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
