package dev.lanyard.idp.login;

import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.LoginSession;
import dev.lanyard.storage.model.User;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * {@link LoginSessions} on the {@code login_sessions} table. The cookie carries the session id and a 256-bit secret;
 * the table holds the secret's SHA-256 only, compared in constant time. A session is live until it is ended, its
 * absolute lifetime runs out, or it goes unused for the idle timeout; lastSeenAt moves at most once a minute, so
 * pages do not write on every request.
 */
public final class LoginSessionService implements LoginSessions {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  private static final int MAX_USER_AGENT = 256;

  private final Storage storage;
  private final Clock clock;
  private final LoginCookies cookies;
  private final Duration lifetime;
  private final Duration idle;

  public LoginSessionService(Storage storage, Clock clock, boolean secureCookies, Duration lifetime, Duration idle) {
    this.storage = storage;
    this.clock = clock;
    this.cookies = new LoginCookies(secureCookies);
    this.lifetime = lifetime;
    this.idle = idle;
  }

  @Override
  public Future<Optional<SignedIn>> current(RoutingContext ctx, String tenantId) {
    CookieValue value = CookieValue.parse(cookies.read(ctx));
    if (value == null) return Future.succeededFuture(Optional.empty());
    Instant now = clock.instant();
    return storage.transaction(s -> {
      Optional<LoginSession> found = s.loginSessions().find(tenantId, value.id());
      if (found.isEmpty()) return Optional.<SignedIn>empty();
      LoginSession session = found.get();
      if (!MessageDigest.isEqual(session.secretHash(), sha256(value.secret())) || !session.liveAt(now, idle)) {
        return Optional.<SignedIn>empty();
      }
      Optional<User> user = s.users().find(tenantId, session.userId()).filter(User::enabled);
      if (user.isEmpty()) return Optional.<SignedIn>empty();
      if (session.lastSeenAt().plus(TOUCH_EVERY).isBefore(now)) s.loginSessions().touch(tenantId, session.id(), now);
      return Optional.of(new SignedIn(user.get(), session.id(), session.authTime().getEpochSecond()));
    });
  }

  /**
   * Starts a session for {@code user}, who just typed their password, inside the caller's transaction {@code s},
   * ending the browser's previous one; the cookie is set on {@code ctx} by {@link #setCookie} once that
   * transaction committed.
   *
   * @return the cookie value to set
   */
  public Started start(StoreSession s, RoutingContext ctx, User user, Instant authTime) {
    // A sign-in replaces the browser's previous session in this tenant (prompt=login, another user): end it, so
    // an old cookie value cannot come back to life.
    CookieValue previous = CookieValue.parse(cookies.read(ctx));
    if (previous != null) {
      s.loginSessions().find(user.tenantId(), previous.id())
          .filter(old -> MessageDigest.isEqual(old.secretHash(), sha256(previous.secret())))
          .ifPresent(old -> s.loginSessions().end(user.tenantId(), old.id(), authTime));
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String id = TimeOrderedIds.next();
    String agent = ctx.request().getHeader("User-Agent");
    if (agent != null && agent.length() > MAX_USER_AGENT) agent = agent.substring(0, MAX_USER_AGENT);
    LoginSession session = new LoginSession(user.tenantId(), id, user.id(), sha256(secretText), authTime, authTime,
        authTime, authTime.plus(lifetime), null, SourceAddress.of(ctx), agent);
    s.loginSessions().create(session);
    return new Started(new SignedIn(user, id, authTime.getEpochSecond()), id + "." + secretText);
  }

  /** A session just created by {@link #start}, and its cookie value. */
  public record Started(SignedIn signedIn, String cookieValue) {}

  public void setCookie(RoutingContext ctx, String tenantId, Started started) {
    cookies.set(ctx, tenantId, started.cookieValue());
  }

  /** Whether the request carries no session cookie for this tenant at all. */
  public boolean cookieAbsent(RoutingContext ctx) {
    return cookies.read(ctx) == null;
  }

  /** Ends the request's session, if any (the row is kept, ended), and clears the cookie. */
  public Future<Optional<String>> end(RoutingContext ctx, String tenantId) {
    CookieValue value = CookieValue.parse(cookies.read(ctx));
    cookies.clear(ctx, tenantId);
    if (value == null) return Future.succeededFuture(Optional.empty());
    Instant now = clock.instant();
    return storage.transaction(s -> {
      Optional<LoginSession> found = s.loginSessions().find(tenantId, value.id());
      if (found.isEmpty() || !MessageDigest.isEqual(found.get().secretHash(), sha256(value.secret()))) {
        return Optional.<String>empty();
      }
      return s.loginSessions().end(tenantId, value.id(), now) ? Optional.of(found.get().userId()) : Optional.empty();
    });
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record CookieValue(String id, String secret) {
    static CookieValue parse(String raw) {
      if (raw == null || raw.length() > 200) return null;
      int dot = raw.indexOf('.');
      if (dot <= 0 || dot == raw.length() - 1) return null;
      return new CookieValue(raw.substring(0, dot), raw.substring(dot + 1));
    }
  }
}
