package io.vertable.shared.dice;

import static io.vertable.shared.dice.Roll20ConformanceTest.rolls;
import static io.vertable.shared.dice.Roll20ConformanceTest.values;
import static io.vertable.shared.dice.Scripted.foundry;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each Foundry construct with scripted dice. Foundry throws all N dice first, then applies modifiers in order. */
class FoundryConformanceTest {

    @Nested
    class Basics {
        @Test
        void commonSyntax() {
            assertThat(foundry("2d6+3", 4, 5).total()).isEqualTo(12);
            assertThat(foundry("d%", 42).draws()).containsExactly(new Draw(100, 42));
            assertThat(foundry("4dF", 1, 2, 3, 3).total()).isEqualTo(1);
            assertThat(foundry("1d6/2", 3).total()).isEqualTo(1.5);
            assertThat(foundry("-(1d4)*2", 3).total()).isEqualTo(-6);
            assertThat(foundry("1d20 + 5[STR]", 14).text()).isEqualTo("1d20 (14) + 5 [STR] = 19");
            Roll vars =
                    Scripted.roll(Dialect.FOUNDRY, "1d20 + @abilities.str.mod + @str", Roll20ConformanceTest.SHEET, 10);
            assertThat(vars.total()).isEqualTo(17);
        }

        @Test
        void functionsAndFriends() {
            assertThat(foundry("min(1d6, 1d8) + max(2, 3) + sqrt(16) + sign(-4) + trunc(-2.7)", 3, 5)
                            .total())
                    .isEqualTo(3 + 3 + 4 - 1 - 2);
            assertThat(foundry("floor(2.7) + ceil(2.2) + round(2.5) + abs(-1)").total())
                    .isEqualTo(2 + 3 + 3 + 1);
            assertThat(foundry("max(1, 5, 3)").total()).isEqualTo(5);
        }

        @Test
        void nestedDice() {
            Roll count = foundry("(2d4)d8", 1, 2, 3, 4, 5);
            assertThat(count.total()).isEqualTo(12);
            assertThat(count.draws()).extracting(Draw::faces).containsExactly(4, 4, 8, 8, 8);
            assertThat(count.text()).isEqualTo("(2d4 (1+2))d8 (3+4+5) = 12");
            Roll faces = foundry("1d(1d20)", 3, 2);
            assertThat(faces.draws()).containsExactly(new Draw(20, 3), new Draw(3, 2));
            assertThat(faces.total()).isEqualTo(2);
            assertThat(Scripted.roll(Dialect.FOUNDRY, "(@n)d6", Roll20ConformanceTest.SHEET, 1, 2)
                            .total())
                    .isEqualTo(3);
        }

        @Test
        void coins() {
            Roll flips = foundry("3dc", 2, 1, 2);
            assertThat(flips.total()).isEqualTo(2);
            assertThat(flips.draws()).extracting(Draw::faces).containsOnly(2);
            assertThat(values(flips, 0)).containsExactly(1, 0, 1);
            Roll heads = foundry("3dcc1", 2, 1, 2);
            assertThat(heads.total()).isEqualTo(2);
            assertThat(heads.successes()).hasValue(2);
            assertThat(foundry("3dcc0", 2, 1, 2).total()).isEqualTo(1);
        }
    }

    @Nested
    class Rerolling {
        @Test
        void onceByDefault() {
            assertThat(foundry("1d20r", 1, 1).total()).isEqualTo(1);
            assertThat(foundry("2d20r1", 1, 5, 1).total()).isEqualTo(6);
            assertThat(foundry("1d20r<3", 2, 1).total()).isEqualTo(1);
        }

        @Test
        void recursiveWithRr() {
            assertThat(foundry("1d20rr1", 1, 1, 7).total()).isEqualTo(7);
            assertThat(foundry("1d20rr<3", 1, 2, 3).total()).isEqualTo(3);
        }

        @Test
        void aLeadingNumberLimitsHowManyDiceAreRerolled() {
            Roll roll = foundry("3d20r1=1", 1, 1, 5, 9);
            assertThat(roll.total()).isEqualTo(15);
            assertThat(values(roll, 0)).containsExactly(1, 1, 5, 9);
            assertThat(foundry("2d6rr2<3", 1, 1, 1, 5).total()).isEqualTo(6);
        }
    }

    @Nested
    class Exploding {
        @Test
        void recursiveExtraDiceAreAppended() {
            Roll roll = foundry("2d6x", 6, 2, 6, 3);
            assertThat(values(roll, 0)).containsExactly(6, 2, 6, 3);
            assertThat(roll.total()).isEqualTo(17);
            assertThat(foundry("2d6x5", 5, 5, 2, 1).total()).isEqualTo(13);
            assertThat(foundry("2d6x>=5", 5, 1, 6, 2).total()).isEqualTo(14);
            assertThat(foundry("2d6x>4", 5, 1, 4).total()).isEqualTo(10);
        }

        @Test
        void onceAndLimited() {
            assertThat(foundry("2d6xo", 6, 6, 6, 6).total()).isEqualTo(24);
            assertThat(foundry("2d6x1>=5", 5, 6, 6).total()).isEqualTo(17);
        }
    }

    @Nested
    class KeepDropClamp {
        @Test
        void keepAndDrop() {
            assertThat(foundry("2d20k", 3, 17).total()).isEqualTo(17);
            assertThat(foundry("2d20kh", 3, 17).total()).isEqualTo(17);
            assertThat(foundry("2d20kl", 3, 17).total()).isEqualTo(3);
            int[] dice = {2, 5, 1, 6};
            assertThat(foundry("4d6d", dice).total()).isEqualTo(13);
            assertThat(foundry("4d6dh", dice).total()).isEqualTo(8);
            assertThat(foundry("4d6dl2", dice).total()).isEqualTo(11);
            assertThat(foundry("4d6kh3", dice).total()).isEqualTo(13);
        }

        @Test
        void modifiersApplyInTheOrderWritten() {
            assertThat(foundry("4d6kh3x", 6, 5, 1, 2, 4).total()).isEqualTo(17);
            assertThat(foundry("4d6xkh3", 6, 5, 1, 2, 4).total()).isEqualTo(15);
        }

        @Test
        void minAndMaxClamp() {
            assertThat(foundry("6d6max4", 1, 2, 3, 4, 5, 6).total()).isEqualTo(18);
            assertThat(foundry("6d6min2max5", 1, 1, 3, 4, 5, 6).total()).isEqualTo(21);
        }
    }

    @Nested
    class Counting {
        @Test
        void evenAndOdd() {
            Roll even = foundry("6d6even", 1, 2, 3, 4, 5, 6);
            assertThat(even.total()).isEqualTo(3);
            assertThat(even.successes()).hasValue(3);
            assertThat(foundry("5d6odd", 1, 2, 3, 4, 5).total()).isEqualTo(3);
        }

        @Test
        void successesAreStrict() {
            assertThat(foundry("6d6cs", 6, 6, 1, 2, 3, 4).total()).isEqualTo(2);
            assertThat(foundry("6d6cs6", 6, 6, 1, 2, 3, 4).total()).isEqualTo(2);
            assertThat(foundry("6d6cs>=5", 5, 6, 1, 2, 3, 4).total()).isEqualTo(2);
            assertThat(foundry("6d6cs>5", 5, 6, 1, 2, 3, 4).total()).isEqualTo(1);
            assertThat(foundry("6d6cs<2", 1, 2, 1, 2, 3, 4).total()).isEqualTo(2);
            assertThat(foundry("6d6cs<=2", 1, 2, 1, 2, 3, 4).total()).isEqualTo(4);
            assertThat(foundry("6d6cs=3", 3, 2, 1, 2, 3, 4).total()).isEqualTo(2);
        }

        @Test
        void failures() {
            Roll ones = foundry("6d6cf", 1, 1, 2, 3, 4, 6);
            assertThat(ones.total()).isEqualTo(2);
            assertThat(ones.failures()).hasValue(2);
            assertThat(ones.successes()).isEmpty();
            assertThat(foundry("6d6cf<3", 1, 1, 2, 3, 4, 6).total()).isEqualTo(3);
        }

        @Test
        void deductFailures() {
            Roll roll = foundry("6d10cs>=6df=1", 6, 1, 7, 3, 1, 10);
            assertThat(roll.total()).isEqualTo(1);
            assertThat(roll.successes()).hasValue(3);
            assertThat(roll.failures()).hasValue(2);
            assertThat(foundry("6d10cs>=6df", 6, 1, 7, 3, 1, 10).total()).isZero();
            assertThat(foundry("6d6df<3", 1, 2, 3, 4, 5, 6).total()).isEqualTo(16);
        }

        @Test
        void subtractFailedValues() {
            Roll roll = foundry("6d6sf<3", 1, 2, 3, 4, 5, 6);
            assertThat(roll.total()).isEqualTo(15);
            assertThat(rolls(roll, 0).getJsonObject(0))
                    .isEqualTo(new JsonObject().put("value", 1).put("failure", true));
        }

        @Test
        void marginOfSuccess() {
            assertThat(foundry("6d6ms>12", 1, 2, 3, 4, 5, 6).total()).isEqualTo(9);
            assertThat(foundry("6d6ms=20", 1, 2, 3, 4, 5, 6).total()).isEqualTo(1);
            assertThat(foundry("6d6ms<30", 1, 2, 3, 4, 5, 6).total()).isEqualTo(9);
        }
    }

    @Nested
    class Pools {
        @Test
        void sumOfSubtotals() {
            Roll roll = foundry("{4d6kh3, 4d6kh3}", 1, 2, 3, 4, 5, 6, 6, 6);
            assertThat(roll.total()).isEqualTo(27);
            assertThat(roll.text()).isEqualTo("{4d6kh3 (1d+2+3+4), 4d6kh3 (5d+6+6+6)} = 27");
        }

        @Test
        void keepAndDropSubtotals() {
            Roll best = foundry("{1d20, 1d20}kh", 5, 15);
            assertThat(best.total()).isEqualTo(15);
            assertThat(best.text()).isEqualTo("{1d20 (5), 1d20 (15)}kh (5d+15) = 15");
            assertThat(foundry("{1d20, 1d20}kl", 5, 15).total()).isEqualTo(5);
            assertThat(foundry("{1d6,1d8,1d10,1d12}kh2", 6, 1, 9, 2).total()).isEqualTo(15);
            assertThat(foundry("{1d6,1d8,1d10,1d12}dl3", 6, 1, 9, 2).total()).isEqualTo(9);
            assertThat(foundry("{1d12,6}kl", 4).total()).isEqualTo(4);
            assertThat(foundry("{4d6+3d8}kh", 1, 2, 3, 4, 5, 6, 7).total()).isEqualTo(28);
        }

        @Test
        void countSuccessesOverSubtotals() {
            Roll roll = foundry("{1d20+5, 1d20+5}cs>=15", 10, 9);
            assertThat(roll.total()).isEqualTo(1);
            assertThat(roll.successes()).hasValue(1);
        }
    }
}
