package dev.lanyard.idp.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM (RFC 7468) encoding and parsing of the certificates and EC keys the local CA writes. */
final class Pem {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private Pem() {}

  static String encode(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  static String certificate(X509Certificate cert) {
    try {
      return encode("CERTIFICATE", cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }

  /** PKCS#8 {@code PRIVATE KEY}: the form Vert.x, Go and OpenSSL all read for any key type. */
  static String privateKey(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  /** All certificates in a PEM file, in file order. */
  static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
    byte[] bytes = Files.readAllBytes(file);
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))
        .stream().map(X509Certificate.class::cast).toList();
  }

  /** The first PKCS#8 EC private key in a PEM file. */
  static PrivateKey readEcPrivateKey(Path file) throws IOException, GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePrivate(pkcs8(file));
  }

  /** The first PKCS#8 private key in a PEM file, of any of the algorithms TLS servers use (EC, RSA, EdDSA). */
  static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
    PKCS8EncodedKeySpec spec = pkcs8(file);
    GeneralSecurityException last = null;
    for (String algorithm : List.of("EC", "RSA", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  private static PKCS8EncodedKeySpec pkcs8(Path file) throws IOException, GeneralSecurityException {
    Matcher m = PRIVATE_KEY.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new GeneralSecurityException(file + " holds no PKCS#8 PRIVATE KEY block");
    }
    return new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
  }
}
