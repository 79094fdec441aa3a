package dev.lanyard.idp.bootstrap;

import dev.lanyard.storage.model.TenantSettings;
import java.nio.file.Path;
import java.util.List;

/** The kube-apiserver flags that make it trust a tenant as its OIDC issuer. */
public final class ApiServerFlags {
  public static final String PREFERRED_USERNAME = "preferred_username";
  public static final String EMAIL = "email";

  private ApiServerFlags() {}

  /**
   * The ID token claim that names a user, as the webhook names them: {@value #EMAIL} for tenants that name
   * users by email, else {@value #PREFERRED_USERNAME}.
   */
  public static String usernameClaim(TenantSettings settings) {
    return TenantSettings.EMAIL.equals(settings.usernameFrom()) ? EMAIL : PREFERRED_USERNAME;
  }

  /**
   * With {@code usernameClaim} {@value #EMAIL} the API server itself refuses ID tokens whose
   * {@code email_verified} is false, as the AuthenticationConfiguration's rule does (Lanyard always sends
   * {@code email_verified} with {@code email}).
   *
   * @param caFile the CA the issuer's certificate chains to, or null when a public CA signed it
   * @param usernameClaim {@link #usernameClaim}
   */
  public static List<String> oidc(String issuer, String clientId, Path caFile, String usernameClaim) {
    List<String> flags = new java.util.ArrayList<>(List.of(
        "--oidc-issuer-url=" + issuer,
        "--oidc-client-id=" + clientId));
    if (caFile != null) flags.add("--oidc-ca-file=" + caFile);
    flags.add("--oidc-username-claim=" + usernameClaim);
    flags.add("--oidc-username-prefix=-");
    flags.add("--oidc-groups-claim=groups");
    return List.copyOf(flags);
  }
}
