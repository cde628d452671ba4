package io.vertable.shared.wire;

import static io.vertable.shared.wire.Deadlines.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    @Test
    void innerWaitsEndBeforeOuterOnes() {
        // store < claim (a claim loads the room) < route (the router retries forwards and claims)
        assertThat(STORE_CALL_MS).isLessThan(CLAIM_MS);
        assertThat(OWNER_FORWARD_MS).isLessThan(CLAIM_MS);
        assertThat(CLAIM_MS).isLessThan(ROUTE_MS);
        // a claim takes the lock, records its holder and loads the room, all inside the claim's own wait
        assertThat(ROOM_LOCK_MS + ROOM_CLAIM_GRACE_MS + STORE_CALL_MS).isLessThan(CLAIM_MS);
        // ...and ends, registering its addresses too, whatever hangs, while the router that asked can still ask again
        assertThat(ROOM_LOCK_MS + ROOM_CLAIM_GRACE_MS + STORE_CALL_MS + ROOM_ADDRESSES_MS)
                .isLessThan(ROUTE_MS);
        // chat and dice post to the owner inside the router's relay to them
        assertThat(STORE_CALL_MS).isLessThan(ROOM_POST_MS);
        assertThat(ROOM_POST_MS).isLessThan(ROUTE_MS);
        // the router answers before the bridge gives up, and the bridge before the browser does
        assertThat(ROUTE_MS).isLessThan(BRIDGE_REPLY_MS);
        assertThat(BRIDGE_REPLY_MS).isLessThanOrEqualTo(CLIENT_REQUEST_MS);
        // a Redis call on a request's path is far inside any of them
        assertThat(REDIS_CALL_MS).isLessThan(READINESS_CHECK_MS);
    }

    @Test
    void theBrowserWaitsAsLongAsTheBudgetSays() throws Exception {
        String bus = Files.readString(Path.of("..", "webroot", "src", "table", "bus.js"));
        var constant = Pattern.compile("const REQUEST_TIMEOUT_MS = ([0-9_]+);").matcher(bus);
        assertThat(constant.find()).as("bus.js declares REQUEST_TIMEOUT_MS").isTrue();
        assertThat(Long.parseLong(constant.group(1).replace("_", ""))).isEqualTo(CLIENT_REQUEST_MS);
    }
}
