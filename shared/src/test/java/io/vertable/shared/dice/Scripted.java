package io.vertable.shared.dice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/**
 * A scripted {@link DiceSource}: answers the given numbers in order and fails the test if the engine asks for one more
 * than scripted, or for a number the die cannot show. {@link #roll} also fails if any scripted number is left over.
 */
final class Scripted implements DiceSource {

    private final int[] script;
    private int next;
    final List<Integer> facesAsked = new ArrayList<>();

    Scripted(int... script) {
        this.script = script;
    }

    @Override
    public int roll(int faces) {
        facesAsked.add(faces);
        if (next >= script.length)
            fail("the engine asked for draw #" + (next + 1) + " (d" + faces + ") but only " + script.length
                    + " were scripted");
        int value = script[next++];
        if (value < 1 || value > faces) fail("scripted " + value + " cannot come up on a d" + faces);
        return value;
    }

    void assertExhausted() {
        assertThat(next).as("numbers drawn of those scripted").isEqualTo(script.length);
    }

    /** Rolls with exactly these numbers: no more and no fewer may be drawn. */
    static Roll roll(Dialect dialect, String expression, int... script) {
        return roll(dialect, expression, Variables.NONE, script);
    }

    static Roll roll(Dialect dialect, String expression, Variables variables, int... script) {
        Scripted source = new Scripted(script);
        Roll roll = DiceEngine.roll(expression, dialect, variables, source);
        source.assertExhausted();
        assertThat(roll.draws()).hasSize(script.length);
        for (int i = 0; i < script.length; i++)
            assertThat(roll.draws().get(i).value()).isEqualTo(script[i]);
        return roll;
    }

    static Roll roll20(String expression, int... script) {
        return roll(Dialect.ROLL20, expression, script);
    }

    static Roll foundry(String expression, int... script) {
        return roll(Dialect.FOUNDRY, expression, script);
    }

    /** A script of {@code count} copies of {@code value}. */
    static int[] repeat(int value, int count) {
        int[] out = new int[count];
        java.util.Arrays.fill(out, value);
        return out;
    }
}
