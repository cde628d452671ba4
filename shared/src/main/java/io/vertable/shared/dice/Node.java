package io.vertable.shared.dice;

import java.util.List;

/**
 * The parsed form of an expression, shared by both dialects: the parsers differ, the tree does not. Nodes are
 * immutable (a parsed expression is cached and rolled many times, from any thread); what a roll produced for a node
 * lives in the {@link Evaluator}, indexed by the node's slot. Positions are 0-based indexes into the expression.
 */
sealed interface Node {

    /** A number as written: {@code 5}, {@code 1.5}. */
    record Num(double value, int pos, int end) implements Node {}

    /** {@code @str}, {@code @{str}}, {@code @abilities.str.mod}; {@code pos} is the {@code @}. */
    record Var(String path, int slot, int pos, int end) implements Node {}

    /** Unary minus; {@code pos} is the sign. */
    record Neg(Node operand, int pos) implements Node {}

    /** {@code + - * / %} and {@code ^} for {@code **}; {@code pos} is the operator. */
    record Bin(char op, Node left, Node right, int pos) implements Node {}

    /** Parentheses as written, kept so the text breakdown shows the grouping the player typed. */
    record Paren(Node inner, int pos, int end) implements Node {}

    /** {@code floor(x)}, {@code min(a, b)}, …; {@code pos} is the function name. */
    record Call(Fn fn, List<Node> args, int pos) implements Node {}

    /** A label such as {@code [STR]} on a term that is not a dice term or group (those carry their own). */
    record Labeled(Node inner, String label) implements Node {}

    /**
     * A dice term {@code NdX} with its modifiers. {@code count} is null for {@code dX}; {@code faces} is null unless
     * the kind is {@link DieKind#NUMBER}. {@code start..end} is the notation as typed (without the label), {@code dPos}
     * the {@code d}, {@code modsStart} where the modifiers begin.
     */
    record Dice(
            int slot,
            Node count,
            DieKind kind,
            Node faces,
            int facesPos,
            Mods mods,
            int start,
            int dPos,
            int modsStart,
            int end,
            String label)
            implements Node {
        Dice withLabel(String newLabel) {
            return new Dice(slot, count, kind, faces, facesPos, mods, start, dPos, modsStart, end, newLabel);
        }
    }

    /** A Roll20 group or a Foundry pool: {@code {a, b, …}} and its modifiers ({@code modsStart..end}). */
    record Group(int slot, List<Node> elements, Mods mods, int start, int modsStart, int end, String label)
            implements Node {
        Group withLabel(String newLabel) {
            return new Group(slot, elements, mods, start, modsStart, end, newLabel);
        }
    }

    enum DieKind {
        NUMBER,
        PERCENT,
        FATE,
        COIN
    }

    enum Fn {
        FLOOR(1, 1),
        CEIL(1, 1),
        ROUND(1, 1),
        ABS(1, 1),
        MIN(2, 20),
        MAX(2, 20),
        SQRT(1, 1),
        SIGN(1, 1),
        TRUNC(1, 1);

        final int minArgs;
        final int maxArgs;

        Fn(int minArgs, int maxArgs) {
            this.minArgs = minArgs;
            this.maxArgs = maxArgs;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A comparison as the dialect means it: Roll20's {@code >3} is {@link #GE}, Foundry's is {@link #GT}. */
    enum Op {
        EQ,
        GT,
        GE,
        LT,
        LE;

        boolean test(double value, double target) {
            return switch (this) {
                case EQ -> value == target;
                case GT -> value > target;
                case GE -> value >= target;
                case LT -> value < target;
                case LE -> value <= target;
            };
        }
    }

    /** A number in a modifier: a literal, or a variable looked up when the roll is made. */
    record Arg(int value, Var var, int pos) {}

    /** A compare point: an operator and its target; {@code pos} is where the compare point starts. */
    record Cmp(Op op, Arg target, int pos) {}

    /** {@code k}/{@code kh}/{@code kl}/{@code d}/{@code dh}/{@code dl}: keep or drop the highest or lowest. */
    record KeepDrop(boolean keep, boolean highest, Arg count, int pos) {}

    /** The modifiers of a term or group; each dialect has its own. */
    sealed interface Mods {}

    enum Explode {
        NONE,
        EXPLODE,
        COMPOUND,
        PENETRATE
    }

    /**
     * Roll20 modifiers. Roll20 applies them in a fixed order whatever order they were typed in: rerolls and explosions
     * while rolling, then keep/drop, then successes/failures, then sort.
     */
    record Roll20Mods(
            Explode explode,
            boolean explodeOnMax,
            List<Cmp> explodeAt,
            int explodePos,
            List<Cmp> rerollAt,
            boolean rerollOnce,
            int rerollPos,
            KeepDrop keepDrop,
            Cmp success,
            Cmp failure,
            int sort)
            implements Mods {
        static final Roll20Mods NONE =
                new Roll20Mods(Explode.NONE, false, List.of(), -1, List.of(), false, -1, null, null, null, 0);
    }

    /** Roll20 group modifiers: keep/drop, a success compare point, a failure compare point. */
    record Roll20GroupMods(KeepDrop keepDrop, Cmp success, Cmp failure) implements Mods {}

    enum FKind {
        REROLL,
        REROLL_RECURSIVE,
        EXPLODE,
        EXPLODE_ONCE,
        KEEP,
        DROP,
        MIN,
        MAX,
        EVEN,
        ODD,
        COUNT_SUCCESS,
        COUNT_FAILURE,
        DEDUCT_FAILURE,
        SUBTRACT_FAILURE,
        MARGIN,
        CALL
    }

    /**
     * One Foundry modifier. {@code limit} caps how many dice {@code r}/{@code x} may act on ({@code r1=1}); {@code cmp}
     * is null when the modifier's default applies; {@code number} is the keep/drop count, the clamp, or the called face.
     */
    record FMod(FKind kind, Arg limit, Cmp cmp, Arg number, boolean highest, int pos) {}

    /** Foundry modifiers, applied in the order written (as Foundry does). */
    record FoundryMods(List<FMod> list) implements Mods {
        static final FoundryMods NONE = new FoundryMods(List.of());
    }
}
