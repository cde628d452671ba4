package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.RoomRole;
import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The room's dice dialect and seed period: what rolls need from the room state, and what views show of it. */
class RoomDiceStateTest {

    static final Actor GM = new Actor("gm", RoomRole.GM);
    static final Actor PLAYER = new Actor("pip", RoomRole.PLAYER);

    @Test
    void aGmSetsTheDialectAndEveryoneSeesIt() {
        JsonObject state = RoomReducer.empty("r");
        assertThat(RoomReducer.settingsOf(state).getString("dialect")).isEqualTo("roll20");
        var decision =
                RoomCommands.decide(state, "room.settings", new JsonObject().put("dialect", "Foundry"), GM, () -> "x");
        assertThat(decision.accepted()).isTrue();
        JsonObject before = RoomViews.player(state);
        RoomReducer.apply(
                state,
                1,
                decision.changes().get(0).type(),
                decision.changes().get(0).data());
        JsonObject patch = RoomViews.diff(before, RoomViews.player(state));
        assertThat(patch.getJsonObject("settings").getString("dialect")).isEqualTo("foundry");
        RoomViews.applyPatch(before, patch);
        assertThat(before).isEqualTo(RoomViews.player(state));
    }

    @Test
    void playersCannotChangeSettingsAndUnknownDialectsAreRefused() {
        JsonObject state = RoomReducer.empty("r");
        assertThat(RoomCommands.decide(
                                state, "room.settings", new JsonObject().put("dialect", "foundry"), PLAYER, () -> "x")
                        .failure()
                        .code())
                .isEqualTo(ErrorCode.GM_ONLY);
        assertThat(RoomCommands.decide(state, "room.settings", new JsonObject().put("dialect", "d&d"), GM, () -> "x")
                        .failure()
                        .code())
                .isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void verifiableRollsCountNoncesAndARotationStartsANewPeriod() {
        JsonObject state = RoomReducer.empty("r");
        RoomReducer.apply(state, 1, "chat.message", rollsWithNonces(0, 1));
        RoomReducer.apply(state, 2, "chat.message", new JsonObject().put("text", "no dice"));
        assertThat(RoomReducer.diceOf(state).getLong("nonce")).isEqualTo(2L);
        RoomReducer.apply(state, 3, "chat.message", rollsWithNonces(2));
        assertThat(RoomReducer.diceOf(state).getLong("nonce")).isEqualTo(3L);
        JsonObject revealed =
                new JsonObject().put("period", 1L).put("seed", "ab").put("rolls", 3L);
        RoomReducer.apply(
                state,
                4,
                "dice.seed.rotated",
                new JsonObject().put("period", 2L).put("commitment", "c2").put("revealed", revealed));
        assertThat(RoomReducer.diceOf(state).getLong("period")).isEqualTo(2L);
        assertThat(RoomReducer.diceOf(state).getLong("nonce")).isZero();
        // The nonce is not part of any view (a roll changes nothing a view shows); the new period's commitment and the
        // revealed seed are, for all.
        assertThat(RoomViews.player(state).getJsonObject("dice"))
                .isEqualTo(new JsonObject()
                        .put("period", 2L)
                        .put("commitment", "c2")
                        .put("revealed", revealed));
    }

    @Test
    void roomsStoredBeforeSettingsExistedReadTheDefaults() {
        JsonObject old = RoomReducer.empty("r");
        old.remove("settings");
        old.remove("dice");
        assertThat(RoomReducer.settingsOf(old).getString("dialect")).isEqualTo("roll20");
        assertThat(RoomReducer.diceOf(old).getLong("period")).isEqualTo(1L);
        assertThat(RoomViews.player(old).getJsonObject("settings").getString("dialect"))
                .isEqualTo("roll20");
        RoomReducer.apply(old, 1, "chat.message", rollsWithNonces(0));
        assertThat(RoomReducer.diceOf(old).getLong("nonce")).isEqualTo(1L);
    }

    private static JsonObject rollsWithNonces(long... nonces) {
        JsonArray rolls = new JsonArray();
        for (long nonce : nonces) {
            rolls.add(new JsonObject().put("total", 3).put("verify", new JsonObject().put("nonce", nonce)));
        }
        return new JsonObject().put("kind", "roll").put("rolls", rolls);
    }
}
