package dev.lanyard.idp.tokens;

import java.security.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider ID tokens are signed with, the fastest RSA that loads here (bench/RESULTS.md, 2048-bit
 * signatures per CPU-second on this machine's AMD EPYC: JDK 853, Conscrypt 1,536, ACCP 3,419):
 * <ol>
 *   <li>Amazon Corretto Crypto Provider (AWS-LC, which uses AVX-512 IFMA for RSA where the CPU has it), whose
 *       native library for Linux x86_64 ships inside its jar;</li>
 *   <li>Conscrypt (BoringSSL), whose jar carries native libraries for the other common platforms;</li>
 *   <li>null, meaning the JDK's own RSA.</li>
 * </ol>
 * Nothing is downloaded. {@code -Dlanyard.rsa.provider=accp|conscrypt|jdk} picks one (tests and A/B benchmarks).
 *
 * <p>Resolved when the first signer is built ({@link TenantSigners}, on a storage worker thread): loading
 * ACCP's library costs a few hundred milliseconds of CPU and ~5 MiB of memory, which neither start-up nor a
 * process that never signs (a webhook-only replica) should pay.
 */
public final class RsaProvider {
  private static final Logger log = LoggerFactory.getLogger(RsaProvider.class);
  private static volatile Provider provider;
  private static volatile boolean resolved;

  private RsaProvider() {}

  /** The provider to sign with, or null for the JDK default; resolved once. */
  public static Provider get() {
    if (!resolved) {
      synchronized (RsaProvider.class) {
        if (!resolved) {
          provider = load(System.getProperty("lanyard.rsa.provider", "auto"));
          resolved = true;
        }
      }
    }
    return provider;
  }

  private static Provider load(String choice) {
    Provider p = null;
    if (choice.equals("auto") || choice.equals("accp")) p = accp();
    if (p == null && (choice.equals("auto") || choice.equals("conscrypt"))) p = conscrypt();
    log.debug("signing ID tokens with {}", p == null ? "the JDK's RSA" : p.getName());
    return p;
  }

  private static Provider accp() {
    try {
      Class<?> accp = Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
      Provider p = (Provider) accp.getField("INSTANCE").get(null);
      Throwable loadingError = (Throwable) accp.getMethod("getLoadingError").invoke(p);
      if (loadingError == null) return p;
      log.debug("Amazon Corretto Crypto Provider unavailable: {}", loadingError.toString());
      return null;
    } catch (ClassNotFoundException e) {
      return null;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      log.debug("Amazon Corretto Crypto Provider unavailable: {}", e.toString());
      return null;
    }
  }

  private static Provider conscrypt() {
    try {
      Class<?> conscrypt = Class.forName("org.conscrypt.Conscrypt");
      if (!(Boolean) conscrypt.getMethod("isAvailable").invoke(null)) return null;
      return (Provider) conscrypt.getMethod("newProvider").invoke(null);
    } catch (ClassNotFoundException e) {
      return null;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      log.info("Conscrypt unavailable ({}), signing with the JDK's RSA", e.toString());
      return null;
    }
  }
}
