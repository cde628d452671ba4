package io.vertable.shared.dice;

import io.vertable.shared.dice.Node.Group;

/** What one group (Roll20) or pool (Foundry) produced in one roll. */
final class GroupResult {

    final Group node;
    final GroupResult parent;
    final Outcome[] subtotals;
    /** Dice created while each element was evaluated: indexes into the evaluation's term list, from inclusive. */
    final int[] termsFrom;

    final int[] termsTo;
    /** Roll20: keep/drop acted on the dice of a single element rather than on subtotals. */
    boolean acrossDice;
    /** Roll20: the success check acted on the dice of a single dice term ({@code {5d6!!}>8}). */
    TermResult perDie;

    double value;
    int successes;
    int failures;
    boolean countsSuccesses;
    boolean countsFailures;
    double successTarget;
    double failureTarget;

    GroupResult(Group node, GroupResult parent) {
        this.node = node;
        this.parent = parent;
        int n = node.elements().size();
        this.subtotals = new Outcome[n];
        this.termsFrom = new int[n];
        this.termsTo = new int[n];
    }
}
