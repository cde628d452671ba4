package io.vertable.shared.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.RoomRole;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WireContractsTest {

    @Test
    void controlMessagesRoundTripWithTheSessionIdTheCodeSends() {
        var revoked = BridgeControl.revoked("u1", "s1", 42);
        assertThat(revoked.toJson())
                .isEqualTo(new JsonObject()
                        .put("type", "revoked")
                        .put("userId", "u1")
                        .put("sid", "s1")
                        .put("until", 42L));
        for (var message : new BridgeControl[] {
            revoked,
            BridgeControl.membership("r1", "u1", BridgeControl.Change.ROLE, RoomRole.OBSERVER),
            BridgeControl.membership("r1", "u1", BridgeControl.Change.BANNED, null),
            BridgeControl.roomDeleted("r1")
        }) {
            assertThat(BridgeControl.fromJson(message.toJson())).contains(message);
        }
        assertThat(BridgeControl.fromJson(new JsonObject().put("type", "other")))
                .isEmpty();
        assertThat(BridgeControl.fromJson(new JsonObject().put("type", 3))).isEmpty();
    }

    @Test
    void eachRoomOpOnceAndOnlyThePlayersOpsForPlayers() {
        assertThat(Arrays.stream(RoomOp.values()).map(RoomOp::wire).distinct()).hasSize(RoomOp.values().length);
        assertThat(Arrays.stream(RoomOp.values()).filter(op -> op.allows(RoomRole.PLAYER)))
                .containsExactlyInAnyOrder(
                        RoomOp.TOKEN_MOVE,
                        RoomOp.TOKENS_MOVE,
                        RoomOp.TOKEN_UPDATE,
                        RoomOp.DRAWING_CREATE,
                        RoomOp.DRAWING_REMOVE,
                        RoomOp.DRAWING_UNDO,
                        RoomOp.DOOR_SET);
        assertThat(Arrays.stream(RoomOp.values()).filter(op -> op.allows(RoomRole.OBSERVER)))
                .isEmpty();
        assertThat(Arrays.stream(RoomOp.values())).allMatch(op -> op.allows(RoomRole.GM));
    }

    @Test
    void eventTypesAreUniqueAndOnlyChatIsAMessage() {
        for (EventType type : EventType.values()) {
            assertThat(EventType.parse(type.wire())).contains(type);
            assertThat(type.message()).isEqualTo(type.wire().startsWith("chat."));
        }
        assertThat(EventType.parse("token.teleported")).isEmpty();
    }
}
