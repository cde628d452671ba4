package io.vertable.shared.dice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertable.shared.wire.ErrorCode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dice.md "Bad input": each refusal has its code and the position of the problem, and its message names that position.
 * Where a construct belongs to one dialect only, the other answers DICE_SYNTAX where it starts.
 */
class BadInputTest {

    static final Dialect R = Dialect.ROLL20;
    static final Dialect F = Dialect.FOUNDRY;

    static Arguments bad(Dialect dialect, String expression, ErrorCode code, int position) {
        return Arguments.of(dialect, expression, code, position);
    }

    static Stream<Arguments> cases() {
        String deep = "(".repeat(50) + "1" + ")".repeat(50);
        return Stream.of(
                // unknown syntax, with the position of the first character that cannot be read
                bad(R, "", ErrorCode.DICE_SYNTAX, 0),
                bad(F, "   ", ErrorCode.DICE_SYNTAX, 0),
                bad(R, "1d20q", ErrorCode.DICE_SYNTAX, 4),
                bad(R, "1d20+", ErrorCode.DICE_SYNTAX, 4),
                bad(R, "1d20 + * 2", ErrorCode.DICE_SYNTAX, 7),
                bad(R, "(1d20", ErrorCode.DICE_SYNTAX, 0),
                bad(R, "1d20)", ErrorCode.DICE_SYNTAX, 4),
                bad(F, "{1d20, 1d6", ErrorCode.DICE_SYNTAX, 0),
                bad(F, "{}", ErrorCode.DICE_SYNTAX, 1),
                bad(R, "1d", ErrorCode.DICE_SYNTAX, 1),
                bad(R, "d", ErrorCode.DICE_SYNTAX, 0),
                bad(R, "2 d6", ErrorCode.DICE_SYNTAX, 2),
                bad(R, "1d20[STR", ErrorCode.DICE_SYNTAX, 4),
                bad(R, "1d20[a][b]", ErrorCode.DICE_SYNTAX, 7),
                bad(R, "@{str", ErrorCode.DICE_SYNTAX, 0),
                bad(R, "1 + @", ErrorCode.DICE_SYNTAX, 4),
                bad(R, "foo(1)", ErrorCode.DICE_SYNTAX, 0),
                bad(R, "floor 2", ErrorCode.DICE_SYNTAX, 0),
                bad(R, "floor(1, 2)", ErrorCode.DICE_SYNTAX, 0),
                bad(R, "1e5", ErrorCode.DICE_SYNTAX, 1),
                bad(R, "1d20 1d20", ErrorCode.DICE_SYNTAX, 5),
                bad(R, "3d6f1", ErrorCode.DICE_SYNTAX, 3),
                bad(R, "3d6>", ErrorCode.DICE_SYNTAX, 3),
                bad(F, "3d6cs>", ErrorCode.DICE_SYNTAX, 3),
                bad(R, "4d6k3d1", ErrorCode.DICE_SYNTAX, 5),
                bad(R, "1d6!!!p", ErrorCode.DICE_SYNTAX, 5),
                bad(F, "3dcx", ErrorCode.DICE_SYNTAX, 3),
                // one dialect's constructs in the other
                bad(F, "3d6!", ErrorCode.DICE_SYNTAX, 3),
                bad(F, "1d6!!", ErrorCode.DICE_SYNTAX, 3),
                bad(F, "3d6>3", ErrorCode.DICE_SYNTAX, 3),
                bad(F, "4d6s", ErrorCode.DICE_SYNTAX, 3),
                bad(F, "3d6>3f1", ErrorCode.DICE_SYNTAX, 3),
                bad(F, "7 % 3", ErrorCode.DICE_SYNTAX, 2),
                bad(F, "2 ** 3", ErrorCode.DICE_SYNTAX, 2),
                bad(F, "{3d20+5}>21", ErrorCode.DICE_SYNTAX, 8),
                bad(R, "3d6x", ErrorCode.DICE_SYNTAX, 3),
                bad(R, "3d6xo", ErrorCode.DICE_SYNTAX, 3),
                bad(R, "1d20rr1", ErrorCode.DICE_SYNTAX, 4),
                bad(R, "6d6min2", ErrorCode.DICE_SYNTAX, 3),
                bad(R, "6d6even", ErrorCode.DICE_SYNTAX, 3),
                bad(R, "3d6cs>3", ErrorCode.DICE_SYNTAX, 3),
                bad(R, "6d6df", ErrorCode.DICE_SYNTAX, 4),
                bad(R, "6d6ms>12", ErrorCode.DICE_SYNTAX, 3),
                bad(R, "3d6>=3", ErrorCode.DICE_SYNTAX, 4),
                bad(R, "3dcc1", ErrorCode.DICE_SYNTAX, 2),
                bad(R, "(2d4)d8", ErrorCode.DICE_SYNTAX, 5),
                bad(R, "1d(1d20)", ErrorCode.DICE_SYNTAX, 2),
                bad(R, "min(1, 2)", ErrorCode.DICE_SYNTAX, 0),
                bad(R, "1 + sqrt(4)", ErrorCode.DICE_SYNTAX, 4),
                // impossible dice
                bad(R, "1d0", ErrorCode.DICE_INVALID, 2),
                bad(F, "0d0", ErrorCode.DICE_INVALID, 2),
                bad(R, "2.5d6", ErrorCode.DICE_INVALID, 0),
                bad(F, "(1d4-5)d6", ErrorCode.DICE_INVALID, 0),
                bad(F, "1d(1d6-6)", ErrorCode.DICE_INVALID, 2),
                bad(R, "1d20r<20", ErrorCode.DICE_INVALID, 4),
                bad(R, "1d6r1r2r>2", ErrorCode.DICE_INVALID, 3),
                bad(F, "1d20rr<=20", ErrorCode.DICE_INVALID, 4),
                bad(F, "4dFrr>-2", ErrorCode.DICE_INVALID, 3),
                bad(F, "sqrt(-1)", ErrorCode.DICE_INVALID, 0),
                bad(R, "(-8)**0.5", ErrorCode.DICE_INVALID, 4),
                // limits
                bad(R, "1001d6", ErrorCode.DICE_LIMIT, 0),
                bad(R, "600d6+600d6", ErrorCode.DICE_LIMIT, 6),
                bad(R, "1d1!", ErrorCode.DICE_LIMIT, 3),
                bad(F, "1d1x", ErrorCode.DICE_LIMIT, 3),
                bad(R, "2d6!>1", ErrorCode.DICE_LIMIT, 3),
                bad(R, "1d2000000", ErrorCode.DICE_LIMIT, 2),
                bad(R, "1+".repeat(250) + "1", ErrorCode.DICE_LIMIT, 500),
                bad(F, deep, ErrorCode.DICE_LIMIT, 32),
                bad(R, "-".repeat(40) + "1", ErrorCode.DICE_LIMIT, 32),
                bad(R, "10**400", ErrorCode.DICE_LIMIT, 2),
                bad(R, "9".repeat(400), ErrorCode.DICE_LIMIT, 0),
                // division by zero, at the operator
                bad(R, "1d6/0", ErrorCode.DICE_DIVISION_BY_ZERO, 3),
                bad(F, "10 / (2 - 2)", ErrorCode.DICE_DIVISION_BY_ZERO, 3),
                bad(R, "7 % 0", ErrorCode.DICE_DIVISION_BY_ZERO, 2),
                bad(R, "0**-1", ErrorCode.DICE_DIVISION_BY_ZERO, 1),
                // a variable the sheet lacks, at its '@'
                bad(R, "1d20 + @dex", ErrorCode.DICE_UNKNOWN_VARIABLE, 7),
                bad(R, "1d20 + @{dex}", ErrorCode.DICE_UNKNOWN_VARIABLE, 7),
                bad(F, "1d20 + @abilities.dex.mod", ErrorCode.DICE_UNKNOWN_VARIABLE, 7),
                bad(F, "3d6kh@keep", ErrorCode.DICE_UNKNOWN_VARIABLE, 5));
    }

    @ParameterizedTest(name = "{0} \"{1}\" -> {2} at {3}")
    @MethodSource("cases")
    void refused(Dialect dialect, String expression, ErrorCode code, int position) {
        java.util.Random random = new java.util.Random(7);
        DiceException e = catchThrowableOfType(
                () -> DiceEngine.roll(expression, dialect, Variables.NONE, faces -> random.nextInt(faces) + 1),
                DiceException.class);
        assertThat(e).as("refusal of %s", expression).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
        assertThat(e.getMessage()).contains("position " + position);
        assertThat(e.toJson().getString("code")).isEqualTo(code.name());
        assertThat(e.toJson().getInteger("position")).isEqualTo(position);
    }

    @Test
    void impossibleRerollsAreRefusedBeforeAnyDieIsThrown() {
        Scripted none = new Scripted();
        DiceException e = catchThrowableOfType(
                () -> DiceEngine.roll("1d20r<20", Dialect.ROLL20, Variables.NONE, none), DiceException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.DICE_INVALID);
        none.assertExhausted();
    }

    @Test
    void anEndlessExplosionStopsAtTheLimit() {
        Scripted ones = new Scripted(Scripted.repeat(1, DiceEngine.MAX_EXPLOSIONS_PER_DIE + 1));
        DiceException e = catchThrowableOfType(
                () -> DiceEngine.roll("1d1!", Dialect.ROLL20, Variables.NONE, ones), DiceException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.DICE_LIMIT);
        ones.assertExhausted();
    }

    @Test
    void aHundredExplosionsAreAllowed() {
        int[] script = new int[DiceEngine.MAX_EXPLOSIONS_PER_DIE + 1];
        java.util.Arrays.fill(script, 6);
        script[script.length - 1] = 1;
        assertThat(Scripted.roll20("1d6!", script).total()).isEqualTo(6 * 100 + 1);
    }

    @Test
    void rerollsCountAgainstTheDiceBudget() {
        // 1d1000r<999 can end, but not within the budget when the source keeps answering low
        DiceException e = catchThrowableOfType(
                () -> DiceEngine.roll("1d1000r<999", Dialect.ROLL20, Variables.NONE, faces -> 1), DiceException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.DICE_LIMIT);
        assertThat(e.position()).isZero();
    }

    @Test
    void aThousandDiceAreAllowed() {
        assertThat(DiceEngine.roll("1000d6", Dialect.ROLL20, Variables.NONE, faces -> 1)
                        .total())
                .isEqualTo(1000);
        assertThat(DiceEngine.roll("500d6+500d6", Dialect.FOUNDRY, Variables.NONE, faces -> 2)
                        .draws())
                .hasSize(1000);
    }

    @Test
    void fiveHundredCharactersAreAllowed() {
        String expression = "1+".repeat(249) + "10";
        assertThat(expression).hasSize(500);
        assertThat(DiceEngine.roll(expression, Dialect.ROLL20, null, DiceSource.secure())
                        .total())
                .isEqualTo(259);
    }

    @Test
    void nullExpressionIsEmpty() {
        DiceException e = catchThrowableOfType(
                () -> DiceEngine.roll(null, Dialect.FOUNDRY, null, DiceSource.secure()), DiceException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.DICE_SYNTAX);
        assertThat(e.position()).isZero();
    }
}
