package dev.lanyard.idp.cli;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.config.DurationText;
import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.tokens.TokenService;
import dev.lanyard.storage.model.PrincipalType;
import dev.lanyard.storage.model.TokenKind;
import dev.lanyard.storage.model.User;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lanyard admin-token}: mints an admin API token for a user holding an admin role, on a stopped
 * Lanyard's data directory (it takes the data directory lock). The token is printed once, alone on standard
 * output; the mint is audited with actor {@code cli}.
 */
@Command(name = "admin-token", mixinStandardHelpOptions = true,
    description = "Mint an admin REST API token (lya_...) for an administrator while Lanyard is stopped. "
        + "Printed once; only its hash is stored.")
public final class AdminTokenCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--tenant", paramLabel = "T", description = "The administrator's tenant (default: the bootstrap tenant).")
  String tenant;

  @Option(names = "--user", paramLabel = "U", description = "The administrator's username (default: the bootstrap admin).")
  String user;

  @Option(names = "--ttl", paramLabel = "D",
      description = "Lifetime, e.g. 12h or 30d (default: 12h, or the tenant's token maximum when that is shorter).")
  String ttl;

  @Override
  public Integer call() {
    Duration asked = ttl != null ? DurationText.parse(ttl) : null;
    LanyardConfig config = options.load(Map.of());
    String t = tenant != null ? tenant : config.bootstrap().tenant();
    String u = user != null ? user : config.bootstrap().adminUsername();
    try (OfflineLanyard lanyard = new OfflineLanyard(config)) {
      User admin = lanyard.storage.transactionBlocking(s -> {
        if (s.tenants().find(t).isEmpty()) throw new IllegalArgumentException("no tenant " + t);
        User found = s.users().findByUsername(t, u)
            .orElseThrow(() -> new IllegalArgumentException("no user " + u + " in tenant " + t));
        if (s.adminRoles().rolesOf(t, found.id()).isEmpty()) {
          throw new IllegalArgumentException("user " + u + " of tenant " + t + " holds no admin role");
        }
        if (!found.enabled()) throw new IllegalArgumentException("user " + u + " of tenant " + t + " is disabled");
        return found;
      });
      Clock clock = Clock.systemUTC();
      TokenService tokens = new TokenService(lanyard.storage, new AuditLog(clock), clock, config.tokens());
      TokenService.Minted minted = tokens.mint(new TokenService.MintRequest(t, TokenKind.ADMIN, PrincipalType.USER,
          admin.id(), asked, List.of(), "lanyard admin-token"), "cli", null).await();
      System.out.println(minted.secret());
      System.err.println("lanyard admin-token: token " + minted.token().id() + " for " + t + "/" + u + ", expires "
          + minted.token().expiresAt() + " (shown only now)");
      return 0;
    }
  }
}
