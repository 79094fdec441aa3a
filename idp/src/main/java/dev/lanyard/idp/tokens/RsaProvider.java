package dev.lanyard.idp.tokens;

import java.security.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider ID tokens are signed with: Conscrypt (BoringSSL's RSA) when its native library loads from its
 * own jar, else null, meaning the JDK's provider. Nothing is downloaded; {@code -Dlanyard.rsa.provider=jdk}
 * forces the JDK's.
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
          provider = load();
          resolved = true;
        }
      }
    }
    return provider;
  }

  private static Provider load() {
    if ("jdk".equals(System.getProperty("lanyard.rsa.provider"))) return null;
    try {
      Class<?> conscrypt = Class.forName("org.conscrypt.Conscrypt");
      if (!(Boolean) conscrypt.getMethod("isAvailable").invoke(null)) return null;
      Provider p = (Provider) conscrypt.getMethod("newProvider").invoke(null);
      log.debug("signing ID tokens with {}", p.getName());
      return p;
    } catch (ClassNotFoundException e) {
      return null;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      log.info("Conscrypt unavailable ({}), signing with the JDK's RSA", e.toString());
      return null;
    }
  }
}
