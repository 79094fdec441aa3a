package dev.lanyard.idp.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The serving key and certificate chain, held as they are, for Vert.x ({@code KeyCertOptions.wrap}).
 *
 * <p>Why not {@code PemKeyCertOptions}: Vert.x turns the PEM files into an in-memory PKCS#12 key store, and
 * storing and reading its key back runs PBKDF2 (10,000 rounds) four or five times, ~160 ms of a restart's
 * CPU while the JIT is still cold (bench/RESULTS.md). This class skips the key store: it reads the PKCS#8
 * key and the chain once and answers the TLS engine's questions from them. Keys in other PEM forms (PKCS#1
 * {@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}, encrypted) are not read here: {@link #read} returns empty
 * and the caller lets Vert.x read the files.
 */
public final class ServingKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "lanyard";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  ServingKeyManager(PrivateKey key, List<X509Certificate> chain) {
    if (chain.isEmpty()) throw new IllegalArgumentException("no certificate");
    this.key = key;
    this.chain = chain.toArray(X509Certificate[]::new);
  }

  /** The key and chain of these PEM files, or empty when the key is not a plain PKCS#8 {@code PRIVATE KEY}. */
  public static Optional<ServingKeyManager> read(Path certFile, Path keyFile) {
    try {
      return Optional.of(new ServingKeyManager(Pem.readPrivateKey(keyFile), Pem.readCertificates(certFile)));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The alias when this key fits {@code keyType}, with the JDK's key managers' meaning: {@code "EC"} is the
   * key's algorithm, {@code "EC_RSA"} also asks that the certificate be signed with RSA.
   */
  private String aliasFor(String keyType) {
    if (keyType == null) return null;
    String keyAlgorithm = keyType;
    String signedWith = null;
    int underscore = keyType.indexOf('_');
    if (underscore > 0) {
      keyAlgorithm = keyType.substring(0, underscore);
      signedWith = keyType.substring(underscore + 1);
    }
    if (!key.getAlgorithm().equalsIgnoreCase(keyAlgorithm)) return null;
    if (signedWith != null
        && !chain[0].getSigAlgName().toUpperCase(Locale.ROOT).contains(signedWith.toUpperCase(Locale.ROOT))) {
      return null;
    }
    return ALIAS;
  }

  private String firstFitting(String[] keyTypes) {
    if (keyTypes == null) return null;
    for (String keyType : keyTypes) {
      String alias = aliasFor(keyType);
      if (alias != null) return alias;
    }
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return aliasFor(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return firstFitting(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return firstFitting(keyTypes);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return getServerAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
