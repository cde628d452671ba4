package io.vertable.shared.dice;

/**
 * One result in a term or pool while a roll is made: a die's value, or a group's subtotal. Mutable, but only inside
 * one evaluation; a finished {@link Roll} never changes it again.
 */
final class Outcome {

    double value;
    boolean dropped;
    boolean rerolled;
    boolean exploded;
    boolean success;
    boolean failure;
    /** Foundry: a count decided success or not, so {@code df} without a target treats non-successes as failures. */
    boolean successChecked;
    /** Foundry: counts as {@link #count} instead of its value (1 for a success, −1 for a deducted failure, …). */
    boolean hasCount;

    double count;
    /** How many explosions led to this die (0 for a die of the original count). */
    int chain;

    Outcome(double value) {
        this.value = value;
    }

    boolean active() {
        return !dropped && !rerolled;
    }

    double contribution() {
        return hasCount ? count : value;
    }
}
