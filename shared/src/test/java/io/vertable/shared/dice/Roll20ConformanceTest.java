package io.vertable.shared.dice;

import static io.vertable.shared.dice.Scripted.roll20;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each Roll20 construct with scripted dice: what is drawn, in which order, and what it adds up to. */
class Roll20ConformanceTest {

    static final Variables SHEET = Variables.of(new JsonObject()
            .put("str", 3)
            .put("n", 2)
            .put("dc", "15")
            .put("abilities", new JsonObject().put("str", new JsonObject().put("mod", 4))));

    /** The values shown for the i-th dice term, in display order. */
    static List<Integer> values(Roll roll, int term) {
        return rolls(roll, term).stream()
                .map(r -> ((JsonObject) r).getInteger("value"))
                .collect(Collectors.toList());
    }

    static JsonArray rolls(Roll roll, int term) {
        return roll.toJson().getJsonArray("dice").getJsonObject(term).getJsonArray("rolls");
    }

    @Nested
    class Basics {
        @Test
        void diceAndArithmetic() {
            assertThat(roll20("2d6+3", 4, 5).total()).isEqualTo(12);
            assertThat(roll20("d20", 7).draws()).containsExactly(new Draw(20, 7));
            assertThat(roll20("d%", 42).draws()).containsExactly(new Draw(100, 42));
            assertThat(roll20("1D20", 7).total()).isEqualTo(7);
            assertThat(roll20("(1d4+1)*2", 3).total()).isEqualTo(8);
            assertThat(roll20("10-2*3").total()).isEqualTo(4);
            assertThat(roll20("8/2/2").total()).isEqualTo(2);
            assertThat(roll20(" 1d6 \t+ 2 ", 1).total()).isEqualTo(3);
        }

        @Test
        void fateDiceDrawThreeFacesAndShowMinusZeroPlus() {
            Roll roll = roll20("4dF", 1, 2, 3, 3);
            assertThat(roll.total()).isEqualTo(1);
            assertThat(roll.draws()).extracting(Draw::faces).containsOnly(3);
            assertThat(values(roll, 0)).containsExactly(-1, 0, 1, 1);
            assertThat(roll.text()).isEqualTo("4dF (- 0 + +) = 1");
        }

        @Test
        void decimalsAndUnaryMinus() {
            Roll roll = roll20("1.5*2-0.25");
            assertThat(roll.total()).isEqualTo(2.75);
            assertThat(roll.toJson().getValue("total")).isEqualTo(2.75);
            assertThat(roll20("-1d4", 3).total()).isEqualTo(-3);
            assertThat(roll20("--2").total()).isEqualTo(2);
            assertThat(roll20("+2").total()).isEqualTo(2);
            assertThat(roll20("1d6/4", 1).toJson().getValue("total")).isEqualTo(0.25);
            assertThat(roll20("10/3").toJson().getValue("total")).isEqualTo(3.3333);
        }

        @Test
        void moduloAndPower() {
            assertThat(roll20("7%3").total()).isEqualTo(1);
            assertThat(roll20("-7 % 3").total()).isEqualTo(-1);
            assertThat(roll20("1d20%2", 15).total()).isEqualTo(1);
            assertThat(roll20("2**10").total()).isEqualTo(1024);
            assertThat(roll20("2**3**2").total()).isEqualTo(512);
            assertThat(roll20("-2**2").total()).isEqualTo(-4);
            assertThat(roll20("2**-1").total()).isEqualTo(0.5);
            assertThat(roll20("2*3**2").total()).isEqualTo(18);
        }

        @Test
        void functions() {
            assertThat(roll20("floor(7/2) + ceil(7/2) + round(2.5) + round(-2.5) + abs(-4)")
                            .total())
                    .isEqualTo(3 + 4 + 3 - 2 + 4);
            assertThat(roll20("floor(1d6/2)", 5).total()).isEqualTo(2);
            assertThat(roll20("ROUND(2.4)").total()).isEqualTo(2);
        }

        @Test
        void labelsAttachToTheTermTheyFollow() {
            Roll roll = roll20("1d20+5[STR] + 2d6[fire]", 14, 3, 4);
            assertThat(roll.total()).isEqualTo(26);
            assertThat(roll.text()).isEqualTo("1d20 (14) + 5 [STR] + 2d6 (3+4) [fire] = 26");
            JsonArray dice = roll.toJson().getJsonArray("dice");
            assertThat(dice.getJsonObject(0).containsKey("label")).isFalse();
            assertThat(dice.getJsonObject(1).getString("label")).isEqualTo("fire");
            JsonObject entry = roll20("1d20[attack roll] + 1", 3)
                    .toJson()
                    .getJsonArray("dice")
                    .getJsonObject(0);
            assertThat(entry.getString("label")).isEqualTo("attack roll");
            assertThat(entry.getString("notation")).isEqualTo("1d20");
        }

        @Test
        void variables() {
            assertThat(Scripted.roll(Dialect.ROLL20, "1d20+@str", SHEET, 10).total())
                    .isEqualTo(13);
            assertThat(Scripted.roll(Dialect.ROLL20, "1d20+@{str}", SHEET, 10).total())
                    .isEqualTo(13);
            assertThat(Scripted.roll(Dialect.ROLL20, "@abilities.str.mod*2", SHEET)
                            .total())
                    .isEqualTo(8);
            assertThat(Scripted.roll(Dialect.ROLL20, "@{abilities.str.mod}", SHEET)
                            .total())
                    .isEqualTo(4);
            Roll count = Scripted.roll(Dialect.ROLL20, "@{n}d6", SHEET, 1, 2);
            assertThat(count.total()).isEqualTo(3);
            assertThat(count.text()).isEqualTo("2d6 (1+2) = 3");
            assertThat(Scripted.roll(Dialect.ROLL20, "1d20>@{dc}", SHEET, 15).successes())
                    .hasValue(1);
            assertThat(Scripted.roll(Dialect.ROLL20, "1d20+@str", SHEET, 10).text())
                    .isEqualTo("1d20 (10) + @str (3) = 13");
        }

        @Test
        void zeroDiceAreLegal() {
            Roll roll = roll20("0d6");
            assertThat(roll.total()).isZero();
            assertThat(roll.draws()).isEmpty();
        }
    }

    @Nested
    class Exploding {
        @Test
        void onTheHighestFaceAndChaining() {
            Roll roll = roll20("1d6!", 6, 6, 2);
            assertThat(roll.total()).isEqualTo(14);
            assertThat(values(roll, 0)).containsExactly(6, 6, 2);
            assertThat(roll.text()).isEqualTo("1d6! (6!+6!+2) = 14");
        }

        @Test
        void onAComparePoint() {
            assertThat(roll20("3d6!>5", 5, 1, 6, 2, 3).total()).isEqualTo(17);
            assertThat(roll20("2d6!3", 3, 3, 1, 6).total()).isEqualTo(13);
            assertThat(roll20("1d6!<2", 1, 3).total()).isEqualTo(4);
        }

        @Test
        void compounding() {
            Roll roll = roll20("2d6!!", 6, 3, 4);
            assertThat(values(roll, 0)).containsExactly(9, 4);
            assertThat(roll.total()).isEqualTo(13);
            assertThat(roll20("1d6!!>5", 5, 6, 2).total()).isEqualTo(13);
        }

        @Test
        void penetratingSubtractsOneFromEachExtraDie() {
            Roll roll = roll20("1d6!p", 6, 6, 3);
            assertThat(values(roll, 0)).containsExactly(6, 5, 2);
            assertThat(roll.total()).isEqualTo(13);
            assertThat(roll20("1d6!p>5", 5, 1).total()).isEqualTo(5);
        }
    }

    @Nested
    class Rerolling {
        @Test
        void recursiveUntilOutsideTheComparePoint() {
            assertThat(roll20("2d6r1", 1, 1, 4, 5).total()).isEqualTo(9);
            assertThat(roll20("1d6r", 1, 2).total()).isEqualTo(2);
            assertThat(roll20("1d6r1r2", 2, 1, 3).total()).isEqualTo(3);
            assertThat(roll20("1d20r>19", 20, 19, 5).total()).isEqualTo(5);
            assertThat(roll20("1d20r=3", 3, 4).total()).isEqualTo(4);
        }

        @Test
        void once() {
            assertThat(roll20("1d6ro1", 1, 1).total()).isEqualTo(1);
            assertThat(roll20("1d6ro<3", 2, 1).total()).isEqualTo(1);
            assertThat(roll20("2d6ro", 1, 1, 4).total()).isEqualTo(5);
        }

        @Test
        void explosionDiceAreRerolledToo() {
            Roll roll = roll20("2d6r1!", 1, 6, 1, 3, 4);
            assertThat(roll.total()).isEqualTo(13);
            assertThat(roll.text()).isEqualTo("2d6r1! (1r+6!+1r+3+4) = 13");
        }
    }

    @Nested
    class KeepDrop {
        @Test
        void allSpellings() {
            int[] dice = {2, 5, 1, 6};
            assertThat(roll20("4d6k", dice).total()).isEqualTo(6);
            assertThat(roll20("4d6k3", dice).total()).isEqualTo(13);
            assertThat(roll20("4d6kh2", dice).total()).isEqualTo(11);
            assertThat(roll20("4d6kl2", dice).total()).isEqualTo(3);
            assertThat(roll20("4d6d", dice).total()).isEqualTo(13);
            assertThat(roll20("4d6d1", dice).total()).isEqualTo(13);
            assertThat(roll20("4d6dl2", dice).total()).isEqualTo(11);
            assertThat(roll20("4d6dh1", dice).total()).isEqualTo(8);
            assertThat(roll20("2d6k5", 3, 4).total()).isEqualTo(7);
            assertThat(roll20("2d6d5", 3, 4).total()).isZero();
        }

        @Test
        void amongEqualDiceTheEarlierIsDropped() {
            JsonArray rolls = rolls(roll20("3d6k1", 5, 5, 2), 0);
            assertThat(rolls.getJsonObject(0).getBoolean("dropped")).isTrue();
            assertThat(rolls.getJsonObject(1).containsKey("dropped")).isFalse();
            assertThat(rolls.getJsonObject(2).getBoolean("dropped")).isTrue();
        }

        @Test
        void keepComesAfterExplodingWhateverTheOrderTyped() {
            int[] dice = {1, 3, 6, 2, 4, 5, 5, 1, 1, 2, 3, 6, 4};
            assertThat(roll20("8d6r1!k5", dice).total()).isEqualTo(26);
            assertThat(roll20("8d6k5r1!", dice).total()).isEqualTo(26);
        }
    }

    @Nested
    class Successes {
        @Test
        void comparePointsAreInclusive() {
            assertThat(roll20("5d10>8", 8, 9, 10, 7, 1).total()).isEqualTo(3);
            assertThat(roll20("5d10<2", 1, 2, 3, 4, 5).total()).isEqualTo(2);
            assertThat(roll20("5d10=5", 5, 5, 1, 2, 3).total()).isEqualTo(2);
        }

        @Test
        void failuresSubtractOneEach() {
            Roll roll = roll20("3d6>4f1", 6, 1, 3);
            assertThat(roll.total()).isZero();
            assertThat(roll.successes()).hasValue(1);
            assertThat(roll.failures()).hasValue(1);
            assertThat(roll.text()).isEqualTo("3d6>4f1 (6*+1f+3) = 0 (1 success, 1 failure)");
            assertThat(rolls(roll, 0))
                    .containsExactly(
                            new JsonObject().put("value", 6).put("success", true),
                            new JsonObject().put("value", 1).put("failure", true),
                            new JsonObject().put("value", 3));
            assertThat(roll20("4d6>5f<2", 6, 2, 1, 5).total()).isEqualTo(0);
        }

        @Test
        void successesCountOnlyKeptDice() {
            assertThat(roll20("4d6k3>4", 2, 5, 1, 6).total()).isEqualTo(2);
        }

        @Test
        void noSuccessesUnlessCounted() {
            Roll roll = roll20("3d6", 1, 2, 3);
            assertThat(roll.successes()).isEmpty();
            assertThat(roll.failures()).isEmpty();
            assertThat(roll.toJson().containsKey("successes")).isFalse();
        }
    }

    @Nested
    class Sorting {
        @Test
        void sortsWhatIsShownNotWhatIsDrawn() {
            Roll up = roll20("4d6s", 2, 5, 1, 6);
            assertThat(values(up, 0)).containsExactly(1, 2, 5, 6);
            assertThat(up.draws()).extracting(Draw::value).containsExactly(2, 5, 1, 6);
            assertThat(values(roll20("4d6sa", 2, 5, 1, 6), 0)).containsExactly(1, 2, 5, 6);
            Roll down = roll20("4d6k3sd", 2, 5, 1, 6);
            assertThat(down.text()).isEqualTo("4d6k3sd (6+5+2+1d) = 13");
        }
    }

    @Nested
    class Groups {
        @Test
        void oneElementKeepsAcrossAllItsDice() {
            Roll roll = roll20("{4d6+3d8}k4", 1, 2, 3, 4, 5, 6, 7);
            assertThat(roll.total()).isEqualTo(22);
            assertThat(roll.text()).isEqualTo("{4d6 (1d+2d+3d+4) + 3d8 (5+6+7)}k4 = 22");
            assertThat(roll20("{4d6+3}d2", 1, 2, 3, 4).total()).isEqualTo(10);
        }

        @Test
        void severalElementsKeepOrDropSubtotals() {
            Roll roll = roll20("{4d6+2d8, 3d20+3}d1", 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(roll.total()).isEqualTo(27);
            assertThat(roll.text()).isEqualTo("{4d6 (1+2+3+4) + 2d8 (5+6), 3d20 (7+8+9) + 3}d1 (21d+27) = 27");
            assertThat(roll20("{2d6, 1d20}k1", 3, 4, 15).total()).isEqualTo(15);
            assertThat(roll20("{1d6, 1d8}", 3, 4).total()).isEqualTo(7);
        }

        @Test
        void successOnTheTotalOfAnElement() {
            Roll roll = roll20("{3d20+5}>21", 10, 5, 2);
            assertThat(roll.total()).isEqualTo(1);
            assertThat(roll.successes()).hasValue(1);
            assertThat(roll20("{3d20+5}>21", 10, 4, 1).total()).isZero();
        }

        @Test
        void successOnTheDiceOfALoneDiceTerm() {
            Roll roll = roll20("{5d6!!}>8", 6, 3, 2, 4, 5, 6, 6, 4);
            assertThat(values(roll, 0)).containsExactly(9, 2, 4, 5, 16);
            assertThat(roll.total()).isEqualTo(2);
            assertThat(roll.successes()).hasValue(2);
        }

        @Test
        void successesAndFailuresOverSubtotals() {
            Roll roll = roll20("{1d20+2, 1d20+2, 1d20+2}>15f<5", 13, 20, 1);
            assertThat(roll.total()).isEqualTo(1);
            assertThat(roll.successes()).hasValue(2);
            assertThat(roll.failures()).hasValue(1);
            assertThat(roll.text())
                    .isEqualTo(
                            "{1d20 (13) + 2, 1d20 (20) + 2, 1d20 (1) + 2}>15f<5 (15*+22*+3f) = 1 (2 successes, 1 failure)");
        }

        @Test
        void aGroupSpeaksForTheSuccessesInside() {
            Roll roll = roll20("{3d6>4, 1d20}>3", 5, 6, 1, 2);
            assertThat(roll.successes()).hasValue(0);
            assertThat(roll.total()).isZero();
        }
    }
}
