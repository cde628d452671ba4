package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.RoomRole;
import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Numbers in room commands are range-checked on their exact value: 2^64 + 5 is not 5. */
class NumericInputTest {

    private static final Actor GM = new Actor("gm", RoomRole.GM);
    private static final String HUGE = "18446744073709551621"; // 2^64 + 5

    private final AtomicInteger ids = new AtomicInteger();
    private JsonObject state;
    private String sceneId;
    private String tokenId;

    @BeforeEach
    void room() {
        state = RoomReducer.empty("r");
        apply(decide("scene.create", "{\"name\":\"S\"}"));
        sceneId = state.getString("activeScene");
        apply(decide("token.create", "{\"sceneId\":\"" + sceneId + "\",\"name\":\"T\",\"x\":0,\"y\":0}"));
        tokenId = state.getJsonObject("tokens").fieldNames().iterator().next();
    }

    @Test
    void hitPointsFarOutOfRangeAreRefusedNotWrapped() {
        Decision created = decide(
                "token.create", "{\"sceneId\":\"" + sceneId + "\",\"name\":\"W\",\"x\":0,\"y\":0,\"hp\":" + HUGE + "}");
        assertThat(created.accepted()).as(String.valueOf(created.changes())).isFalse();
        assertThat(created.failure().code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(decide("token.update", "{\"tokenId\":\"" + tokenId + "\",\"hp\":" + HUGE + "}")
                        .accepted())
                .isFalse();
        assertThat(decide("token.update", "{\"tokenId\":\"" + tokenId + "\",\"maxHp\":-" + HUGE + "}")
                        .accepted())
                .isFalse();
        assertThat(decide("token.update", "{\"tokenId\":\"" + tokenId + "\",\"hp\":4294967301}")
                        .accepted())
                .as("2^32 + 5")
                .isFalse();
    }

    @Test
    void wholeNumbersInRangeStillPass() {
        Decision updated = decide("token.update", "{\"tokenId\":\"" + tokenId + "\",\"hp\":5,\"maxHp\":12.0}");
        assertThat(updated.accepted()).isTrue();
        assertThat(updated.changes().get(0).data().getInteger("hp")).isEqualTo(5);
        assertThat(updated.changes().get(0).data().getInteger("maxHp")).isEqualTo(12);
        assertThat(decide("token.update", "{\"tokenId\":\"" + tokenId + "\",\"hp\":5.5}")
                        .accepted())
                .isFalse();
    }

    @Test
    void effectRoundsAreCheckedExactlyToo() {
        apply(decide("initiative.add", "{\"name\":\"Orc\"}"));
        String entryId = state.getJsonObject("initiative")
                .getJsonArray("entries")
                .getJsonObject(0)
                .getString("id");
        assertThat(decide(
                                "initiative.effect",
                                "{\"entryId\":\"" + entryId + "\",\"name\":\"Bless\",\"rounds\":" + HUGE + "}")
                        .accepted())
                .isFalse();
    }

    @Test
    void anImportedTokenWithWrappingHitPointsCannotBeServed() {
        JsonObject token = state.getJsonObject("tokens").getJsonObject(tokenId);
        token.put("hp", new java.math.BigInteger(HUGE));
        assertThat(RoomValidation.problem(state)).contains("hp");
    }

    private Decision decide(String op, String body) {
        return RoomCommands.decide(state, op, new JsonObject(body), GM, () -> "id" + ids.incrementAndGet());
    }

    private void apply(Decision decision) {
        assertThat(decision.accepted()).as(String.valueOf(decision.failure())).isTrue();
        for (Change change : decision.changes()) {
            RoomReducer.apply(state, state.getLong("seq") + 1, change.type(), change.data());
        }
    }
}
