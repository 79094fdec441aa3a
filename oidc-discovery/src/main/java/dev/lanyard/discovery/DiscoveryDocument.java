package dev.lanyard.discovery;

import dev.lanyard.storage.model.SigningKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a tenant's OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2).
 *
 * <p>The {@code issuer} is {@code {publicUrl}/t/{tenantId}} byte for byte (the kube-apiserver compares it
 * with its {@code --oidc-issuer-url} and the tokens' {@code iss} as strings), {@code jwks_uri} is
 * {@code {issuer}/jwks}, and every endpoint is {@code {issuer}{path}}. Absent endpoints and empty optional
 * lists are left out, never written as null.
 */
public final class DiscoveryDocument {
  private final String publicUrl;
  private final DiscoveryMetadata metadata;

  /**
   * @param publicUrl the server's public base URL, e.g. {@code https://idp.example.com} or
   *     {@code https://example.com/lanyard}; trailing slashes are removed here, once
   * @throws IllegalArgumentException when it is not an absolute http(s) URL with a host and without query or fragment
   */
  public DiscoveryDocument(String publicUrl, DiscoveryMetadata metadata) {
    this.publicUrl = normalise(Objects.requireNonNull(publicUrl, "publicUrl"));
    this.metadata = Objects.requireNonNull(metadata, "metadata");
  }

  /** The issuer of a tenant: {@code {publicUrl}/t/{tenantId}}, no trailing slash. */
  public String issuer(String tenantId) {
    return publicUrl + "/t/" + tenantId;
  }

  /** The normalised public base URL (no trailing slash). */
  public String publicUrl() {
    return publicUrl;
  }

  /**
   * The metadata JSON of {@code tenantId}. {@code keys} are all of the tenant's signing keys; the
   * algorithms of those published at {@code now} become {@code id_token_signing_alg_values_supported}
   * (in JWKS order), or the metadata's list when none is published.
   */
  public JsonObject render(String tenantId, List<SigningKey> keys, Instant now) {
    String issuer = issuer(tenantId);
    JsonObject doc = new JsonObject()
        .put("issuer", issuer);
    endpoint(doc, issuer, "authorization_endpoint", metadata.authorizationEndpoint());
    endpoint(doc, issuer, "token_endpoint", metadata.tokenEndpoint());
    endpoint(doc, issuer, "userinfo_endpoint", metadata.userinfoEndpoint());
    doc.put("jwks_uri", issuer + "/jwks");
    endpoint(doc, issuer, "device_authorization_endpoint", metadata.deviceAuthorizationEndpoint());
    endpoint(doc, issuer, "introspection_endpoint", metadata.introspectionEndpoint());
    endpoint(doc, issuer, "revocation_endpoint", metadata.revocationEndpoint());
    endpoint(doc, issuer, "end_session_endpoint", metadata.endSessionEndpoint());
    list(doc, "scopes_supported", metadata.scopesSupported());
    // Required by OIDC Discovery §3 even while there is no authorization endpoint (then empty).
    doc.put("response_types_supported", new JsonArray(metadata.responseTypesSupported()));
    list(doc, "response_modes_supported", metadata.responseModesSupported());
    list(doc, "grant_types_supported", metadata.grantTypesSupported());
    doc.put("subject_types_supported", new JsonArray(metadata.subjectTypesSupported()));
    doc.put("id_token_signing_alg_values_supported", new JsonArray(List.copyOf(signingAlgorithms(keys, now))));
    list(doc, "token_endpoint_auth_methods_supported", metadata.tokenEndpointAuthMethodsSupported());
    if (metadata.introspectionEndpoint() != null) {
      list(doc, "introspection_endpoint_auth_methods_supported", metadata.introspectionEndpointAuthMethodsSupported());
    }
    if (metadata.revocationEndpoint() != null) {
      list(doc, "revocation_endpoint_auth_methods_supported", metadata.revocationEndpointAuthMethodsSupported());
    }
    list(doc, "claims_supported", metadata.claimsSupported());
    list(doc, "code_challenge_methods_supported", metadata.codeChallengeMethodsSupported());
    if (metadata.authorizationEndpoint() != null) {
      // OIDC Discovery defaults request_uri_parameter_supported to true; Lanyard takes no request objects.
      doc.put("request_uri_parameter_supported", false);
      list(doc, "prompt_values_supported", metadata.promptValuesSupported());
      if (metadata.authorizationResponseIssParameterSupported()) {
        doc.put("authorization_response_iss_parameter_supported", true);
      }
    }
    return doc;
  }

  private Set<String> signingAlgorithms(List<SigningKey> keys, Instant now) {
    Set<String> algorithms = new LinkedHashSet<>();
    for (SigningKey key : JwksDocument.publishedKeys(keys, now)) {
      algorithms.add(key.algorithm());
    }
    if (algorithms.isEmpty()) {
      algorithms.addAll(metadata.idTokenSigningAlgValuesSupported());
    }
    return algorithms;
  }

  private static void endpoint(JsonObject doc, String issuer, String name, String path) {
    if (path != null) {
      doc.put(name, issuer + path);
    }
  }

  private static void list(JsonObject doc, String name, List<String> values) {
    if (!values.isEmpty()) {
      doc.put(name, new JsonArray(values));
    }
  }

  private static String normalise(String url) {
    String trimmed = url.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("publicUrl is not a URL: " + url);
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("publicUrl must be an absolute http(s) URL without query or fragment: " + url);
    }
    return trimmed;
  }
}
