package dev.lanyard.idp.k8s;

import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The subject CN of a request's TLS client certificate. The listener asks for one ({@code ClientAuth.REQUEST})
 * and trusts only the Lanyard CA when Lanyard generated its TLS files, so a certificate that reaches us has
 * been verified by the TLS layer (chain and proof of the private key); we add the check that it is meant for
 * client authentication, so the serving certificate cannot stand in for a cluster.
 */
final class ClientCertificates {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private ClientCertificates() {}

  /** The verified client certificate's CN, or null when there is none (plain HTTP, no certificate sent). */
  static String subject(HttpServerRequest request) {
    if (!request.isSSL()) return null;
    List<Certificate> chain;
    try {
      chain = request.connection().peerCertificates();
    } catch (SSLPeerUnverifiedException | UnsupportedOperationException e) {
      return null;
    }
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) return null;
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages == null || !usages.contains(CLIENT_AUTH)) return null;
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) return rdn.getValue().toString();
      }
      return null;
    } catch (CertificateParsingException | InvalidNameException e) {
      return null;
    }
  }
}
