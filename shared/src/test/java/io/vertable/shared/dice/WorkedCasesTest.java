package io.vertable.shared.dice;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the "Worked cases" table of docs/dice.md, with the die results in roll order. */
class WorkedCasesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Dialect.ROLL20, "4d6k3", new int[] {2, 5, 1, 6}, 13),
                Arguments.of(Dialect.FOUNDRY, "4d6kh3", new int[] {2, 5, 1, 6}, 13),
                Arguments.of(Dialect.ROLL20, "2d20kl1", new int[] {17, 4}, 4),
                Arguments.of(Dialect.FOUNDRY, "2d20kl1", new int[] {17, 4}, 4),
                Arguments.of(Dialect.ROLL20, "3d6>3", new int[] {3, 2, 6}, 2),
                Arguments.of(Dialect.FOUNDRY, "3d6cs>3", new int[] {3, 2, 6}, 1),
                // Roll20 explodes a die at once; Foundry throws all three first and appends the extra die
                Arguments.of(Dialect.ROLL20, "3d6!", new int[] {6, 2, 3, 4}, 15),
                Arguments.of(Dialect.FOUNDRY, "3d6x", new int[] {6, 3, 4, 2}, 15),
                Arguments.of(Dialect.ROLL20, "1d6!!", new int[] {6, 6, 1}, 13),
                Arguments.of(Dialect.ROLL20, "1d20r<2", new int[] {1, 2, 7}, 7),
                Arguments.of(Dialect.FOUNDRY, "1d20r<2", new int[] {1, 2}, 2),
                Arguments.of(Dialect.FOUNDRY, "6d6min2", new int[] {1, 1, 3, 4, 5, 6}, 22));
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("cases")
    void total(Dialect dialect, String expression, int[] dice, int total) {
        Roll roll = Scripted.roll(dialect, expression, dice);
        assertThat(roll.total()).isEqualTo(total);
        assertThat(roll.toJson().getValue("total")).isEqualTo((long) total);
    }

    @Test
    void successesAreCountedAsSuch() {
        assertThat(Scripted.roll20("3d6>3", 3, 2, 6).successes()).hasValue(2);
        assertThat(Scripted.foundry("3d6cs>3", 3, 2, 6).successes()).hasValue(1);
    }

    @Test
    void compoundingIsOneDie() {
        JsonArray rolls = Scripted.roll20("1d6!!", 6, 6, 1)
                .toJson()
                .getJsonArray("dice")
                .getJsonObject(0)
                .getJsonArray("rolls");
        assertThat(rolls).hasSize(1);
        assertThat(rolls.getJsonObject(0))
                .isEqualTo(new JsonObject().put("value", 13).put("exploded", true));
    }

    @Test
    void explodedDieIsShownWithItsExtraDie() {
        JsonArray rolls = Scripted.roll20("3d6!", 6, 2, 3, 4)
                .toJson()
                .getJsonArray("dice")
                .getJsonObject(0)
                .getJsonArray("rolls");
        assertThat(rolls.getJsonObject(0))
                .isEqualTo(new JsonObject().put("value", 6).put("exploded", true));
        assertThat(rolls.stream().map(r -> ((JsonObject) r).getInteger("value")))
                .containsExactly(6, 2, 3, 4);
    }

    @Test
    void rerollsShowEveryThrow() {
        JsonArray roll20 = Scripted.roll20("1d20r<2", 1, 2, 7)
                .toJson()
                .getJsonArray("dice")
                .getJsonObject(0)
                .getJsonArray("rolls");
        assertThat(roll20)
                .containsExactly(
                        new JsonObject().put("value", 1).put("rerolled", true),
                        new JsonObject().put("value", 2).put("rerolled", true),
                        new JsonObject().put("value", 7));
        JsonArray foundry = Scripted.foundry("1d20r<2", 1, 2)
                .toJson()
                .getJsonArray("dice")
                .getJsonObject(0)
                .getJsonArray("rolls");
        assertThat(foundry)
                .containsExactly(
                        new JsonObject().put("value", 1).put("rerolled", true), new JsonObject().put("value", 2));
    }

    @Test
    void keepMarksTheDroppedDie() {
        Roll roll = Scripted.roll20("4d6k3", 2, 5, 1, 6);
        assertThat(roll.text()).isEqualTo("4d6k3 (2+5+1d+6) = 13");
        assertThat(roll.toJson()
                        .getJsonArray("dice")
                        .getJsonObject(0)
                        .getJsonArray("rolls")
                        .getJsonObject(2))
                .isEqualTo(new JsonObject().put("value", 1).put("dropped", true));
    }
}
