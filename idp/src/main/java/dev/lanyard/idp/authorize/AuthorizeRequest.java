package dev.lanyard.idp.authorize;

import dev.lanyard.idp.oauth.Scopes;
import dev.lanyard.idp.pages.PageParams;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) whose client and redirect URI are trusted, with
 * every other parameter checked. Built by {@link #parse}, which fails with a {@link RedirectError} for anything
 * wrong: the client learns of it at its redirect URI.
 *
 * @param prompt the {@code prompt} values (none, login, consent)
 * @param maxAge {@code max_age} in seconds, or null
 */
public record AuthorizeRequest(String tenantId, String clientId, String redirectUri, Set<String> scopes, String state,
    String nonce, Set<String> prompt, Long maxAge, String loginHint, String codeChallenge, String codeChallengeMethod) {

  /** Every parameter this endpoint reads; others (kubelogin's access_type=offline) are ignored. */
  static final Set<String> NAMES = Set.of("client_id", "redirect_uri", "response_type", "scope", "state", "nonce",
      "prompt", "max_age", "login_hint", "code_challenge", "code_challenge_method", "response_mode", "request",
      "request_uri");
  static final List<String> PROMPTS = List.of("none", "login", "consent");
  /** RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is 43 characters. */
  private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");

  /**
   * Checks the parameters after the redirect URI was found registered (so errors may go back to it).
   *
   * @param publicClient whether the client has no secret (then PKCE S256 is required)
   * @param allowsCode whether the client may use the authorization_code grant
   */
  static AuthorizeRequest parse(String tenantId, String clientId, String redirectUri, PageParams p,
      boolean publicClient, boolean allowsCode, String issuer) {
    String state = p.get("state");
    java.util.function.BiFunction<String, String, RedirectError> error =
        (code, why) -> new RedirectError(redirectUri, state, issuer, code, why);
    String responseType = p.get("response_type");
    if (responseType == null) throw error.apply("invalid_request", "response_type is required");
    if (!"code".equals(responseType)) {
      throw error.apply("unsupported_response_type", "only response_type=code is supported");
    }
    if (p.has("request")) throw error.apply("request_not_supported", "request objects are not supported");
    if (p.has("request_uri")) throw error.apply("request_uri_not_supported", "request_uri is not supported");
    if (p.has("response_mode") && !"query".equals(p.get("response_mode"))) {
      throw error.apply("invalid_request", "only response_mode=query is supported");
    }
    if (!allowsCode) throw error.apply("unauthorized_client", "this client may not use the authorization code grant");

    String challenge = p.get("code_challenge");
    String method = p.get("code_challenge_method");
    if (challenge == null && method != null) throw error.apply("invalid_request", "code_challenge is missing");
    if (challenge != null) {
      // RFC 7636 makes plain the default; it protects nothing once the request is seen, so it is refused.
      if (!"S256".equals(method)) throw error.apply("invalid_request", "code_challenge_method must be S256");
      if (!S256_CHALLENGE.matcher(challenge).matches()) {
        throw error.apply("invalid_request", "code_challenge must be 43 base64url characters");
      }
    } else if (publicClient) {
      throw error.apply("invalid_request", "PKCE (code_challenge with S256) is required for public clients");
    }

    Set<String> prompt = new LinkedHashSet<>();
    if (p.has("prompt")) {
      for (String v : p.get("prompt").split(" ")) {
        if (v.isEmpty()) continue;
        if (!PROMPTS.contains(v)) throw error.apply("invalid_request", "unsupported prompt value");
        prompt.add(v);
      }
      if (prompt.contains("none") && prompt.size() > 1) {
        throw error.apply("invalid_request", "prompt=none cannot be combined with other values");
      }
    }
    Long maxAge = null;
    if (p.has("max_age")) {
      if (!MAX_AGE.matcher(p.get("max_age")).matches()) {
        throw error.apply("invalid_request", "max_age must be a number of seconds");
      }
      maxAge = Long.parseLong(p.get("max_age"));
    }
    return new AuthorizeRequest(tenantId, clientId, redirectUri, Scopes.granted(p.get("scope")), state,
        p.get("nonce"), Set.copyOf(prompt), maxAge, p.get("login_hint"), challenge, challenge == null ? null : method);
  }
}
