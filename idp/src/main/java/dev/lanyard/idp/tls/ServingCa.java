package dev.lanyard.idp.tls;

import dev.lanyard.idp.config.LanyardConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The CA certificate that clients of Lanyard's public URL must trust, which every onboarding output hands on (the
 * webhook kubeconfig's {@code certificate-authority-data}, {@code --oidc-ca-file}, the AuthenticationConfiguration's
 * {@code certificateAuthority}, developer kubeconfigs): the CA Lanyard generated in {@code {dataDir}/tls} when it
 * makes its own certificate, else the configured {@code tls.caFile} (the private CA that signed
 * {@code tls.certFile}, or a TLS-terminating proxy's), else none: a public CA signed the certificate, and clients
 * use their system's trust store.
 */
public final class ServingCa {
  private ServingCa() {}

  /** The CA file, or null when there is none. The generated one may not exist yet (Lanyard never started). */
  public static Path file(LanyardConfig config) {
    LanyardConfig.Tls tls = config.tls();
    if (!tls.caFile().isEmpty()) return Path.of(tls.caFile());
    if (tls.enabled() && tls.certFile().isEmpty()) {
      return config.dataPath().resolve("tls").resolve(LocalCertificateAuthority.CA_CERT);
    }
    return null;
  }

  /**
   * The certificates of {@code file} as PEM, one block each (text around them dropped), or null for a null file.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static String pem(Path file) {
    if (file == null) return null;
    List<X509Certificate> certificates;
    try {
      certificates = Pem.readCertificates(file);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the CA certificate " + file + ": " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) throw new IllegalArgumentException(file + " holds no PEM certificate");
    StringBuilder pem = new StringBuilder();
    certificates.forEach(c -> pem.append(Pem.certificate(c)));
    return pem.toString();
  }
}
