package dev.lanyard.idp.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwkThumbprintTest {
  @Test
  void matchesTheWorkedExampleOfRfc7638Section3_1() throws Exception {
    String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
        + "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368Q"
        + "QMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2Nc"
        + "Rwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, Base64.getUrlDecoder().decode(n)), BigInteger.valueOf(65537)));

    assertThat(JwkThumbprint.sha256(key)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  }

  @Test
  void unsignedEncodingDropsTheSignByte() {
    // 2^63 needs a leading 0x00 in two's complement, which the JWK encoding must not carry.
    assertThat(Base64.getUrlDecoder().decode(JwkThumbprint.base64urlUInt(BigInteger.ONE.shiftLeft(63))))
        .hasSize(8);
    assertThat(JwkThumbprint.base64urlUInt(BigInteger.valueOf(65537))).isEqualTo("AQAB");
  }
}
