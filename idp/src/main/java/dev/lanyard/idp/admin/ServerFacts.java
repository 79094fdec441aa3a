package dev.lanyard.idp.admin;

import java.time.Instant;

/**
 * Facts about the running process that the console shows or builds files from.
 *
 * @param version the Lanyard version
 * @param startedAt when this process started
 * @param publicUrl the public base URL, no trailing slash
 * @param caPem the CA certificate (PEM) clients must trust: the generated one, or {@code tls.caFile} with a
 *     configured certificate; null when a public CA signed it (see {@link dev.lanyard.idp.tls.ServingCa})
 * @param adminTenant the tenant holding the first administrator, where the console signs in by default
 */
public record ServerFacts(String version, Instant startedAt, String publicUrl, String caPem, String adminTenant) {
  public static final String VERSION = "0.1.0";
}
