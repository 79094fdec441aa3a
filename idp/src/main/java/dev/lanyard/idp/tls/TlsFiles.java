package dev.lanyard.idp.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the serving TLS material lives, ready for Vert.x {@code PemKeyCertOptions}.
 *
 * @param caCert the local CA certificate (PEM), to hand to the kube-apiserver's {@code --oidc-ca-file}
 *     and to the webhook kubeconfig's {@code certificate-authority}
 * @param serverCert the serving certificate followed by the CA certificate (PEM chain)
 * @param serverKey the serving certificate's private key (PKCS#8 PEM, mode 0600)
 */
public record TlsFiles(Path caCert, Path serverCert, Path serverKey) {
  public TlsFiles {
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(serverCert, "serverCert");
    Objects.requireNonNull(serverKey, "serverKey");
  }
}
