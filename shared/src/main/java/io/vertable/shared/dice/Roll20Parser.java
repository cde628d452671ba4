package io.vertable.shared.dice;

import io.vertable.shared.dice.Node.Arg;
import io.vertable.shared.dice.Node.Cmp;
import io.vertable.shared.dice.Node.DieKind;
import io.vertable.shared.dice.Node.Explode;
import io.vertable.shared.dice.Node.Fn;
import io.vertable.shared.dice.Node.KeepDrop;
import io.vertable.shared.dice.Node.Mods;
import io.vertable.shared.dice.Node.Op;
import io.vertable.shared.dice.Node.Roll20GroupMods;
import io.vertable.shared.dice.Node.Roll20Mods;
import java.util.ArrayList;
import java.util.List;

/**
 * The Roll20 dialect. Compare points are {@code >N} (at least N), {@code <N} (at most N), {@code =N} or a bare {@code N}
 * (exactly N). Dice modifiers: {@code !} {@code !!} {@code !p} with an optional compare point, {@code r}/{@code ro}
 * (several {@code r} compare points add up; {@code r} alone means {@code r1}), keep/drop, a success compare point, a
 * failure compare point {@code f…} (only with a success check), sort {@code s}/{@code sa}/{@code sd}. One keep/drop,
 * one success, one failure and one sort per term; one kind of exploding per term.
 */
final class Roll20Parser extends Parser {

    Roll20Parser(String src) {
        super(src);
    }

    @Override
    boolean modulo() {
        return true;
    }

    @Override
    boolean power() {
        return true;
    }

    @Override
    boolean nestedDice() {
        return false;
    }

    @Override
    boolean coins() {
        return false;
    }

    @Override
    Fn function(String name) {
        return switch (name) {
            case "floor" -> Fn.FLOOR;
            case "ceil" -> Fn.CEIL;
            case "round" -> Fn.ROUND;
            case "abs" -> Fn.ABS;
            default -> null;
        };
    }

    @Override
    String hint(char c) {
        return switch (Character.toLowerCase(c)) {
            case 'x' -> " (Roll20 explodes with '!')";
            case 'c' -> " (cs/cf and dc coins are Foundry syntax)";
            case 'm' -> " (min/max are Foundry syntax)";
            case '(' -> " (dice faces in parentheses are Foundry syntax)";
            case 'e', 'o' -> " (even/odd are Foundry syntax)";
            default -> "";
        };
    }

    @Override
    Mods diceModifiers(DieKind kind) {
        Explode explode = Explode.NONE;
        boolean onMax = false;
        List<Cmp> explodeAt = new ArrayList<>(1);
        int explodePos = -1;
        List<Cmp> rerollAt = new ArrayList<>(1);
        boolean once = false;
        int rerollPos = -1;
        KeepDrop keepDrop = null;
        Cmp success = null;
        Cmp failure = null;
        int sort = 0;
        loop:
        while (pos < len) {
            int at = pos;
            switch (peekLower()) {
                case '!' -> {
                    pos++;
                    Explode kindHere = Explode.EXPLODE;
                    if (peekLower() == '!') {
                        kindHere = Explode.COMPOUND;
                        pos++;
                    } else if (peekLower() == 'p') {
                        kindHere = Explode.PENETRATE;
                        pos++;
                    }
                    if (explode != Explode.NONE && explode != kindHere)
                        throw syntax(at, "One kind of exploding per term; another starts at position " + at);
                    explode = kindHere;
                    if (explodePos < 0) explodePos = at;
                    Cmp point = comparePoint();
                    if (point == null) onMax = true;
                    else explodeAt.add(point);
                }
                case 'r' -> {
                    pos++;
                    if (peekLower() == 'r') {
                        throw syntax(
                                at,
                                "Unexpected 'rr' at position " + at
                                        + " (rr is Foundry syntax; Roll20's r already rerolls until the die misses)");
                    }
                    boolean onceHere = peekLower() == 'o';
                    if (onceHere) pos++;
                    if (rerollPos >= 0 && once != onceHere)
                        throw syntax(at, "Use r or ro on a term, not both (position " + at + ")");
                    once = onceHere;
                    if (rerollPos < 0) rerollPos = at;
                    Cmp point = comparePoint();
                    rerollAt.add(point != null ? point : new Cmp(Op.EQ, new Arg(1, null, at), at));
                }
                case 'k', 'd' -> keepDrop = keepOrDrop(at, keepDrop, "term");
                case 's' -> {
                    pos++;
                    int order = 1;
                    if (peekLower() == 'a') pos++;
                    else if (peekLower() == 'd') {
                        order = -1;
                        pos++;
                    }
                    if (sort != 0) throw syntax(at, "One sort per term; another at position " + at);
                    sort = order;
                }
                case '>', '<', '=' -> {
                    if (success != null) throw syntax(at, "One success check per term; another at position " + at);
                    success = comparePoint();
                }
                case 'f' -> failure = failureCheck(at, failure, "term");
                default -> {
                    break loop;
                }
            }
        }
        requireSuccessWithFailure(success, failure);
        if (explode == Explode.NONE && rerollPos < 0 && keepDrop == null && success == null && sort == 0)
            return Roll20Mods.NONE;
        return new Roll20Mods(
                explode,
                onMax,
                List.copyOf(explodeAt),
                explodePos,
                List.copyOf(rerollAt),
                once,
                rerollPos,
                keepDrop,
                success,
                failure,
                sort);
    }

    @Override
    Mods groupModifiers() {
        KeepDrop keepDrop = null;
        Cmp success = null;
        Cmp failure = null;
        loop:
        while (pos < len) {
            int at = pos;
            switch (peekLower()) {
                case 'k', 'd' -> keepDrop = keepOrDrop(at, keepDrop, "group");
                case '>', '<', '=' -> {
                    if (success != null) throw syntax(at, "One success check per group; another at position " + at);
                    success = comparePoint();
                }
                case 'f' -> failure = failureCheck(at, failure, "group");
                default -> {
                    break loop;
                }
            }
        }
        requireSuccessWithFailure(success, failure);
        return new Roll20GroupMods(keepDrop, success, failure);
    }

    /** {@code k}/{@code d} with an optional {@code h}/{@code l} and count; one per term or group. */
    private KeepDrop keepOrDrop(int at, KeepDrop existing, String scope) {
        boolean keep = peekLower() == 'k';
        pos++;
        boolean highest = highOrLow(keep);
        Arg count = countOrOne(at);
        if (existing != null) throw syntax(at, "One keep or drop per " + scope + "; another at position " + at);
        return new KeepDrop(keep, highest, count, at);
    }

    /** {@code fN} / {@code f<N}: a failure check, which needs its compare point; one per term or group. */
    private Cmp failureCheck(int at, Cmp existing, String scope) {
        pos++;
        Cmp point = comparePoint();
        if (point == null) throw syntax(at, "'f' needs a compare point such as f1 or f<2 (position " + at + ")");
        if (existing != null) throw syntax(at, "One failure check per " + scope + "; another at position " + at);
        return point;
    }

    /** Roll20 counts failures only on a success check: {@code 3d6>4f1}, never {@code 3d6f1}. */
    private void requireSuccessWithFailure(Cmp success, Cmp failure) {
        if (failure != null && success == null) {
            throw syntax(
                    failure.pos() - 1,
                    "Failures (f) count only together with a success check such as >3 (position " + (failure.pos() - 1)
                            + ")");
        }
    }

    /** {@code >N} (at least), {@code <N} (at most), {@code =N} or bare {@code N} (exactly); null if none comes next. */
    private Cmp comparePoint() {
        if (pos >= len) return null;
        int at = pos;
        char c = src.charAt(pos);
        Op op;
        switch (c) {
            case '>' -> op = Op.GE;
            case '<' -> op = Op.LE;
            case '=' -> op = Op.EQ;
            default -> {
                Arg bare = arg();
                return bare == null ? null : new Cmp(Op.EQ, bare, at);
            }
        }
        pos++;
        if (pos < len && src.charAt(pos) == '=') {
            throw syntax(
                    pos,
                    "Unexpected '=' at position " + pos + " (in Roll20 '" + c + "' already includes equality: write "
                            + c + "N)");
        }
        return new Cmp(op, signedArg(at), at);
    }
}
