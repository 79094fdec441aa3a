package dev.lanyard.idp.tokens;

import dev.lanyard.idp.keys.AesGcm;
import dev.lanyard.idp.keys.MasterKey;
import dev.lanyard.storage.model.PrincipalType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Self-contained access tokens: {@code lyat_<base64url of an AesGcm ciphertext (version || nonce || AES-256-GCM
 * ciphertext and tag)>}.
 * The ciphertext holds the token's {@link AccessToken} claims; the tenant is bound as associated data, so a token
 * opens only at the tenant that issued it. Minting one writes nothing to the database (a stored row per token
 * cost more than the rest of a login, bench/RESULTS.md); only revoked tokens are recorded, until they expire.
 *
 * <p>Encrypted rather than only signed, so the token stays opaque to clients and resource servers, as RFC 6749
 * §1.4 lets it be: they learn its meaning through introspection (RFC 7662). The key is derived from the master
 * key, so every Lanyard process sharing the master key opens every other's tokens. A random 96-bit nonce per
 * token keeps one key within NIST SP 800-38D's 2^32 messages for centuries of logins at bench rates; the version
 * byte leaves room for another key or layout later. Fields added since the first layout are appended, and read as
 * empty from a token sealed before them.
 *
 * <p>Thread-safe, as {@link AesGcm} is.
 */
public final class AccessTokenSeal {
  /** What every access token starts with, for people and secret scanners. */
  public static final String PREFIX = "lyat_";
  /** Longer inputs are refused before decoding: a real token is a few hundred characters. */
  static final int MAX_LENGTH = 2_048;
  /** The shortest token {@link #seal} can make: AES-GCM's overhead and the fixed-size fields of an empty claim set. */
  private static final int MIN_LENGTH = PREFIX.length() + (AesGcm.OVERHEAD + 2 + 8 + 8 + 1 + 2 + 2 + 2 + 2 + 2 + 2) * 4 / 3;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final AesGcm aead;

  /** @param keyBytes 32 bytes, e.g. {@code masterKey.derive("access-tokens")} */
  public AccessTokenSeal(byte[] keyBytes) {
    this.aead = new AesGcm(keyBytes, "access token key");
  }

  /** The token string for {@code token}; shown once, in the token response. */
  public String seal(AccessToken token) {
    return PREFIX + ENCODER.encodeToString(aead.encrypt(encode(token), utf8(token.tenantId())));
  }

  /** Whether {@code token} claims to be an access token (its prefix): says nothing about validity. */
  public static boolean hasPrefix(String token) {
    return token != null && token.startsWith(PREFIX);
  }

  /**
   * Whether {@code token} has an access token's shape: the prefix, a plausible length and only base64url
   * characters. For naming a malformed field in an answer; {@link #open} is what accepts a token.
   */
  public static boolean isWellFormed(String token) {
    if (!hasPrefix(token) || token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) return false;
    for (int i = PREFIX.length(); i < token.length(); i++) {
      char c = token.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return false;
    }
    return true;
  }

  /**
   * The claims of a token this tenant issued under this key, or empty for anything else: another tenant's token,
   * a tampered, truncated, oversized or made-up string. Says nothing about expiry or revocation.
   */
  public Optional<AccessToken> open(String tenantId, String token) {
    if (!hasPrefix(token) || token.length() > MAX_LENGTH) return Optional.empty();
    byte[] sealed;
    try {
      sealed = DECODER.decode(token.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    byte[] plaintext;
    try {
      plaintext = aead.decrypt(sealed, utf8(tenantId));
    } catch (MasterKey.DecryptionException e) {
      return Optional.empty();
    }
    return Optional.of(decode(tenantId, plaintext));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] encode(AccessToken t) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(t.id());
      out.writeLong(t.issuedAt().getEpochSecond());
      out.writeLong(t.expiresAt().getEpochSecond());
      out.writeByte(t.principalType() == PrincipalType.USER ? 'U' : 'R');
      out.writeUTF(t.principalId());
      out.writeUTF(t.clientId());
      out.writeUTF(String.join(" ", t.scopes()));
      out.writeUTF(t.familyId() == null ? "" : t.familyId());
      out.writeUTF(t.clientUid());
      out.writeUTF(t.sessionId() == null ? "" : t.sessionId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Only ever called on what {@link #encode} wrote under our key (GCM authenticated it), so it parses. */
  private static AccessToken decode(String tenantId, byte[] plaintext) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext))) {
      String id = in.readUTF();
      Instant issuedAt = Instant.ofEpochSecond(in.readLong());
      Instant expiresAt = Instant.ofEpochSecond(in.readLong());
      PrincipalType type = in.readByte() == 'U' ? PrincipalType.USER : PrincipalType.ROBOT;
      String principalId = in.readUTF();
      String clientId = in.readUTF();
      String scopes = in.readUTF();
      String familyId = in.readUTF();
      // Absent from tokens sealed before clients had a uid and tokens their session: read as empty.
      String clientUid = in.available() > 0 ? in.readUTF() : "";
      String sessionId = in.available() > 0 ? in.readUTF() : "";
      Set<String> scopeSet = new LinkedHashSet<>();
      for (String scope : scopes.split(" ")) {
        if (!scope.isEmpty()) scopeSet.add(scope);
      }
      return new AccessToken(tenantId, id, clientId, clientUid, type, principalId, scopeSet,
          familyId.isEmpty() ? null : familyId, sessionId.isEmpty() ? null : sessionId, issuedAt, expiresAt);
    } catch (IOException e) {
      throw new IllegalStateException("an authenticated access token does not parse", e);
    }
  }
}
