package io.vertable.shared.dice;

import io.vertable.shared.dice.Node.Arg;
import io.vertable.shared.dice.Node.Cmp;
import io.vertable.shared.dice.Node.DieKind;
import io.vertable.shared.dice.Node.FKind;
import io.vertable.shared.dice.Node.FMod;
import io.vertable.shared.dice.Node.Fn;
import io.vertable.shared.dice.Node.FoundryMods;
import io.vertable.shared.dice.Node.Mods;
import io.vertable.shared.dice.Node.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * The Foundry dialect. Comparisons are strict: {@code >}, {@code <}, plus {@code >=}, {@code <=}, {@code =}; a bare
 * number means equal. Dice modifiers, applied in the order written: {@code r rr x xo} (each with an optional leading
 * limit, {@code r1=1} rerolls at most one die), {@code k kh kl d dh dl}, {@code minN maxN}, {@code even odd},
 * {@code cs cf df sf ms}; coins {@code dc} take only {@code c0}/{@code c1}. Pools take {@code k kh kl d dh dl cs cf}.
 */
final class FoundryParser extends Parser {

    FoundryParser(String src) {
        super(src);
    }

    @Override
    boolean modulo() {
        return false;
    }

    @Override
    boolean power() {
        return false;
    }

    @Override
    boolean nestedDice() {
        return true;
    }

    @Override
    boolean coins() {
        return true;
    }

    @Override
    Fn function(String name) {
        return switch (name) {
            case "floor" -> Fn.FLOOR;
            case "ceil" -> Fn.CEIL;
            case "round" -> Fn.ROUND;
            case "abs" -> Fn.ABS;
            case "min" -> Fn.MIN;
            case "max" -> Fn.MAX;
            case "sqrt" -> Fn.SQRT;
            case "sign" -> Fn.SIGN;
            case "trunc" -> Fn.TRUNC;
            default -> null;
        };
    }

    @Override
    String hint(char c) {
        return switch (Character.toLowerCase(c)) {
            case '!' -> " (Foundry explodes with 'x'; compounding and penetrating are Roll20 syntax)";
            case '%' -> " (the % operator is Roll20 syntax)";
            case '^' -> " (the ** operator is Roll20 syntax)";
            case '>', '<' -> " (Foundry counts successes with cs, e.g. cs>3)";
            case 's' -> " (sorting is Roll20 syntax)";
            case 'f' -> " (Foundry counts failures with cf, df or sf)";
            default -> "";
        };
    }

    @Override
    Mods diceModifiers(DieKind kind) {
        List<FMod> mods = new ArrayList<>(2);
        while (pos < len) {
            int at = pos;
            FMod mod = modifier(kind, at);
            if (mod == null) break;
            if (kind == DieKind.COIN && mod.kind() != FKind.CALL)
                throw syntax(at, "A coin (dc) takes only c0 or c1, at position " + at);
            mods.add(mod);
        }
        return mods.isEmpty() ? FoundryMods.NONE : new FoundryMods(List.copyOf(mods));
    }

    private FMod modifier(DieKind kind, int at) {
        switch (peekLower()) {
            case 'r' -> {
                pos++;
                boolean recursive = peekLower() == 'r';
                if (recursive) pos++;
                return limited(recursive ? FKind.REROLL_RECURSIVE : FKind.REROLL, at);
            }
            case 'x' -> {
                pos++;
                boolean once = peekLower() == 'o';
                if (once) pos++;
                return limited(once ? FKind.EXPLODE_ONCE : FKind.EXPLODE, at);
            }
            case 'k' -> {
                pos++;
                return keepDrop(FKind.KEEP, true, at);
            }
            case 'd' -> {
                pos++;
                if (peekLower() == 'f') {
                    pos++;
                    return new FMod(FKind.DEDUCT_FAILURE, null, optionalCompare(at), null, false, at);
                }
                return keepDrop(FKind.DROP, false, at);
            }
            case 'm' -> {
                if (lookingAt("min") || lookingAt("max")) {
                    FKind clamp = lookingAt("min") ? FKind.MIN : FKind.MAX;
                    pos += 3;
                    Arg number = arg();
                    if (number == null) throw expectedNumber(at);
                    return new FMod(clamp, null, null, number, false, at);
                }
                if (peekLower(1) == 's') {
                    pos += 2;
                    Cmp cmp = optionalCompare(at);
                    if (cmp == null) throw expectedNumber(at);
                    return new FMod(FKind.MARGIN, null, cmp, null, false, at);
                }
                return null;
            }
            case 'e' -> {
                if (!lookingAt("even")) return null;
                pos += 4;
                return new FMod(FKind.EVEN, null, null, null, false, at);
            }
            case 'o' -> {
                if (!lookingAt("odd")) return null;
                pos += 3;
                return new FMod(FKind.ODD, null, null, null, false, at);
            }
            case 'c' -> {
                char next = peekLower(1);
                if (next == 's' || next == 'f') {
                    pos += 2;
                    FKind count = next == 's' ? FKind.COUNT_SUCCESS : FKind.COUNT_FAILURE;
                    return new FMod(count, null, optionalCompare(at), null, false, at);
                }
                if (kind != DieKind.COIN) return null;
                pos++;
                int value = 1;
                if (pos < len && (src.charAt(pos) == '0' || src.charAt(pos) == '1')) value = src.charAt(pos++) - '0';
                return new FMod(FKind.CALL, null, null, new Arg(value, null, at), false, at);
            }
            case 's' -> {
                if (peekLower(1) != 'f') return null;
                pos += 2;
                return new FMod(FKind.SUBTRACT_FAILURE, null, optionalCompare(at), null, false, at);
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    Mods groupModifiers() {
        List<FMod> mods = new ArrayList<>(1);
        while (pos < len) {
            int at = pos;
            char c = peekLower();
            if (c == 'k') {
                pos++;
                mods.add(keepDrop(FKind.KEEP, true, at));
            } else if (c == 'd') {
                pos++;
                mods.add(keepDrop(FKind.DROP, false, at));
            } else if (c == 'c' && (peekLower(1) == 's' || peekLower(1) == 'f')) {
                FKind count = peekLower(1) == 's' ? FKind.COUNT_SUCCESS : FKind.COUNT_FAILURE;
                pos += 2;
                Cmp cmp = optionalCompare(at);
                if (cmp == null) throw syntax(at, "A pool's cs/cf needs a target such as cs>=10 (position " + at + ")");
                mods.add(new FMod(count, null, cmp, null, false, at));
            } else {
                break;
            }
        }
        return mods.isEmpty() ? FoundryMods.NONE : new FoundryMods(List.copyOf(mods));
    }

    private FMod keepDrop(FKind kind, boolean highest, int at) {
        boolean which = highOrLow(highest);
        return new FMod(kind, null, null, countOrOne(at), which, at);
    }

    /** {@code r}/{@code x} targets: {@code [limit](op target)?} as Foundry reads them; a lone number is the target. */
    private FMod limited(FKind kind, int at) {
        Arg first = arg();
        Op op = operator();
        if (op != null) return new FMod(kind, first, new Cmp(op, signedArg(at), at), null, false, at);
        if (first != null) return new FMod(kind, null, new Cmp(Op.EQ, first, at), null, false, at);
        return new FMod(kind, null, null, null, false, at);
    }

    /** An operator and target, a bare number (equal), or null for the modifier's default. */
    private Cmp optionalCompare(int at) {
        Op op = operator();
        if (op != null) return new Cmp(op, signedArg(at), at);
        Arg bare = arg();
        return bare == null ? null : new Cmp(Op.EQ, bare, at);
    }

    private Op operator() {
        if (pos >= len) return null;
        char c = src.charAt(pos);
        boolean equalsNext = pos + 1 < len && src.charAt(pos + 1) == '=';
        Op op;
        switch (c) {
            case '=' -> op = Op.EQ;
            case '>' -> op = equalsNext ? Op.GE : Op.GT;
            case '<' -> op = equalsNext ? Op.LE : Op.LT;
            default -> {
                return null;
            }
        }
        pos += (c != '=' && equalsNext) ? 2 : 1;
        return op;
    }

    private DiceException expectedNumber(int at) {
        return syntax(at, "Expected a number after the modifier at position " + at);
    }
}
