package dev.lanyard.idp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path dir;

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void createsACaWithCaTrueAndKeyCertSign() throws Exception {
    TlsFiles files = LocalCertificateAuthority.ensure(dir, List.of(), at(T0));
    X509Certificate ca = Pem.readCertificates(files.caCert()).get(0);

    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0); // -1 means CA:FALSE
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19"); // basicConstraints critical
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(ca.getSubjectX500Principal().getName()).matches("CN=Lanyard local CA [0-9a-f]{8}");
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(Duration.between(T0, ca.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(3650));
    ca.verify(ca.getPublicKey());
  }

  @Test
  void serverCertificateChainsToTheCaAndNamesLoopbackAndConfiguredHosts() throws Exception {
    TlsFiles files = LocalCertificateAuthority.ensure(dir,
        List.of("idp.example.com", "lanyard.lanyard.svc", "10.0.0.7", "[fd00::1]"), at(T0));

    List<X509Certificate> chain = Pem.readCertificates(files.serverCert());
    X509Certificate ca = Pem.readCertificates(files.caCert()).get(0);
    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(ca); // full chain: leaf then CA
    X509Certificate leaf = chain.get(0);

    PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    pkix.setRevocationEnabled(false);
    pkix.setDate(Date.from(T0));
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(leaf)), pkix);

    assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"),
        List.of(2, "idp.example.com"), List.of(2, "lanyard.lanyard.svc"), List.of(7, "10.0.0.7"),
        List.of(7, "fd00:0:0:0:0:0:0:1"));
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(T0.minus(Duration.ofMinutes(5)));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(T0.plus(Duration.ofDays(365)));
    assertThat(Files.readString(files.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void keysAreOwnerOnlyAndTheCaIsWorldReadable() throws Exception {
    TlsFiles files = LocalCertificateAuthority.ensure(dir, List.of(), at(T0));

    assertThat(mode(dir.resolve("ca-key.pem"))).isEqualTo("rw-------");
    assertThat(mode(files.serverKey())).isEqualTo("rw-------");
    assertThat(mode(files.caCert())).isEqualTo("rw-r--r--");
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.pem", "ca-key.pem", "server.pem", "server-key.pem");
    }
  }

  @Test
  void secondStartReusesEveryFileByteForByte() throws Exception {
    List<String> names = List.of("idp.example.com");
    LocalCertificateAuthority.ensure(dir, names, at(T0));
    var before = snapshot();

    LocalCertificateAuthority.ensure(dir, names, at(T0.plus(Duration.ofDays(100))));

    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void newHostNameReissuesTheLeafButKeepsTheCa() throws Exception {
    TlsFiles files = LocalCertificateAuthority.ensure(dir, List.of("idp.example.com"), at(T0));
    var before = snapshot();

    LocalCertificateAuthority.ensure(dir, List.of("idp.example.com", "lanyard.lanyard.svc"), at(T0));

    var after = snapshot();
    assertThat(after.get("ca.pem")).isEqualTo(before.get("ca.pem"));
    assertThat(after.get("ca-key.pem")).isEqualTo(before.get("ca-key.pem"));
    assertThat(after.get("server.pem")).isNotEqualTo(before.get("server.pem"));
    assertThat(after.get("server-key.pem")).isNotEqualTo(before.get("server-key.pem"));
    X509Certificate leaf = Pem.readCertificates(files.serverCert()).get(0);
    assertThat(leaf.getSubjectAlternativeNames()).contains(List.of(2, "lanyard.lanyard.svc"));
    leaf.verify(Pem.readCertificates(files.caCert()).get(0).getPublicKey());
  }

  @Test
  void leafIsRenewedWithin30DaysOfExpiryButNotBefore() throws Exception {
    LocalCertificateAuthority.ensure(dir, List.of(), at(T0));
    var original = snapshot();

    LocalCertificateAuthority.ensure(dir, List.of(), at(T0.plus(Duration.ofDays(334))));
    assertThat(snapshot()).isEqualTo(original);

    TlsFiles files = LocalCertificateAuthority.ensure(dir, List.of(), at(T0.plus(Duration.ofDays(336))));
    assertThat(snapshot().get("server.pem")).isNotEqualTo(original.get("server.pem"));
    assertThat(snapshot().get("ca.pem")).isEqualTo(original.get("ca.pem"));
    assertThat(Pem.readCertificates(files.serverCert()).get(0).getNotAfter().toInstant())
        .isEqualTo(T0.plus(Duration.ofDays(336 + 365)));
  }

  @Test
  void serverFilesThatDoNotMatchAreReplaced() throws Exception {
    TlsFiles files = LocalCertificateAuthority.ensure(dir, List.of(), at(T0));
    Files.writeString(files.serverKey(), "garbage"); // e.g. a crash between writing key and certificate

    LocalCertificateAuthority.ensure(dir, List.of(), at(T0));

    assertThat(Files.readString(files.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    X509Certificate leaf = Pem.readCertificates(files.serverCert()).get(0);
    assertThat(leaf.getPublicKey()).isNotNull();
  }

  @Test
  void caCertificateWithoutItsKeyIsAnErrorNotSilentlyReplaced() throws Exception {
    LocalCertificateAuthority.ensure(dir, List.of(), at(T0));
    byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
    Files.delete(dir.resolve("ca-key.pem"));

    assertThatThrownBy(() -> LocalCertificateAuthority.ensure(dir, List.of(), at(T0)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ca-key.pem is missing");
    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(ca);
  }

  @Test
  void blankHostNameIsRejected() {
    assertThatThrownBy(() -> LocalCertificateAuthority.ensure(dir, List.of(" "), at(T0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issuesClientCertificatesFromTheSameCa() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.loadOrCreate(dir, at(T0));

    IssuedCertificate issued = ca.issueClientCertificate("kube-apiserver, prod", Duration.ofDays(30));

    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(issued.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=kube-apiserver\\, prod");
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(issued.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(issued.toString()).doesNotContain("PRIVATE");
    assertThatThrownBy(() -> ca.issueClientCertificate("x", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private java.util.Map<String, String> snapshot() throws Exception {
    var files = new java.util.TreeMap<String, String>();
    try (var listing = Files.list(dir)) {
      for (Path p : listing.toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return files;
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
