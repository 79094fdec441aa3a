package dev.lanyard.idp.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
  private static final byte[] AAD = "tenant/kid".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SECRET = "private key bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void firstLoadCreatesA32ByteOwnerOnlyFileAndLaterLoadsReuseIt() throws Exception {
    Path data = dir.resolve("data"); // does not exist yet
    MasterKey first = MasterKey.load(data, Map.of());

    Path file = data.resolve(MasterKey.FILE_NAME);
    assertThat(Files.readAllBytes(file)).hasSize(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(data).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));

    MasterKey second = MasterKey.load(data, Map.of());
    assertThat(second.decrypt(first.encrypt(SECRET, AAD), AAD)).isEqualTo(SECRET);
  }

  @Test
  void refusesAKeyFileReadableByOthers() throws Exception {
    MasterKey.load(dir, Map.of());
    Path file = dir.resolve(MasterKey.FILE_NAME);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> MasterKey.load(dir, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accessible by group or others").hasMessageContaining("chmod 600");
  }

  @Test
  void refusesAKeyFileOfTheWrongSize() throws Exception {
    Path file = dir.resolve(MasterKey.FILE_NAME);
    Files.write(file, new byte[16]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> MasterKey.load(dir, Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds 16");
  }

  @Test
  void environmentVariableWinsOverTheFile() {
    byte[] raw = new byte[32];
    raw[0] = 7;
    String b64 = Base64.getEncoder().encodeToString(raw);
    MasterKey fromEnv = MasterKey.load(dir, Map.of(MasterKey.ENV_VAR, b64 + "\n"));

    assertThat(dir.resolve(MasterKey.FILE_NAME)).doesNotExist();
    byte[] ciphertext = fromEnv.encrypt(SECRET, AAD);
    assertThat(new MasterKey(raw).decrypt(ciphertext, AAD)).isEqualTo(SECRET);
  }

  @Test
  void environmentVariableMustBeBase64OfExactly32Bytes() {
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> MasterKey.load(dir, Map.of(MasterKey.ENV_VAR, short16)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("decodes to 16 bytes");
    assertThatThrownBy(() -> MasterKey.load(dir, Map.of(MasterKey.ENV_VAR, "not base64!")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> MasterKey.load(dir, Map.of(MasterKey.ENV_VAR, "")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("decodes to 0 bytes");
  }

  @Test
  void ciphertextHasVersionByteAndFreshNonceEveryTime() {
    MasterKey key = new MasterKey(new byte[32]);
    byte[] a = key.encrypt(SECRET, AAD);
    byte[] b = key.encrypt(SECRET, AAD);

    assertThat(a[0]).isEqualTo((byte) 1);
    assertThat(a).hasSize(1 + 12 + SECRET.length + 16).isNotEqualTo(b);
    assertThat(key.decrypt(a, AAD)).isEqualTo(SECRET);
    assertThat(key.decrypt(b, AAD)).isEqualTo(SECRET);
  }

  @Test
  void decryptFailsWithWrongKeyWrongAadOrTampering() {
    byte[] other = new byte[32];
    other[31] = 1;
    MasterKey key = new MasterKey(new byte[32]);
    byte[] ciphertext = key.encrypt(SECRET, AAD);

    assertThatThrownBy(() -> new MasterKey(other).decrypt(ciphertext, AAD))
        .isInstanceOf(MasterKey.DecryptionException.class).hasMessageContaining("wrong master key");
    assertThatThrownBy(() -> key.decrypt(ciphertext, "tenant/other".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MasterKey.DecryptionException.class).hasMessageContaining("wrong associated data");
    byte[] tampered = ciphertext.clone();
    tampered[20] ^= 1;
    assertThatThrownBy(() -> key.decrypt(tampered, AAD)).isInstanceOf(MasterKey.DecryptionException.class);
    byte[] otherVersion = ciphertext.clone();
    otherVersion[0] = 2;
    assertThatThrownBy(() -> key.decrypt(otherVersion, AAD))
        .isInstanceOf(MasterKey.DecryptionException.class).hasMessageContaining("version 2");
    assertThatThrownBy(() -> key.decrypt(new byte[5], AAD))
        .isInstanceOf(MasterKey.DecryptionException.class).hasMessageContaining("too short");
  }

  @Test
  void toStringRevealsNothing() {
    assertThat(new MasterKey(new byte[32]).toString()).isEqualTo("MasterKey[redacted]");
  }
}
