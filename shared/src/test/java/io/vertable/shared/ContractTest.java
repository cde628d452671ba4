package io.vertable.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.ErrorCode;
import java.util.Arrays;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class ContractTest {

    @Test
    void streamsAreNotInternalAndStatusAddressesAre() {
        assertThat(Addresses.isInternal(Addresses.room("r1"))).isFalse();
        assertThat(Addresses.isInternal(Addresses.roomGm("r1"))).isFalse();
        assertThat(Addresses.isInternal(Addresses.user("u1"))).isFalse();
        assertThat(Addresses.isInternal(Addresses.PERSIST_PING)).isTrue();
        for (VerticleName v : VerticleName.values()) {
            assertThat(Addresses.isInternal(Addresses.status(v))).isTrue();
        }
    }

    @Test
    void gmStreamIsNotAnotherRoomsStream() {
        // A room id can never make its GM stream collide with another room's public stream.
        assertThat(Addresses.roomGm("a")).isEqualTo("vtt.room.a.gm").isNotEqualTo(Addresses.room("a"));
    }

    @Test
    void verticleNamesRoundTripAndAreUnique() {
        var names = new HashSet<String>();
        for (VerticleName v : VerticleName.values()) {
            assertThat(VerticleName.fromConfigName(v.configName())).contains(v);
            assertThat(names.add(v.configName())).isTrue();
        }
        assertThat(VerticleName.fromConfigName("dicee")).isEmpty();
        assertThat(VerticleName.known()).isEqualTo("http, bridge, dice, map, chat, persistence");
    }

    @Test
    void everyErrorCodeMapsToAnErrorStatusAndExplainsItself() {
        assertThat(ErrorCode.values()).allSatisfy(code -> {
            assertThat(code.httpStatus()).isBetween(400, 599);
            assertThat(code.meaning()).isNotBlank().endsWith(".");
        });
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::name)).doesNotHaveDuplicates();
        assertThat(ErrorCode.NOT_FOUND.toJson("no room r9").encode())
                .isEqualTo("{\"code\":\"NOT_FOUND\",\"message\":\"no room r9\"}");
        assertThat(ErrorCode.RATE_LIMITED.toJson(null).getString("message"))
                .isEqualTo(ErrorCode.RATE_LIMITED.meaning());
    }
}
