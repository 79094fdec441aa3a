package dev.lanyard.idp.cli.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An SSL context trusting exactly the PEM certificates of a {@code --cacert} file. */
final class Tls {
  private Tls() {}

  static SSLContext trusting(Path caFile) {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(caFile)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new RemoteException("cannot read CA certificate " + caFile + ": no such file");
    } catch (IOException e) {
      throw new RemoteException("cannot read CA certificate " + caFile + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new RemoteException("CA certificate " + caFile + " is not a PEM certificate");
    }
    if (certs.isEmpty()) throw new RemoteException("CA certificate " + caFile + " holds no PEM certificate");
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) trust.setCertificateEntry("ca-" + i++, c);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new RemoteException("cannot use CA certificate " + caFile + ": " + e.getMessage());
    }
  }
}
