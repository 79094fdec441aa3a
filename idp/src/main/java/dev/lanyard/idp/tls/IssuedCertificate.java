package dev.lanyard.idp.tls;

import java.util.Objects;

/**
 * A certificate and its private key as PEM text, e.g. the client certificate placed in a webhook
 * kubeconfig's {@code users} entry.
 *
 * @param certificatePem the certificate alone (no chain: the verifier holds the CA)
 * @param privateKeyPem the private key, PKCS#8 ({@code BEGIN PRIVATE KEY}); a secret
 */
public record IssuedCertificate(String certificatePem, String privateKeyPem) {
  public IssuedCertificate {
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
  }

  @Override
  public String toString() {
    return "IssuedCertificate[privateKey redacted]";
  }
}
