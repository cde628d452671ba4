package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The bridge reads the session token from the handshake's query itself (the routing context's parsed parameters would
 * stay in memory for as long as the socket is open): it must read what the parsed parameters gave.
 */
class BridgeTokenQueryTest {

    @Test
    void theTokenParameterIsFoundAndDecodedWherever() {
        assertThat(BridgeVerticle.tokenOf("token=abc.def-ghi_jkl")).isEqualTo("abc.def-ghi_jkl");
        assertThat(BridgeVerticle.tokenOf("t=1&token=a%2Eb&token=second")).isEqualTo("a.b");
        assertThat(BridgeVerticle.tokenOf("x=token%3Dno&token=yes")).isEqualTo("yes");
    }

    @Test
    void noTokenOrABrokenEscapeIsNoToken() {
        assertThat(BridgeVerticle.tokenOf(null)).isNull();
        assertThat(BridgeVerticle.tokenOf("")).isNull();
        assertThat(BridgeVerticle.tokenOf("mytoken=abc")).isNull();
        assertThat(BridgeVerticle.tokenOf("token=%zz")).isNull();
    }
}
