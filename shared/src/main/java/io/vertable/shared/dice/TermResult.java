package io.vertable.shared.dice;

import io.vertable.shared.dice.Node.Dice;
import java.util.ArrayList;

/** What one dice term produced in one roll: its dice in display order, its value, what it counted. */
final class TermResult {

    final Dice node;
    /** Faces as passed to the source: 3 for Fate, 2 for a coin. */
    final int faces;

    final int low;
    final int high;
    final ArrayList<Outcome> dice;
    final GroupResult parent;
    double value;
    int successes;
    int failures;
    boolean countsSuccesses;
    boolean countsFailures;
    /** Roll20: a success/failure check on this term decides its value. */
    Node.Cmp successAt;

    Node.Cmp failureAt;

    double successTarget;
    double failureTarget;

    TermResult(Dice node, int faces, int low, int high, int expected, GroupResult parent) {
        this.node = node;
        this.faces = faces;
        this.low = low;
        this.high = high;
        this.dice = new ArrayList<>(Math.min(expected + 2, 64));
        this.parent = parent;
    }

    /** Sum of active dice, or successes minus failures when counting (Roll20). */
    void sumRoll20() {
        if (successAt == null) {
            double sum = 0;
            for (Outcome die : dice) if (die.active()) sum += die.value;
            value = sum;
            return;
        }
        int s = 0, f = 0;
        for (Outcome die : dice) {
            die.success = false;
            die.failure = false;
            if (!die.active()) continue;
            if (successAt.op().test(die.value, successTarget)) {
                die.success = true;
                s++;
            } else if (failureAt != null && failureAt.op().test(die.value, failureTarget)) {
                die.failure = true;
                f++;
            }
        }
        successes = s;
        failures = f;
        value = s - f;
    }
}
