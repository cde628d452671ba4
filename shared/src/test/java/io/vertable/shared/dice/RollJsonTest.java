package io.vertable.shared.dice;

import static io.vertable.shared.dice.Scripted.foundry;
import static io.vertable.shared.dice.Scripted.roll20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The wire form of a roll (dice.md "What the result must show") and its text breakdown. */
class RollJsonTest {

    @Test
    void fullShape() {
        JsonObject json = roll20("4d6k3+2[bonus]", 2, 5, 1, 6).toJson();
        JsonObject expected = new JsonObject()
                .put("expression", "4d6k3+2[bonus]")
                .put("dialect", "roll20")
                .put("total", 15L)
                .put(
                        "dice",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("notation", "4d6k3")
                                        .put("faces", 6)
                                        .put(
                                                "rolls",
                                                new JsonArray()
                                                        .add(new JsonObject().put("value", 2))
                                                        .add(new JsonObject().put("value", 5))
                                                        .add(new JsonObject()
                                                                .put("value", 1)
                                                                .put("dropped", true))
                                                        .add(new JsonObject().put("value", 6)))
                                        .put("value", 13L)))
                .put("text", "4d6k3 (2+5+1d+6) + 2 [bonus] = 15")
                .put(
                        "draws",
                        new JsonArray()
                                .add(new JsonArray().add(6).add(2))
                                .add(new JsonArray().add(6).add(5))
                                .add(new JsonArray().add(6).add(1))
                                .add(new JsonArray().add(6).add(6)));
        assertThat(json).isEqualTo(expected);
        assertThat(new JsonObject(json.encode())).isEqualTo(new JsonObject(expected.encode()));
    }

    @Test
    void totalIsAnIntegerWhenWholeElseRounded() {
        assertThat(roll20("1d6/2", 4).toJson().getValue("total"))
                .isInstanceOf(Long.class)
                .isEqualTo(2L);
        assertThat(roll20("1d6/2", 3).toJson().getValue("total")).isEqualTo(1.5);
        assertThat(roll20("2/3").toJson().getValue("total")).isEqualTo(0.6667);
        assertThat(roll20("2/3").total()).isEqualTo(2.0 / 3);
        assertThat(roll20("2/3").text()).isEqualTo("2 / 3 = 0.6667");
        assertThat(roll20("0.1+0.2").toJson().encode()).contains("\"total\":0.3");
        assertThat(roll20("-0.5*0").toJson().getValue("total")).isEqualTo(0L);
        assertThat(roll20("1d6*1.5", 2)
                        .toJson()
                        .getJsonArray("dice")
                        .getJsonObject(0)
                        .getValue("value"))
                .isEqualTo(2L);
    }

    @Test
    void flagsAppearOnlyWhenTrue() {
        JsonObject json = foundry("4d6x", 6, 1, 1, 1, 3).toJson();
        for (Object roll : json.getJsonArray("dice")) {
            for (Object r : ((JsonObject) roll).getJsonArray("rolls")) {
                ((JsonObject) r).forEach(e -> {
                    if (!e.getKey().equals("value")) assertThat(e.getValue()).isEqualTo(true);
                });
            }
        }
        assertThat(json.getJsonArray("dice")
                        .getJsonObject(0)
                        .getJsonArray("rolls")
                        .getJsonObject(0))
                .isEqualTo(new JsonObject().put("value", 6).put("exploded", true));
        assertThat(json.containsKey("successes")).isFalse();
        assertThat(json.containsKey("failures")).isFalse();
    }

    @Test
    void successesAndFailuresWhenCounted() {
        JsonObject json = roll20("3d6>4f1", 6, 1, 3).toJson();
        assertThat(json.getInteger("successes")).isEqualTo(1);
        assertThat(json.getInteger("failures")).isEqualTo(1);
        assertThat(foundry("3d6cs>4", 6, 1, 3).toJson().containsKey("failures")).isFalse();
    }

    @Test
    void diceEntriesInRollOrderWithFacesAsDrawn() {
        JsonArray dice = foundry("1d20 + 4dF + d% + 2dc", 10, 1, 2, 3, 3, 50, 1, 2)
                .toJson()
                .getJsonArray("dice");
        assertThat(dice.stream().map(d -> ((JsonObject) d).getString("notation")))
                .containsExactly("1d20", "4dF", "d%", "2dc");
        assertThat(dice.stream().map(d -> ((JsonObject) d).getInteger("faces"))).containsExactly(20, 3, 100, 2);
    }

    @Test
    void textShowsWhatHappenedToEachDie() {
        assertThat(roll20("1d20r<2 + 1d6!", 1, 2, 7, 6, 2).text()).isEqualTo("1d20r<2 (1r+2r+7) + 1d6! (6!+2) = 15");
        assertThat(roll20("(1d4 + 2) * 3 - floor(5 / 2)", 1).text()).isEqualTo("(1d4 (1) + 2) * 3 - floor(5 / 2) = 7");
        assertThat(roll20("{2d6+0}>7", 3, 6).text()).isEqualTo("{2d6 (3+6) + 0}>7 (9*) = 1 (1 success)");
        assertThat(roll20("{2d6}>5", 3, 6).text()).isEqualTo("{2d6 (3+6*)}>5 = 1 (1 success)");
        assertThat(roll20("{3d6+1}k2>10", 3, 6, 5).text()).isEqualTo("{3d6 (3d+6+5) + 1}k2>10 (12*) = 1 (1 success)");
        // as in Foundry, a later cf recounts: the total is the failures, while the success mark stays
        assertThat(foundry("2d10cs>=6cf", 6, 1).text()).isEqualTo("2d10cs>=6cf (6*+1f) = 1 (1 success, 1 failure)");
    }

    @Test
    void rollIsImmutable() {
        Roll roll = roll20("2d6", 3, 4);
        assertThatThrownBy(() -> roll.draws().add(new Draw(6, 6))).isInstanceOf(UnsupportedOperationException.class);
        roll.toJson().getJsonArray("dice").clear();
        assertThat(roll.toJson().getJsonArray("dice")).hasSize(1);
        assertThat(roll.toString()).isEqualTo(roll.text());
    }
}
