package dev.lanyard.idp.tokens;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.storage.NotFoundException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.StoreSession;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.OpaqueToken;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.Tenant;
import dev.lanyard.storage.model.TenantSettings;
import dev.lanyard.storage.model.TokenKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Mints and revokes opaque tokens. A token is shown once, at minting; storage keeps its SHA-256. Revoking
 * tells every Lanyard process sharing the database (change topic {@link #CHANGE_TOPIC}), so the next review
 * anywhere refuses it.
 */
public final class TokenService {
  /** Change-feed topic; the payload is the token's hash in hex. */
  public static final String CHANGE_TOPIC = "token";

  private final Storage storage;
  private final AuditLog audit;
  private final Clock clock;
  private final LanyardConfig.Tokens limits;

  /** An admin token's lifetime when none is asked (a working session), or the maximum when that is shorter. */
  public static final Duration ADMIN_DEFAULT_TTL = Duration.ofHours(12);

  public TokenService(Storage storage, AuditLog audit, Clock clock, LanyardConfig.Tokens limits) {
    this.storage = storage;
    this.audit = audit;
    this.clock = clock;
    this.limits = limits;
  }

  /** A new token and its clear text, which is never available again. */
  public record Minted(OpaqueToken token, String secret) {}

  /**
   * What to mint. {@code ttl} null: the default ({@link #ADMIN_DEFAULT_TTL} for admin tokens, else the tenant's),
   * within the maximum; {@code clusters} (names) empty: every cluster. The token is bound to these clusters as they
   * are now: its {@link OpaqueToken#clusters} are their uids, in the same order.
   */
  public record MintRequest(String tenantId, TokenKind kind, PrincipalType principalType, String principalId,
      Duration ttl, List<String> clusters, String description) {}

  /**
   * Mints a token. Fails with {@link IllegalArgumentException} (bad ttl, disabled principal, unknown cluster; its
   * message starts with the request field: {@code ttl}, {@code user} or {@code robot}, {@code clusters[i]}) or
   * {@link NotFoundException} (unknown tenant or principal); nothing is written then.
   */
  public Future<Minted> mint(MintRequest request, String actor, String source) {
    OpaqueTokenFormat format = request.kind() == TokenKind.ADMIN ? OpaqueTokenFormat.ADMIN : OpaqueTokenFormat.KUBERNETES;
    String secret = format.generate();
    return storage.transaction(s -> {
      Tenant tenant = s.tenants().find(request.tenantId())
          .orElseThrow(() -> new NotFoundException("no tenant " + request.tenantId()));
      Duration ttl = ttl(tenant.settings(), request.kind(), request.ttl());
      checkPrincipal(s, request);
      List<String> clusterUids = new ArrayList<>();
      for (int i = 0; i < request.clusters().size(); i++) {
        String cluster = request.clusters().get(i);
        int index = i;
        clusterUids.add(s.clusters().find(request.tenantId(), cluster)
            .orElseThrow(() -> new IllegalArgumentException("clusters[" + index + "]: no cluster '" + cluster
                + "' in tenant " + request.tenantId()))
            .uid());
      }
      Instant now = clock.instant();
      OpaqueToken token = new OpaqueToken(request.tenantId(), TimeOrderedIds.next(),
          OpaqueTokenFormat.hash(secret), request.kind(), request.principalType(), request.principalId(),
          request.description(), clusterUids, now, now.plus(ttl), null, null, actor);
      s.tokens().create(token);
      audit.record(s, new AuditLog.Entry(request.tenantId(), actor, "token.create", "token:" + token.id(),
          AuditLog.SUCCESS, source, new JsonObject().put("kind", request.kind().name())
              .put("principal", request.principalType().name().toLowerCase() + ":" + request.principalId())
              .put("expiresAt", token.expiresAt().toString()).put("clusters", new JsonArray(request.clusters()))));
      return new Minted(token, secret);
    });
  }

  /** Revokes; returns whether it was active. Fails with {@link NotFoundException} for an unknown token. */
  public Future<Boolean> revoke(String tenantId, String tokenId, String actor, String source) {
    return storage.transaction(s -> {
      OpaqueToken token = s.tokens().find(tenantId, tokenId)
          .orElseThrow(() -> new NotFoundException("no token " + tokenId + " in tenant " + tenantId));
      boolean changed = s.tokens().revoke(tenantId, tokenId, clock.instant());
      if (changed) {
        s.notifyChange(CHANGE_TOPIC, HexFormat.of().formatHex(token.hash()));
        audit.record(s, new AuditLog.Entry(tenantId, actor, "token.revoke", "token:" + tokenId, AuditLog.SUCCESS,
            source, null));
      }
      return changed;
    });
  }

  /** The configured longest token lifetime: tenants may only set shorter ones. */
  public Duration maxTtl() {
    return limits.opaqueMaxTtl();
  }

  /**
   * The longest lifetime a token of a tenant with these {@code settings} may get: the tenant's maximum, never
   * above the configured one (which may have been lowered after the tenant's was stored).
   */
  public Duration maxTtl(TenantSettings settings) {
    Duration tenantMax = settings.tokenMaxTtl();
    return tenantMax != null && tenantMax.compareTo(limits.opaqueMaxTtl()) < 0 ? tenantMax : limits.opaqueMaxTtl();
  }

  /** The lifetime to give: the asked one within {@link #maxTtl(TenantSettings)}, else the default. */
  Duration ttl(TenantSettings settings, TokenKind kind, Duration asked) {
    Duration max = maxTtl(settings);
    if (asked == null) { // a default above the maximum (or stored before it was lowered) gives the maximum
      Duration fallback = kind == TokenKind.ADMIN ? ADMIN_DEFAULT_TTL
          : settings.tokenDefaultTtl() != null ? settings.tokenDefaultTtl() : limits.opaqueDefaultTtl();
      return fallback.compareTo(max) > 0 ? max : fallback;
    }
    if (asked.isZero() || asked.isNegative()) throw new IllegalArgumentException("ttl: must be positive");
    if (asked.compareTo(max) > 0) {
      throw new IllegalArgumentException("ttl: at most " + dev.lanyard.idp.config.DurationText.format(max));
    }
    return asked;
  }

  private static void checkPrincipal(StoreSession s, MintRequest r) {
    boolean enabled = switch (r.principalType()) {
      case USER -> s.users().find(r.tenantId(), r.principalId())
          .orElseThrow(() -> new NotFoundException("no user " + r.principalId() + " in tenant " + r.tenantId()))
          .enabled();
      case ROBOT -> s.robots().find(r.tenantId(), r.principalId())
          .orElseThrow(() -> new NotFoundException("no robot " + r.principalId() + " in tenant " + r.tenantId()))
          .enabled();
    };
    // Named as the admin API's request names the principal: "user" or "robot".
    if (!enabled) {
      throw new IllegalArgumentException(r.principalType().name().toLowerCase(java.util.Locale.ROOT)
          + ": disabled, it cannot get a token");
    }
  }
}
