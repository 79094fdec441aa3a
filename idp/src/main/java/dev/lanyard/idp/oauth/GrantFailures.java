package dev.lanyard.idp.oauth;

import dev.lanyard.idp.audit.AuditLog;
import dev.lanyard.idp.audit.RepeatedFailures;
import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.json.JsonObject;

/**
 * Audits a grant refused with {@code invalid_grant} because what the client presented does not work (an unknown,
 * expired, revoked or mismatched code or token, a disabled account) as {@code token.grant.failure}, with the
 * client as actor. Anyone holding a client id can cause these at request rate, so they go through
 * {@link RepeatedFailures}, as failed client authentications do: a flood writes one row per kind and window.
 * Replays are not recorded here; they are audited on their own, with what they revoked.
 */
public final class GrantFailures {
  public static final String ACTION = "token.grant.failure";

  private final RepeatedFailures failures;

  public GrantFailures(RepeatedFailures failures) {
    this.failures = failures;
  }

  /**
   * @param target the user concerned ({@code user:<id>}) when the grant names one, else null
   * @param reason what was wrong, for operators; the client's answer may say less
   * @param source the caller's address, or null
   */
  public void record(String tenantId, OAuthClient client, String grantType, String target, String reason,
      String source) {
    failures.record(new AuditLog.Entry(tenantId, "client:" + client.id(), ACTION, target, AuditLog.FAILURE, source,
        new JsonObject().put("reason", reason).put("grant", grantType)));
  }
}
