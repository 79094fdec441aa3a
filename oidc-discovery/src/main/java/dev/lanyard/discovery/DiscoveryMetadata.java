package dev.lanyard.discovery;

import java.util.List;
import java.util.Objects;

/**
 * What the server offers, the same for every tenant: built once by the idp module from its configuration
 * and rendered per tenant by {@link DiscoveryDocument}.
 *
 * <p>Endpoints are paths relative to the issuer ({@code "/token"} becomes {@code {issuer}/token}), and null
 * when the endpoint does not exist: only endpoints that exist are advertised. Lists are copied and may be
 * empty; an empty optional list is left out of the document, while {@code response_types_supported} and
 * {@code subject_types_supported} (required by OpenID Connect Discovery 1.0 §3) are always written.
 *
 * @param authorizationEndpoint e.g. {@code /authorize}; null when there is none
 * @param tokenEndpoint e.g. {@code /token}; null when there is none
 * @param userinfoEndpoint e.g. {@code /userinfo}; null when there is none
 * @param deviceAuthorizationEndpoint RFC 8628 §4, e.g. {@code /device/code}; null when there is none
 * @param introspectionEndpoint RFC 7662, e.g. {@code /introspect}; null when there is none
 * @param revocationEndpoint RFC 7009, e.g. {@code /revoke}; null when there is none
 * @param endSessionEndpoint OpenID Connect RP-Initiated Logout, e.g. {@code /logout}; null when there is none
 * @param grantTypesSupported e.g. {@code authorization_code}, {@code refresh_token},
 *     {@code urn:ietf:params:oauth:grant-type:device_code}
 * @param responseTypesSupported e.g. {@code code}; empty while there is no authorization endpoint
 * @param scopesSupported e.g. {@code openid}, {@code profile}, {@code email}, {@code groups}, {@code offline_access}
 * @param claimsSupported claims the ID token and userinfo may carry
 * @param tokenEndpointAuthMethodsSupported e.g. {@code client_secret_basic}, {@code client_secret_post}, {@code none}
 * @param introspectionEndpointAuthMethodsSupported RFC 8414 §2; empty to leave it out
 * @param revocationEndpointAuthMethodsSupported RFC 8414 §2; empty to leave it out
 * @param codeChallengeMethodsSupported RFC 7636, e.g. {@code S256}; kubelogin uses PKCE only when advertised
 * @param idTokenSigningAlgValuesSupported advertised only while the tenant has no published signing key;
 *     otherwise the algorithms of its published keys are advertised
 * @param subjectTypesSupported e.g. {@code public}
 * @param authorizationResponseIssParameterSupported RFC 9207: whether authorization responses carry {@code iss}
 * @param promptValuesSupported OIDC Prompt Create §4.1 / Core §3.1.2.1 {@code prompt} values, e.g. {@code none},
 *     {@code login}, {@code consent}; empty to leave it out
 * @param responseModesSupported e.g. {@code query}; empty to leave it out
 */
public record DiscoveryMetadata(
    String authorizationEndpoint,
    String tokenEndpoint,
    String userinfoEndpoint,
    String deviceAuthorizationEndpoint,
    String introspectionEndpoint,
    String revocationEndpoint,
    String endSessionEndpoint,
    List<String> grantTypesSupported,
    List<String> responseTypesSupported,
    List<String> scopesSupported,
    List<String> claimsSupported,
    List<String> tokenEndpointAuthMethodsSupported,
    List<String> introspectionEndpointAuthMethodsSupported,
    List<String> revocationEndpointAuthMethodsSupported,
    List<String> codeChallengeMethodsSupported,
    List<String> idTokenSigningAlgValuesSupported,
    List<String> subjectTypesSupported,
    boolean authorizationResponseIssParameterSupported,
    List<String> promptValuesSupported,
    List<String> responseModesSupported) {

  /** Fails with {@link IllegalArgumentException} for an endpoint path that does not start with one '/'. */
  public DiscoveryMetadata {
    checkPath("authorizationEndpoint", authorizationEndpoint);
    checkPath("tokenEndpoint", tokenEndpoint);
    checkPath("userinfoEndpoint", userinfoEndpoint);
    checkPath("deviceAuthorizationEndpoint", deviceAuthorizationEndpoint);
    checkPath("introspectionEndpoint", introspectionEndpoint);
    checkPath("revocationEndpoint", revocationEndpoint);
    checkPath("endSessionEndpoint", endSessionEndpoint);
    grantTypesSupported = copy(grantTypesSupported);
    responseTypesSupported = copy(responseTypesSupported);
    scopesSupported = copy(scopesSupported);
    claimsSupported = copy(claimsSupported);
    tokenEndpointAuthMethodsSupported = copy(tokenEndpointAuthMethodsSupported);
    introspectionEndpointAuthMethodsSupported = copy(introspectionEndpointAuthMethodsSupported);
    revocationEndpointAuthMethodsSupported = copy(revocationEndpointAuthMethodsSupported);
    codeChallengeMethodsSupported = copy(codeChallengeMethodsSupported);
    idTokenSigningAlgValuesSupported = copy(idTokenSigningAlgValuesSupported);
    subjectTypesSupported = copy(subjectTypesSupported);
    promptValuesSupported = copy(promptValuesSupported);
    responseModesSupported = copy(responseModesSupported);
  }

  /** A builder with {@code subject_types_supported = ["public"]}, {@code id_token} algorithms {@code ["RS256"]}, all else empty. */
  public static Builder builder() {
    return new Builder();
  }

  private static void checkPath(String name, String path) {
    // "//host" would be read as a network-path reference, so a single leading slash is required.
    if (path != null && (!path.startsWith("/") || path.startsWith("//") || path.contains("#") || path.contains("?"))) {
      throw new IllegalArgumentException(name + " must be a path relative to the issuer starting with '/': " + path);
    }
  }

  private static List<String> copy(List<String> values) {
    return values == null ? List.of() : List.copyOf(values);
  }

  /** Builds a {@link DiscoveryMetadata}; setters for endpoints take a path or null (absent). */
  public static final class Builder {
    private String authorizationEndpoint;
    private String tokenEndpoint;
    private String userinfoEndpoint;
    private String deviceAuthorizationEndpoint;
    private String introspectionEndpoint;
    private String revocationEndpoint;
    private String endSessionEndpoint;
    private List<String> grantTypes = List.of();
    private List<String> responseTypes = List.of();
    private List<String> scopes = List.of();
    private List<String> claims = List.of();
    private List<String> tokenEndpointAuthMethods = List.of();
    private List<String> introspectionAuthMethods = List.of();
    private List<String> revocationAuthMethods = List.of();
    private List<String> codeChallengeMethods = List.of();
    private List<String> idTokenSigningAlgs = List.of("RS256");
    private List<String> subjectTypes = List.of("public");
    private boolean authorizationResponseIss;
    private List<String> promptValues = List.of();
    private List<String> responseModes = List.of();

    private Builder() {}

    public Builder authorizationEndpoint(String path) { authorizationEndpoint = path; return this; }
    public Builder tokenEndpoint(String path) { tokenEndpoint = path; return this; }
    public Builder userinfoEndpoint(String path) { userinfoEndpoint = path; return this; }
    public Builder deviceAuthorizationEndpoint(String path) { deviceAuthorizationEndpoint = path; return this; }
    public Builder introspectionEndpoint(String path) { introspectionEndpoint = path; return this; }
    public Builder revocationEndpoint(String path) { revocationEndpoint = path; return this; }
    public Builder endSessionEndpoint(String path) { endSessionEndpoint = path; return this; }
    public Builder grantTypes(List<String> values) { grantTypes = Objects.requireNonNull(values); return this; }
    public Builder responseTypes(List<String> values) { responseTypes = Objects.requireNonNull(values); return this; }
    public Builder scopes(List<String> values) { scopes = Objects.requireNonNull(values); return this; }
    public Builder claims(List<String> values) { claims = Objects.requireNonNull(values); return this; }
    public Builder tokenEndpointAuthMethods(List<String> values) {
      tokenEndpointAuthMethods = Objects.requireNonNull(values);
      return this;
    }
    public Builder introspectionEndpointAuthMethods(List<String> values) {
      introspectionAuthMethods = Objects.requireNonNull(values);
      return this;
    }
    public Builder revocationEndpointAuthMethods(List<String> values) {
      revocationAuthMethods = Objects.requireNonNull(values);
      return this;
    }
    public Builder codeChallengeMethods(List<String> values) { codeChallengeMethods = Objects.requireNonNull(values); return this; }
    public Builder idTokenSigningAlgs(List<String> values) { idTokenSigningAlgs = Objects.requireNonNull(values); return this; }
    public Builder subjectTypes(List<String> values) { subjectTypes = Objects.requireNonNull(values); return this; }
    public Builder authorizationResponseIssParameterSupported(boolean value) { authorizationResponseIss = value; return this; }
    public Builder promptValues(List<String> values) { promptValues = Objects.requireNonNull(values); return this; }
    public Builder responseModes(List<String> values) { responseModes = Objects.requireNonNull(values); return this; }

    public DiscoveryMetadata build() {
      return new DiscoveryMetadata(authorizationEndpoint, tokenEndpoint, userinfoEndpoint, deviceAuthorizationEndpoint,
          introspectionEndpoint, revocationEndpoint, endSessionEndpoint, grantTypes,
          responseTypes, scopes, claims, tokenEndpointAuthMethods, introspectionAuthMethods, revocationAuthMethods,
          codeChallengeMethods, idTokenSigningAlgs,
          subjectTypes, authorizationResponseIss, promptValues, responseModes);
    }
  }
}
