package io.vertable.shared.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Who sees what of a chat event: the one rule behind the streams, sync and history. */
class MessageViewsTest {

    static final String PIP = "pip", QUIN = "quin", GM = "gm-user";

    @Test
    void publicMessagesAreWholeForEveryone() {
        JsonObject event = event(Audience.ALL, new JsonObject().put("text", "hello"));
        for (String viewer : new String[] {PIP, QUIN, GM}) {
            assertThat(MessageViews.forViewer(event, viewer, viewer.equals(GM))
                            .getJsonObject("data")
                            .getString("text"))
                    .isEqualTo("hello");
        }
        assertThat(MessageViews.forRoomStream(event).getString("type")).isEqualTo("chat.message");
        assertThat(MessageViews.forGmStream(event).getString("type")).isEqualTo("chat.message");
        assertThat(MessageViews.forRoomStream(event).containsKey("audience")).isFalse();
    }

    @Test
    void aWhisperIsWholeForItsNamedUsersOnly() {
        JsonObject event =
                event(Audience.users(new JsonArray().add(PIP).add(QUIN), false), new JsonObject().put("text", "psst"));
        assertThat(text(MessageViews.forViewer(event, QUIN, false))).isEqualTo("psst");
        assertThat(MessageViews.forViewer(event, GM, true).getString("type")).isEqualTo("redacted");
        assertThat(MessageViews.forViewer(event, "other", false).encode()).doesNotContain("psst");
        assertThat(MessageViews.forRoomStream(event).encode()).doesNotContain("psst");
        assertThat(MessageViews.forGmStream(event).encode()).doesNotContain("psst");
        assertThat(Audience.namedUsers(event.getValue("audience"))).containsExactly(PIP, QUIN);
    }

    @Test
    void aWhisperToTheGmsReachesEveryGm() {
        JsonObject event =
                event(Audience.users(new JsonArray().add(PIP), true), new JsonObject().put("text", "for the GM"));
        assertThat(text(MessageViews.forViewer(event, GM, true))).isEqualTo("for the GM");
        assertThat(text(MessageViews.forGmStream(event))).isEqualTo("for the GM");
        assertThat(MessageViews.forViewer(event, QUIN, false).getString("type")).isEqualTo("redacted");
    }

    @Test
    void theBlindRollerGetsATeaserWithoutResults() {
        JsonObject roll = new JsonObject()
                .put("expression", "1d20+7")
                .put("total", 19)
                .put("dice", new JsonArray().add(new JsonObject().put("faces", 20)))
                .put("draws", new JsonArray().add(new JsonArray().add(20).add(12)));
        JsonObject event = event(
                RollMode.BLIND.audience(PIP),
                new JsonObject()
                        .put("kind", "roll")
                        .put("mode", "blind")
                        .put("from", PIP)
                        .put("flavor", "stealth")
                        .put("rolls", new JsonArray().add(roll)));
        JsonObject teaser = MessageViews.forViewer(event, PIP, false);
        assertThat(teaser.getJsonObject("data").getBoolean("hidden")).isTrue();
        assertThat(teaser.getJsonObject("data").getString("flavor")).isEqualTo("stealth");
        assertThat(teaser.encode()).doesNotContain("total", "draws", "\"dice\"", "19");
        assertThat(MessageViews.forViewer(event, QUIN, false).getString("type")).isEqualTo("redacted");
        assertThat(MessageViews.forViewer(event, GM, true).getJsonObject("data").getJsonArray("rolls"))
                .isEqualTo(new JsonArray().add(roll));
    }

    @Test
    void rollModesMapToAudiences() {
        assertThat(RollMode.PUBLIC.audience(PIP)).isEqualTo(Audience.ALL);
        assertThat(RollMode.BLIND.audience(PIP)).isEqualTo(Audience.GM);
        assertThat(Audience.includes(RollMode.GM.audience(PIP), PIP, false)).isTrue();
        assertThat(Audience.includes(RollMode.GM.audience(PIP), GM, true)).isTrue();
        assertThat(Audience.includes(RollMode.GM.audience(PIP), QUIN, false)).isFalse();
        assertThat(Audience.includes(RollMode.SELF.audience(PIP), PIP, false)).isTrue();
        assertThat(Audience.includes(RollMode.SELF.audience(PIP), GM, true)).isFalse();
        assertThat(RollMode.fromName("blind")).contains(RollMode.BLIND);
        assertThat(RollMode.fromName("loud")).isEmpty();
    }

    @Test
    void malformedAudiencesAreNotValid() {
        assertThat(Audience.valid("all")).isTrue();
        assertThat(Audience.valid(Audience.users(new JsonArray().add(PIP), false)))
                .isTrue();
        assertThat(Audience.valid("everyone")).isFalse();
        assertThat(Audience.valid(new JsonObject())).isFalse();
        assertThat(Audience.valid(new JsonObject().put("users", new JsonArray().add(3))))
                .isFalse();
        assertThat(Audience.valid(new JsonObject().put("users", new JsonArray()).put("gm", "yes")))
                .isFalse();
        assertThat(Audience.includes("nonsense", PIP, true)).isFalse();
    }

    private static JsonObject event(Object audience, JsonObject data) {
        return new JsonObject()
                .put("room", "r1")
                .put("seq", 7L)
                .put("type", "chat.message")
                .put("actor", PIP)
                .put("ts", 1L)
                .put("audience", audience)
                .put("data", data)
                .put("cid", "c1");
    }

    private static String text(JsonObject form) {
        return form.getJsonObject("data").getString("text");
    }
}
