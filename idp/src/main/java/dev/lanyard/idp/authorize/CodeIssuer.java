package dev.lanyard.idp.authorize;

import dev.lanyard.idp.login.SignedIn;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.model.AuthorizationCode;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Mints authorization codes: 256 random bits, stored only as their SHA-256, valid for {@value #LIFETIME_SECONDS}
 * seconds (DESIGN: at most 60 s) and bound to the client, redirect URI, user, login session, scopes, nonce and PKCE
 * challenge of the request.
 */
public final class CodeIssuer {
  public static final long LIFETIME_SECONDS = 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Storage storage;
  private final Clock clock;

  public CodeIssuer(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** The code to hand to the client, once stored. */
  Future<String> issue(AuthorizeRequest request, SignedIn signedIn) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Instant now = clock.instant();
    AuthorizationCode row = new AuthorizationCode(request.tenantId(), hash(code), request.clientId(),
        request.redirectUri(), signedIn.user().id(), signedIn.sessionId(), List.copyOf(request.scopes()),
        request.nonce(), request.codeChallenge(), request.codeChallengeMethod(),
        Instant.ofEpochSecond(signedIn.authTime()), now, now.plus(Duration.ofSeconds(LIFETIME_SECONDS)), null);
    return storage.transaction(s -> {
      s.authorizationCodes().create(row);
      return code;
    });
  }

  /** SHA-256 of a code as handed out: what the table stores and the token endpoint looks up. */
  public static byte[] hash(String code) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
