package dev.lanyard.idp.tls;

import dev.lanyard.idp.crypto.SecureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The local certificate authority Lanyard creates when no TLS certificate is configured, and the
 * serving certificate it issues.
 *
 * <p>Files in the TLS directory: {@code ca.pem} (0644, handed to the kube-apiserver's
 * {@code --oidc-ca-file}), {@code ca-key.pem} (0600), {@code server.pem} (leaf then CA: a full chain),
 * {@code server-key.pem} (0600, PKCS#8). All keys are ECDSA P-256. The CA says {@code CA:TRUE}
 * because Go's TLS stack (the kube-apiserver, kubelogin) refuses a bare self-signed leaf.
 *
 * <p>Every file is written atomically, key before certificate, so a crash leaves either the old pair
 * or a key without a certificate, which the next start replaces. A {@code ca.pem} without its key is
 * never replaced silently: the operator may already have handed it out.
 *
 * <p><b>Blocking:</b> file I/O and key generation; call at start-up before deploying verticles, or
 * from a worker. One process should own a TLS directory at a time.
 */
public final class LocalCertificateAuthority {
  public static final String CA_CERT = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String SERVER_CERT = "server.pem";
  public static final String SERVER_KEY = "server-key.pem";

  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration SERVER_VALIDITY = Duration.ofDays(365);
  /** Server certificates are renewed when they expire within this long. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);
  /** Tolerates clients whose clock is slightly behind ours. */
  static final Duration BACKDATE = Duration.ofMinutes(5);
  /** Always in the serving certificate, so local tools and health checks can connect. */
  static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final Clock clock;
  private final X509Certificate caCert;
  private final PrivateKey caKey;

  private LocalCertificateAuthority(Path dir, Clock clock, X509Certificate caCert, PrivateKey caKey) {
    this.dir = dir;
    this.clock = clock;
    this.caCert = caCert;
    this.caKey = caKey;
  }

  /**
   * Makes sure {@code tlsDir} holds a CA and a serving certificate valid for {@code hostNames} plus
   * loopback; see {@link #loadOrCreate} and {@link #ensureServerCertificate}.
   */
  public static TlsFiles ensure(Path tlsDir, List<String> hostNames, Clock clock) {
    return loadOrCreate(tlsDir, clock).ensureServerCertificate(hostNames);
  }

  /**
   * Loads the CA from {@code tlsDir}, or creates it (and the directory) when {@code ca.pem} is absent.
   *
   * @throws IllegalStateException when {@code ca.pem} exists but its key is missing, does not match it,
   *     or the CA has expired; the message says what to do
   * @throws UncheckedIOException when the files cannot be read or written
   */
  public static LocalCertificateAuthority loadOrCreate(Path tlsDir, Clock clock) {
    Objects.requireNonNull(tlsDir, "tlsDir");
    Objects.requireNonNull(clock, "clock");
    Path certFile = tlsDir.resolve(CA_CERT);
    Path keyFile = tlsDir.resolve(CA_KEY);
    try {
      if (!Files.exists(certFile)) {
        return create(tlsDir, clock);
      }
      if (!Files.exists(keyFile)) {
        throw new IllegalStateException(certFile + " exists but its key " + keyFile + " is missing; restore the "
            + "key, or delete " + certFile + " to create a new CA (then redistribute the new ca.pem)");
      }
      X509Certificate cert = Pem.readCertificates(certFile).get(0);
      PrivateKey key = Pem.readEcPrivateKey(keyFile);
      if (!keyMatches(key, cert.getPublicKey())) {
        throw new IllegalStateException(keyFile + " is not the key of " + certFile);
      }
      if (!clock.instant().isBefore(cert.getNotAfter().toInstant())) {
        throw new IllegalStateException("local CA " + certFile + " expired at " + cert.getNotAfter().toInstant()
            + "; delete " + certFile + " and " + keyFile + " to create a new one (then redistribute ca.pem)");
      }
      return new LocalCertificateAuthority(tlsDir, clock, cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the local CA in " + tlsDir, e);
    } catch (GeneralSecurityException | IndexOutOfBoundsException e) {
      throw new IllegalStateException("cannot read the local CA in " + tlsDir + ": " + e.getMessage(), e);
    }
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return caCert;
  }

  /**
   * Reuses the serving certificate in the TLS directory if it was issued by this CA, matches its key,
   * names {@code localhost}, {@code 127.0.0.1}, {@code ::1} and every one of {@code hostNames}, and does
   * not expire within 30 days; otherwise issues and writes a new one.
   *
   * @param hostNames DNS names (e.g. the public host and an in-cluster Service name such as
   *     {@code lanyard.lanyard.svc}) and IP literals; IP literals become IP SANs
   * @throws IllegalArgumentException when a host name is blank
   */
  public TlsFiles ensureServerCertificate(List<String> hostNames) {
    Set<String> wanted = subjectAltNames(hostNames);
    TlsFiles files = new TlsFiles(dir.resolve(CA_CERT), dir.resolve(SERVER_CERT), dir.resolve(SERVER_KEY));
    try {
      if (!serverCertificateReusable(files, wanted)) {
        issueServerCertificate(files, wanted);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the serving certificate in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue the serving certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Issues a TLS client certificate (EKU clientAuth) signed by this CA, e.g. for the kube-apiserver to
   * call the TokenReview webhook. Nothing is written to disk.
   *
   * @param commonName the subject CN, which the webhook maps to a caller
   * @param validity how long it is valid from now; cut to the CA's own expiry
   * @throws IllegalArgumentException when the name is blank or the validity not positive
   */
  public IssuedCertificate issueClientCertificate(String commonName, Duration validity) {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("commonName must not be blank");
    }
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, got " + validity);
    }
    try {
      KeyPair pair = newEcKeyPair();
      Instant now = clock.instant();
      X509v3CertificateBuilder builder = leafBuilder(cn(commonName), pair.getPublic(), now, now.plus(validity));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      X509Certificate cert = sign(builder);
      return new IssuedCertificate(Pem.certificate(cert), Pem.privateKey(pair.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue client certificate: " + e.getMessage(), e);
    }
  }

  private static LocalCertificateAuthority create(Path dir, Clock clock)
      throws IOException, GeneralSecurityException {
    KeyPair pair = newEcKeyPair();
    Instant now = clock.instant();
    // A random suffix keeps two installations' CAs apart in trust stores and error messages.
    X500Name name = cn("Lanyard local CA " + HexFormat.of().formatHex(randomBytes(4)));
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
    X509Certificate cert = sign(builder, pair.getPrivate());
    SecureFiles.writeAtomically(dir.resolve(CA_KEY), ascii(Pem.privateKey(pair.getPrivate())), SecureFiles.OWNER_ONLY);
    SecureFiles.writeAtomically(dir.resolve(CA_CERT), ascii(Pem.certificate(cert)), SecureFiles.WORLD_READABLE);
    return new LocalCertificateAuthority(dir, clock, cert, pair.getPrivate());
  }

  private boolean serverCertificateReusable(TlsFiles files, Set<String> wanted) {
    if (!Files.exists(files.serverCert()) || !Files.exists(files.serverKey())) {
      return false;
    }
    try {
      X509Certificate leaf = Pem.readCertificates(files.serverCert()).get(0);
      leaf.verify(caCert.getPublicKey()); // throws when the CA was replaced
      Instant renewAt = leaf.getNotAfter().toInstant().minus(RENEW_BEFORE);
      return clock.instant().isBefore(renewAt)
          && subjectAltNames(leaf).containsAll(wanted)
          && keyMatches(Pem.readEcPrivateKey(files.serverKey()), leaf.getPublicKey());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // Unreadable or foreign files are replaced: they are ours to manage and hold nothing handed out.
      return false;
    }
  }

  private void issueServerCertificate(TlsFiles files, Set<String> wanted)
      throws IOException, GeneralSecurityException {
    KeyPair pair = newEcKeyPair();
    Instant now = clock.instant();
    String first = LOOPBACK_NAMES.get(0);
    X509v3CertificateBuilder builder = leafBuilder(cn(first), pair.getPublic(), now, now.plus(SERVER_VALIDITY));
    builder.addExtension(Extension.subjectAlternativeName, false, toGeneralNames(wanted));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509Certificate leaf = sign(builder);
    SecureFiles.writeAtomically(files.serverKey(), ascii(Pem.privateKey(pair.getPrivate())), SecureFiles.OWNER_ONLY);
    SecureFiles.writeAtomically(files.serverCert(), ascii(Pem.certificate(leaf) + Pem.certificate(caCert)),
        SecureFiles.WORLD_READABLE);
  }

  /** Subject, validity, CA:FALSE, digitalSignature and key identifiers shared by server and client leaves. */
  private X509v3CertificateBuilder leafBuilder(X500Name subject, PublicKey key, Instant now, Instant notAfter)
      throws GeneralSecurityException, CertIOException {
    Instant caEnd = caCert.getNotAfter().toInstant();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, serial(),
        Date.from(now.minus(BACKDATE)), Date.from(notAfter.isAfter(caEnd) ? caEnd : notAfter), subject, key);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
    builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
    return builder;
  }

  private X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException {
    return sign(builder, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /**
   * Normalised SANs ({@code dns:name} or {@code ip:address}) for loopback plus {@code hostNames}, in
   * order, so names can be compared with those of an existing certificate.
   */
  static Set<String> subjectAltNames(List<String> hostNames) {
    Set<String> names = new LinkedHashSet<>();
    for (String raw : LOOPBACK_NAMES) {
      names.add(normalise(raw));
    }
    for (String raw : hostNames) {
      if (raw == null || raw.isBlank()) {
        throw new IllegalArgumentException("host names must not be blank: " + hostNames);
      }
      names.add(normalise(raw.strip()));
    }
    return names;
  }

  private static Set<String> subjectAltNames(X509Certificate cert) throws CertificateParsingException {
    Set<String> names = new LinkedHashSet<>();
    var sans = cert.getSubjectAlternativeNames();
    if (sans == null) {
      return names;
    }
    for (List<?> san : sans) {
      int type = (Integer) san.get(0);
      if (type == GeneralName.dNSName || type == GeneralName.iPAddress) {
        names.add(normalise((String) san.get(1)));
      }
    }
    return names;
  }

  private static String normalise(String name) {
    String literal = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    // IPAddress.isValid parses literals only, so no DNS lookup can happen here.
    if (IPAddress.isValid(literal)) {
      return "ip:" + ipLiteral(literal).getHostAddress();
    }
    return "dns:" + name.toLowerCase(Locale.ROOT);
  }

  private static GeneralNames toGeneralNames(Set<String> normalised) {
    GeneralName[] names = normalised.stream().map(n -> n.startsWith("ip:")
            ? new GeneralName(GeneralName.iPAddress, new DEROctetString(ipLiteral(n.substring(3)).getAddress()))
            : new GeneralName(GeneralName.dNSName, n.substring(4)))
        .toArray(GeneralName[]::new);
    return new GeneralNames(names);
  }

  private static InetAddress ipLiteral(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: parsed, never resolved
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + literal, e);
    }
  }

  private static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
    byte[] probe = randomBytes(32);
    Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
    signer.initSign(privateKey);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
    verifier.initVerify(publicKey);
    verifier.update(probe);
    return verifier.verify(signature);
  }

  private static KeyPair newEcKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X500Name cn(String commonName) {
    // The builder escapes commas and other specials; a string DN would be parsed instead.
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  /** Positive, 127 random bits: unpredictable, as CA/B Forum baseline requirements ask. */
  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static byte[] ascii(String pem) {
    return pem.getBytes(StandardCharsets.US_ASCII);
  }
}
