/**
 * The dice language (docs/dice.md): {@link io.vertable.shared.dice.DiceEngine} parses and rolls expressions in the
 * Roll20 or Foundry dialect against a {@link io.vertable.shared.dice.DiceSource} — the server's secure generator or
 * {@link io.vertable.shared.dice.VerifiableDice} — and answers a {@link io.vertable.shared.dice.Roll} that shows every
 * die. Pure code: no I/O, no threads.
 */
package io.vertable.shared.dice;
