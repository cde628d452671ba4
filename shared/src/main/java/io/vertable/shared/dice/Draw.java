package io.vertable.shared.dice;

/**
 * One number taken from a {@link DiceSource}: {@code faces} as passed to {@link DiceSource#roll(int)} and the value it
 * returned. A Fate die draws {@code roll(3)} (1, 2, 3 mean −1, 0, +1) and a coin draws {@code roll(2)} (1 tails, 2
 * heads), so the draws of a roll are exactly what a verifier recomputes.
 */
public record Draw(int faces, int value) {}
