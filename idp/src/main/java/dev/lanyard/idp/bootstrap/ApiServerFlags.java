package dev.lanyard.idp.bootstrap;

import java.nio.file.Path;
import java.util.List;

/** The kube-apiserver flags that make it trust a tenant as its OIDC issuer. */
public final class ApiServerFlags {
  private ApiServerFlags() {}

  /**
   * @param caFile the CA the issuer's certificate chains to, or null when a public CA signed it
   */
  public static List<String> oidc(String issuer, String clientId, Path caFile) {
    List<String> flags = new java.util.ArrayList<>(List.of(
        "--oidc-issuer-url=" + issuer,
        "--oidc-client-id=" + clientId));
    if (caFile != null) flags.add("--oidc-ca-file=" + caFile);
    flags.add("--oidc-username-claim=preferred_username");
    flags.add("--oidc-username-prefix=-");
    flags.add("--oidc-groups-claim=groups");
    return List.copyOf(flags);
  }
}
