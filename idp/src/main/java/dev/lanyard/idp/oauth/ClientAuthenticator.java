package dev.lanyard.idp.oauth;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.idp.crypto.PasswordHasher;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Authenticates the client of a token request (RFC 6749 §2.3): {@code client_secret_basic},
 * {@code client_secret_post}, or none for public clients, which identify themselves with {@code client_id}.
 *
 * <p>Client secrets are stored as argon2id hashes. Checking one costs tens of milliseconds, far too much for
 * every client-credentials request, so after the first successful check we remember the secret's SHA-256 in
 * memory (keyed by the stored hash, so a rotated secret is never matched) and compare later ones to it in
 * constant time.
 *
 * <p>Clients are read through a {@link ClientDirectory}, which keeps them in memory until they change.
 *
 * <p>Every refused client authentication is audited ({@code client.auth.failure}) here, in one place: a failed
 * authentication, and a client that authenticated but may not authenticate that way where it asks (a public
 * client at introspection or in the client credentials grant), which {@link #authenticate}'s continuation
 * refuses with {@code invalid_client}. They go through {@link RepeatedFailures}, so someone guessing secrets
 * cannot write a row per request. A failure before any client was named (no credentials, a Basic header that
 * does not decode) has only the URL's word for its tenant, which anyone can make up: it is recorded with no
 * tenant, the URL's in its details.
 */
public final class ClientAuthenticator {
  private static final int MAX_REMEMBERED = 10_000;
  /** A made-up client id or tenant id is recorded up to this length. */
  private static final int MAX_AUDITED_CLIENT = 200;
  private static final int MAX_AUDITED_TENANT = 64;

  private final ClientDirectory directory;
  private final PasswordHasher hasher;
  private final Map<String, byte[]> verifiedSecrets = new ConcurrentHashMap<>();
  private final RepeatedFailures failures;

  public ClientAuthenticator(Storage storage, PasswordHasher hasher, RepeatedFailures failures) {
    this.directory = new ClientDirectory(storage);
    this.hasher = hasher;
    this.failures = failures;
  }

  /**
   * Authenticates the client of {@code request}, then runs {@code then} with it. Fails with invalid_client (401),
   * invalid_request or whatever {@code then} fails with; every invalid_client is audited.
   *
   * @param source the caller's address, for the audit trail
   */
  public <T> Future<T> authenticate(String tenantId, TokenRequest request, String source,
      Function<OAuthClient, Future<T>> then) {
    return verify(tenantId, request).compose(then).onFailure(err -> {
      if (err instanceof OAuthException e && "invalid_client".equals(e.error().code())) {
        failures.record(failureEntry(tenantId, request, source, e.error().description()));
      }
    });
  }

  private static AuditLog.Entry failureEntry(String tenantId, TokenRequest request, String source, String reason) {
    String clientId = request.basicMalformed() ? null
        : request.basicClientId() != null ? request.basicClientId() : request.param("client_id");
    JsonObject details = new JsonObject().put("reason", reason);
    if (clientId == null) {
      String named = tenantId.length() > MAX_AUDITED_TENANT ? tenantId.substring(0, MAX_AUDITED_TENANT) + "..."
          : tenantId;
      return new AuditLog.Entry(null, "anonymous", "client.auth.failure", null, AuditLog.FAILURE, source,
          details.put("tenant", named));
    }
    // Made-up ids may be long: keep the memory and the audit row small.
    if (clientId.length() > MAX_AUDITED_CLIENT) clientId = clientId.substring(0, MAX_AUDITED_CLIENT) + "...";
    // A client was looked up (an unknown tenant fails before this as not_found): the tenant exists.
    return new AuditLog.Entry(tenantId, "client:" + clientId, "client.auth.failure", null, AuditLog.FAILURE, source,
        details);
  }

  private Future<OAuthClient> verify(String tenantId, TokenRequest request) {
    if (request.basicMalformed()) {
      return Future.failedFuture(OAuthError.invalidClient("malformed Basic authorization header").exception());
    }
    String postedId = request.param("client_id");
    String postedSecret = request.param("client_secret");
    if (request.basicClientId() != null && postedSecret != null) {
      return Future.failedFuture(OAuthError.invalidRequest("use one client authentication method, not two").exception());
    }
    if (request.basicClientId() != null && postedId != null && !postedId.equals(request.basicClientId())) {
      return Future.failedFuture(OAuthError.invalidRequest("client_id differs from the Basic credentials").exception());
    }
    String clientId = request.basicClientId() != null ? request.basicClientId() : postedId;
    String basicSecret = request.basicClientSecret();
    // "id:" in Basic is "no secret" (Go's oauth2 sends it for public clients, as kubelogin does).
    String secret = request.basicClientId() != null ? (basicSecret == null || basicSecret.isEmpty() ? null : basicSecret)
        : postedSecret;
    if (clientId == null) {
      return Future.failedFuture(OAuthError.invalidClient("client authentication required").exception());
    }
    return directory.find(tenantId, clientId)
        .compose(found -> {
          if (found == null) return Future.failedFuture(OAuthError.notFound("unknown tenant").exception());
          if (found.isEmpty()) return Future.failedFuture(OAuthError.invalidClient("unknown client").exception());
          OAuthClient client = found.get();
          if (client.isPublic()) {
            return secret == null ? Future.succeededFuture(client)
                : Future.failedFuture(OAuthError.invalidClient("a public client has no secret").exception());
          }
          if (secret == null) {
            return Future.failedFuture(OAuthError.invalidClient("client secret required").exception());
          }
          return checkSecret(client, secret).compose(ok -> ok ? Future.succeededFuture(client)
              : Future.failedFuture(OAuthError.invalidClient("wrong client secret").exception()));
        });
  }

  private Future<Boolean> checkSecret(OAuthClient client, String secret) {
    String key = client.tenantId() + "\n" + client.id() + "\n" + client.secretHash();
    byte[] presented = sha256(secret);
    byte[] remembered = verifiedSecrets.get(key);
    if (remembered != null) return Future.succeededFuture(MessageDigest.isEqual(remembered, presented));
    return hasher.verify(client.secretHash(), secret.toCharArray()).map(ok -> {
      if (ok) {
        if (verifiedSecrets.size() >= MAX_REMEMBERED) verifiedSecrets.clear();
        verifiedSecrets.put(key, presented);
      }
      return ok;
    });
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
