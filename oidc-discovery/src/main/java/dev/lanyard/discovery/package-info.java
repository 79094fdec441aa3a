/**
 * Per-tenant OpenID Provider discovery document and JWKS, rendered once per key change and served from
 * memory with {@code ETag} and {@code Cache-Control}.
 *
 * <p>Wiring (idp module):
 * <pre>{@code
 * DiscoveryMetadata metadata = DiscoveryMetadata.builder()
 *     .authorizationEndpoint("/authorize").tokenEndpoint("/token").userinfoEndpoint("/userinfo")
 *     .grantTypes(List.of("authorization_code", "refresh_token")).responseTypes(List.of("code"))
 *     .codeChallengeMethods(List.of("S256")).build();
 * TenantDocumentCache documents = new TenantDocumentCache(storage,
 *     new DiscoveryDocument(config.publicUrl(), metadata), Clock.systemUTC(),
 *     Duration.ofSeconds(30), Duration.ofSeconds(2));          // one instance shared by all verticles
 * new DiscoveryRoutes(documents, Duration.ofHours(1), Duration.ofMinutes(5)).mount(router);
 * // after a key of tenant t is created, activated, retired or deleted, or t is created or deleted:
 * documents.invalidate(t);
 * }</pre>
 */
package dev.lanyard.discovery;
