package dev.lanyard.idp.device;

import dev.lanyard.idp.config.LanyardConfig;
import dev.lanyard.idp.oauth.ClientAuthenticator;
import dev.lanyard.idp.oauth.OAuthError;
import dev.lanyard.idp.oauth.OAuthErrorResponder;
import dev.lanyard.idp.oauth.Scopes;
import dev.lanyard.idp.oauth.TokenRequest;
import dev.lanyard.idp.server.PostOnly;
import dev.lanyard.idp.server.RequestBodies;
import dev.lanyard.idp.tokens.OpaqueTokenFormat;
import dev.lanyard.storage.AlreadyExistsException;
import dev.lanyard.storage.Storage;
import dev.lanyard.storage.TimeOrderedIds;
import dev.lanyard.storage.model.DeviceAuthorization;
import dev.lanyard.storage.model.OAuthClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /t/{tenant}/device/code}: the device authorization request (RFC 8628 §3.1, §3.2).
 *
 * <p>The client authenticates as at the token endpoint (a public client by {@code client_id}, a confidential one
 * with its secret) and must be allowed the device code grant. The answer holds a fresh device code (kept by the
 * device, stored only as its SHA-256), a user code for the person, the verification page's URI with and without
 * the code, and the lifetime and poll interval from {@code device.*} in the configuration. Unknown scopes are
 * dropped (RFC 6749 §3.3). Errors are RFC 6749 §5.2 JSON.
 */
public final class DeviceAuthorizationEndpoint {
  /** Where this endpoint lives relative to the issuer, for discovery. */
  public static final String PATH = "/device/code";
  /** The verification page, relative to the issuer: where the user types the code (RFC 8628 §3.3). */
  public static final String VERIFICATION_PATH = "/device";
  private static final int BODY_LIMIT = 16_384;
  /** Two live authorizations drawing the same user code is a one-in-billions event; more tries than this is a bug. */
  private static final int ATTEMPTS = 4;

  private final ClientAuthenticator clients;
  private final Storage storage;
  private final Clock clock;
  private final String publicUrl;
  private final LanyardConfig.Device settings;
  private final SecureRandom random = new SecureRandom();

  public DeviceAuthorizationEndpoint(ClientAuthenticator clients, Storage storage, Clock clock, String publicUrl,
      LanyardConfig.Device settings) {
    this.clients = clients;
    this.storage = storage;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.settings = settings;
  }

  public void mount(Router router) {
    router.post("/t/:tenant" + PATH)
        .handler(RequestBodies.limitedTo(BODY_LIMIT))
        .handler(this::handle);
    PostOnly.mount(router, "/t/:tenant" + PATH);
  }

  private void handle(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    String source = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    Future.succeededFuture(ctx.request())
        .map(TokenRequest::parse)
        .compose(request -> clients.authenticate(tenantId, request, source, client -> {
          if (!client.allowsGrant(DeviceCodeGrant.GRANT_TYPE)) {
            return Future.failedFuture(OAuthError.unauthorizedClient(
                "client may not use grant type " + DeviceCodeGrant.GRANT_TYPE).exception());
          }
          return start(tenantId, client, List.copyOf(Scopes.granted(request.param("scope"))), ATTEMPTS);
        }))
        .onSuccess(answer -> ctx.response()
            .putHeader("Content-Type", "application/json;charset=UTF-8")
            .putHeader("Cache-Control", "no-store")
            .putHeader("Pragma", "no-cache")
            .end(answer.encode()))
        .onFailure(err -> OAuthErrorResponder.respond(ctx, err));
  }

  /** Stores a new pending authorization; on a user code collision, draws new codes in a new transaction. */
  private Future<JsonObject> start(String tenantId, OAuthClient client, List<String> scopes, int attemptsLeft) {
    String deviceCode = OpaqueTokenFormat.DEVICE_CODE.generate();
    String userCode = UserCode.generate(random);
    Instant now = clock.instant();
    int interval = (int) settings.pollInterval().toSeconds();
    DeviceAuthorization authorization = DeviceAuthorization.pending(tenantId, TimeOrderedIds.next(),
        OpaqueTokenFormat.hash(deviceCode), userCode, client.id(), scopes, now, now.plus(settings.codeLifetime()),
        interval);
    return storage.transaction(s -> {
      s.deviceAuthorizations().create(authorization);
      return null;
    }).map(v -> answer(tenantId, deviceCode, userCode, interval))
        .recover(err -> err instanceof AlreadyExistsException && attemptsLeft > 1
            ? start(tenantId, client, scopes, attemptsLeft - 1)
            : Future.failedFuture(err));
  }

  private JsonObject answer(String tenantId, String deviceCode, String userCode, int interval) {
    String verificationUri = publicUrl + "/t/" + tenantId + VERIFICATION_PATH;
    String shown = UserCode.display(userCode);
    return new JsonObject()
        .put("device_code", deviceCode)
        .put("user_code", shown)
        .put("verification_uri", verificationUri)
        .put("verification_uri_complete",
            verificationUri + "?user_code=" + URLEncoder.encode(shown, StandardCharsets.UTF_8))
        .put("expires_in", settings.codeLifetime().toSeconds())
        .put("interval", interval);
  }
}
