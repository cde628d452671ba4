package io.vertable.shared.dice;

import io.vertable.shared.dice.Node.Arg;
import io.vertable.shared.dice.Node.Bin;
import io.vertable.shared.dice.Node.Call;
import io.vertable.shared.dice.Node.Cmp;
import io.vertable.shared.dice.Node.Dice;
import io.vertable.shared.dice.Node.Explode;
import io.vertable.shared.dice.Node.FKind;
import io.vertable.shared.dice.Node.FMod;
import io.vertable.shared.dice.Node.FoundryMods;
import io.vertable.shared.dice.Node.Group;
import io.vertable.shared.dice.Node.KeepDrop;
import io.vertable.shared.dice.Node.Labeled;
import io.vertable.shared.dice.Node.Neg;
import io.vertable.shared.dice.Node.Num;
import io.vertable.shared.dice.Node.Op;
import io.vertable.shared.dice.Node.Paren;
import io.vertable.shared.dice.Node.Roll20GroupMods;
import io.vertable.shared.dice.Node.Roll20Mods;
import io.vertable.shared.dice.Node.Var;
import io.vertable.shared.wire.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One evaluation of a parsed expression: walks the tree, throws the dice, applies each dialect's modifiers and keeps
 * what every dice term and group produced (by slot), so the text breakdown and the JSON can show it afterwards.
 *
 * <p>Every number drawn counts against {@link DiceEngine#MAX_DICE}, and every explosion chain against
 * {@link DiceEngine#MAX_EXPLOSIONS_PER_DIE}; recursive rerolls that could never stop are refused before any die is
 * thrown. Together these bound the work of any expression: nothing loops without a budget.
 */
final class Evaluator {

    /** The largest die; more faces than this is refused with DICE_LIMIT. */
    static final int MAX_FACES = 1_000_000;

    final String src;
    private final Variables variables;
    private final DiceSource source;
    final TermResult[] terms;
    final GroupResult[] groups;
    final double[] varValues;
    final ArrayList<TermResult> termOrder = new ArrayList<>(4);
    final ArrayList<GroupResult> groupOrder = new ArrayList<>(0);
    int[] drawFaces = new int[8];
    int[] drawValues = new int[8];
    int drawCount;
    int successes;
    int failures;
    boolean countsSuccesses;
    boolean countsFailures;
    private GroupResult current;

    Evaluator(Parser.Parsed parsed, String src, Variables variables, DiceSource source) {
        this.src = src;
        this.variables = variables;
        this.source = source;
        this.terms = new TermResult[parsed.diceSlots()];
        this.groups = new GroupResult[parsed.groupSlots()];
        this.varValues = new double[parsed.varSlots()];
        Arrays.fill(varValues, Double.NaN);
    }

    /** Evaluates the whole expression and tallies successes and failures of the outermost counting terms. */
    double run(Node root) {
        double total = eval(root);
        for (TermResult t : termOrder) {
            if ((t.countsSuccesses || t.countsFailures) && !counted(t.parent)) {
                tally(t.countsSuccesses, t.countsFailures, t.successes, t.failures);
            }
        }
        for (GroupResult g : groupOrder) {
            if ((g.countsSuccesses || g.countsFailures) && !counted(g.parent)) {
                tally(g.countsSuccesses, g.countsFailures, g.successes, g.failures);
            }
        }
        return total;
    }

    private void tally(boolean s, boolean f, int sCount, int fCount) {
        countsSuccesses |= s;
        countsFailures |= f;
        if (s) successes += sCount;
        if (f) failures += fCount;
    }

    /** Whether a group around this result already counts successes or failures (then it speaks for its contents). */
    private static boolean counted(GroupResult group) {
        for (GroupResult g = group; g != null; g = g.parent) if (g.countsSuccesses || g.countsFailures) return true;
        return false;
    }

    double eval(Node node) {
        if (node instanceof Dice d) return dice(d);
        if (node instanceof Num n) return n.value();
        if (node instanceof Bin b) return binary(b);
        if (node instanceof Var v) return variable(v);
        if (node instanceof Neg n) return -eval(n.operand());
        if (node instanceof Paren p) return eval(p.inner());
        if (node instanceof Labeled l) return eval(l.inner());
        if (node instanceof Call c) return call(c);
        return group((Group) node);
    }

    // ---- arithmetic

    private double binary(Bin b) {
        double left = eval(b.left());
        double right = eval(b.right());
        double result;
        switch (b.op()) {
            case '+' -> result = left + right;
            case '-' -> result = left - right;
            case '*' -> result = left * right;
            case '/' -> {
                if (right == 0) throw divisionByZero(b.pos());
                result = left / right;
            }
            case '%' -> {
                if (right == 0) throw divisionByZero(b.pos());
                result = left % right;
            }
            default -> {
                if (left == 0 && right < 0) throw divisionByZero(b.pos());
                result = Math.pow(left, right);
            }
        }
        return finite(result, b.pos());
    }

    private double call(Call c) {
        List<Node> args = c.args();
        double x = eval(args.get(0));
        double result;
        switch (c.fn()) {
            case FLOOR -> result = Math.floor(x);
            case CEIL -> result = Math.ceil(x);
            case ROUND -> {
                double floor = Math.floor(x);
                result = x - floor >= 0.5 ? floor + 1 : floor;
            }
            case ABS -> result = Math.abs(x);
            case SQRT -> {
                if (x < 0)
                    throw new DiceException(
                            ErrorCode.DICE_INVALID,
                            c.pos(),
                            "sqrt of a negative number at position " + c.pos() + " has no value");
                result = Math.sqrt(x);
            }
            case SIGN -> result = Math.signum(x);
            case TRUNC -> result = x < 0 ? Math.ceil(x) : Math.floor(x);
            case MIN, MAX -> {
                result = x;
                for (int i = 1; i < args.size(); i++) {
                    double y = eval(args.get(i));
                    result = c.fn() == Node.Fn.MIN ? Math.min(result, y) : Math.max(result, y);
                }
            }
            default -> throw new IllegalStateException(c.fn().name());
        }
        return finite(result, c.pos());
    }

    private double variable(Var v) {
        double known = varValues[v.slot()];
        if (!Double.isNaN(known)) return known;
        OptionalDouble value = variables.lookup(v.path());
        if (value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
            throw new DiceException(
                    ErrorCode.DICE_UNKNOWN_VARIABLE,
                    v.pos(),
                    "Unknown variable '" + src.substring(v.pos(), v.end()) + "' at position " + v.pos()
                            + ": the character sheet has no such number");
        }
        varValues[v.slot()] = value.getAsDouble();
        return value.getAsDouble();
    }

    private static double finite(double value, int pos) {
        if (Double.isNaN(value)) {
            throw new DiceException(
                    ErrorCode.DICE_INVALID, pos, "The calculation at position " + pos + " has no numeric value");
        }
        if (Double.isInfinite(value)) {
            throw new DiceException(ErrorCode.DICE_LIMIT, pos, "The result at position " + pos + " is too large");
        }
        return value;
    }

    private static DiceException divisionByZero(int pos) {
        return new DiceException(ErrorCode.DICE_DIVISION_BY_ZERO, pos, "Division by zero at position " + pos);
    }

    // ---- numbers inside modifiers

    private int intArg(Arg arg) {
        if (arg.var() == null) return arg.value();
        double v = variable(arg.var());
        if (v != Math.rint(v)) {
            throw new DiceException(
                    ErrorCode.DICE_INVALID, arg.pos(), "The number at position " + arg.pos() + " must be whole");
        }
        if (Math.abs(v) > Parser.MAX_MODIFIER_NUMBER)
            throw new DiceException(
                    ErrorCode.DICE_LIMIT, arg.pos(), "The number at position " + arg.pos() + " is too large");
        return (int) v;
    }

    private int count(Arg arg) {
        int n = intArg(arg);
        if (n < 0) {
            throw new DiceException(
                    ErrorCode.DICE_INVALID, arg.pos(), "The count at position " + arg.pos() + " must not be negative");
        }
        return n;
    }

    private double target(Cmp cmp) {
        Arg arg = cmp.target();
        return arg.var() == null ? arg.value() : variable(arg.var());
    }

    // ---- dice

    private double dice(Dice d) {
        TermResult done = terms[d.slot()];
        if (done != null) return done.value; // a group re-adds its element after dropping dice
        int count = d.count() == null ? 1 : diceCount(eval(d.count()), d.start());
        int faces;
        int low = 1;
        int high;
        switch (d.kind()) {
            case NUMBER -> faces = high = faceCount(eval(d.faces()), d.facesPos());
            case PERCENT -> faces = high = 100;
            case FATE -> {
                faces = 3;
                low = -1;
                high = 1;
            }
            default -> {
                faces = 2;
                low = 0;
                high = 1;
            }
        }
        if (count > DiceEngine.MAX_DICE - drawCount) throw tooMany(d.start());
        TermResult t = new TermResult(d, faces, low, high, count, current);
        if (d.mods() instanceof Roll20Mods mods) roll20(t, mods, count);
        else foundry(t, (FoundryMods) d.mods(), count);
        terms[d.slot()] = t;
        termOrder.add(t);
        return t.value;
    }

    private static int diceCount(double value, int pos) {
        if (value != Math.rint(value) || value < 0) {
            throw new DiceException(
                    ErrorCode.DICE_INVALID,
                    pos,
                    "The number of dice at position " + pos + " must be a whole number of at least 0, not "
                            + Numbers.text(value));
        }
        if (value > DiceEngine.MAX_DICE) throw tooMany(pos);
        return (int) value;
    }

    private static int faceCount(double value, int pos) {
        if (value != Math.rint(value) || value < 1) {
            throw new DiceException(
                    ErrorCode.DICE_INVALID,
                    pos,
                    "A die needs a whole number of faces, at least 1, at position " + pos + " (not "
                            + Numbers.text(value) + ")");
        }
        if (value > MAX_FACES) {
            throw new DiceException(
                    ErrorCode.DICE_LIMIT, pos, "A die has at most " + MAX_FACES + " faces (position " + pos + ")");
        }
        return (int) value;
    }

    private static DiceException tooMany(int pos) {
        return new DiceException(
                ErrorCode.DICE_LIMIT,
                pos,
                "A roll may throw at most " + DiceEngine.MAX_DICE
                        + " dice, counting explosions and rerolls (dice term at position " + pos + ")");
    }

    private static DiceException tooManyExplosions(int pos) {
        return new DiceException(
                ErrorCode.DICE_LIMIT,
                pos,
                "A die may explode at most " + DiceEngine.MAX_EXPLOSIONS_PER_DIE + " times (position " + pos + ")");
    }

    /** Throws one die of the term: the value on the die's own scale (Fate −1..1, coin 0..1). */
    private double draw(TermResult t) {
        if (drawCount >= DiceEngine.MAX_DICE) throw tooMany(t.node.start());
        int value = source.roll(t.faces);
        if (value < 1 || value > t.faces)
            throw new IllegalStateException("The dice source answered " + value + " for a d" + t.faces);
        if (drawCount == drawFaces.length) {
            drawFaces = Arrays.copyOf(drawFaces, drawCount * 2);
            drawValues = Arrays.copyOf(drawValues, drawCount * 2);
        }
        drawFaces[drawCount] = t.faces;
        drawValues[drawCount++] = value;
        return value + t.low - 1;
    }

    // ---- Roll20: reroll and explode while rolling, then keep/drop, then successes/failures, then sort

    private void roll20(TermResult t, Roll20Mods m, int count) {
        if (m == Roll20Mods.NONE) {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                double v = draw(t);
                t.dice.add(new Outcome(v));
                sum += v;
            }
            t.value = sum;
            return;
        }
        Points rerolls = points(m.rerollAt(), false, t.high);
        if (rerolls.size > 0 && !m.rerollOnce() && rerolls.coversAll(t.low, t.high)) throw neverStops(m.rerollPos(), t);
        Points explodes = m.explode() == Explode.NONE ? null : points(m.explodeAt(), m.explodeOnMax(), t.high);
        for (int i = 0; i < count; i++) {
            double raw = rerolled(t, rerolls, m.rerollOnce());
            if (explodes == null) {
                t.dice.add(new Outcome(raw));
                continue;
            }
            int chain = 0;
            if (m.explode() == Explode.COMPOUND) {
                double sum = raw;
                while (explodes.matches(raw)) {
                    if (++chain > DiceEngine.MAX_EXPLOSIONS_PER_DIE) throw tooManyExplosions(m.explodePos());
                    raw = rerolled(t, rerolls, m.rerollOnce());
                    sum += raw;
                }
                Outcome die = new Outcome(sum);
                die.exploded = chain > 0;
                die.chain = chain;
                t.dice.add(die);
                continue;
            }
            Outcome die = new Outcome(raw);
            t.dice.add(die);
            while (explodes.matches(raw)) {
                die.exploded = true;
                if (++chain > DiceEngine.MAX_EXPLOSIONS_PER_DIE) throw tooManyExplosions(m.explodePos());
                raw = rerolled(t, rerolls, m.rerollOnce());
                die = new Outcome(m.explode() == Explode.PENETRATE ? raw - 1 : raw);
                die.chain = chain;
                t.dice.add(die);
            }
        }
        KeepDrop kd = m.keepDrop();
        if (kd != null) keepOrDrop(t.dice, count(kd.count()), kd.keep(), kd.highest());
        if (m.success() != null) {
            t.successAt = m.success();
            t.successTarget = target(m.success());
            t.countsSuccesses = true;
            if (m.failure() != null) {
                t.failureAt = m.failure();
                t.failureTarget = target(m.failure());
                t.countsFailures = true;
            }
        }
        t.sumRoll20();
        if (m.sort() != 0) {
            t.dice.sort(
                    m.sort() > 0
                            ? (a, b) -> Double.compare(a.value, b.value)
                            : (a, b) -> Double.compare(b.value, a.value));
        }
    }

    /** One throw, rerolled (recorded as a rerolled die) while it matches a reroll point, or once for {@code ro}. */
    private double rerolled(TermResult t, Points rerolls, boolean once) {
        double value = draw(t);
        while (rerolls.size > 0 && rerolls.matches(value)) {
            Outcome gone = new Outcome(value);
            gone.rerolled = true;
            t.dice.add(gone);
            value = draw(t);
            if (once) break;
        }
        return value;
    }

    private DiceException neverStops(int pos, TermResult t) {
        return new DiceException(
                ErrorCode.DICE_INVALID,
                pos,
                "The reroll at position " + pos + " matches every face of the die (" + t.low + " to " + t.high
                        + "), so it would never stop");
    }

    /** Resolved compare points of one modifier family; {@code onMax} adds "equals the highest face". */
    private Points points(List<Cmp> cmps, boolean onMax, int high) {
        int n = cmps.size() + (onMax ? 1 : 0);
        Points points = new Points(n);
        for (Cmp cmp : cmps) points.add(cmp.op(), target(cmp));
        if (onMax) points.add(Op.EQ, high);
        return points;
    }

    /** A union of compare points. */
    static final class Points {
        final Op[] ops;
        final double[] targets;
        int size;

        Points(int capacity) {
            ops = new Op[capacity];
            targets = new double[capacity];
        }

        void add(Op op, double target) {
            ops[size] = op;
            targets[size++] = target;
        }

        boolean matches(double value) {
            for (int i = 0; i < size; i++) if (ops[i].test(value, targets[i])) return true;
            return false;
        }

        /** Whether every whole value from low to high matches: then a recursive reroll could never end. */
        boolean coversAll(int low, int high) {
            long[][] spans = new long[size][];
            for (int i = 0; i < size; i++) spans[i] = span(ops[i], targets[i], low, high);
            Arrays.sort(spans, (a, b) -> Long.compare(a[0], b[0]));
            long next = low;
            for (long[] s : spans) {
                if (s[0] > s[1]) continue;
                if (s[0] > next) return false;
                next = Math.max(next, s[1] + 1);
            }
            return next > high;
        }

        private static long[] span(Op op, double t, int low, int high) {
            long from = low, to = high;
            switch (op) {
                case EQ -> {
                    if (t != Math.rint(t)) return new long[] {1, 0};
                    from = to = (long) t;
                }
                case GE -> from = (long) Math.ceil(t);
                case GT -> from = (long) Math.floor(t) + 1;
                case LE -> to = (long) Math.floor(t);
                case LT -> to = (long) Math.ceil(t) - 1;
            }
            return new long[] {Math.max(from, low), Math.min(to, high)};
        }
    }

    // ---- Foundry: every modifier in the order written, each a pass over the results so far

    private void foundry(TermResult t, FoundryMods mods, int count) {
        ArrayList<Outcome> dice = t.dice;
        for (int i = 0; i < count; i++) dice.add(new Outcome(draw(t)));
        boolean margin = false;
        boolean marginFailure = false;
        double marginTarget = 0;
        for (FMod mod : mods.list()) {
            switch (mod.kind()) {
                case REROLL, REROLL_RECURSIVE -> reroll(t, mod, mod.kind() == FKind.REROLL_RECURSIVE);
                case EXPLODE, EXPLODE_ONCE -> explode(t, mod, mod.kind() == FKind.EXPLODE);
                case KEEP, DROP -> keepOrDrop(dice, count(mod.number()), mod.kind() == FKind.KEEP, mod.highest());
                case MIN, MAX -> {
                    int bound = intArg(mod.number());
                    for (Outcome die : dice) {
                        if (mod.kind() == FKind.MIN ? die.value < bound : die.value > bound) die.value = bound;
                    }
                }
                case EVEN, ODD -> {
                    boolean even = mod.kind() == FKind.EVEN;
                    for (Outcome die : dice) {
                        if (!die.active()) continue;
                        boolean isEven = die.value % 2 == 0;
                        countAs(die, isEven == even, true);
                    }
                    t.countsSuccesses = true;
                }
                case COUNT_SUCCESS, COUNT_FAILURE -> {
                    boolean successes = mod.kind() == FKind.COUNT_SUCCESS;
                    Op op = mod.cmp() == null ? Op.EQ : mod.cmp().op();
                    double target = mod.cmp() == null ? (successes ? t.high : t.low) : target(mod.cmp());
                    for (Outcome die : dice) if (die.active()) countAs(die, op.test(die.value, target), successes);
                    if (successes) t.countsSuccesses = true;
                    else t.countsFailures = true;
                }
                case DEDUCT_FAILURE, SUBTRACT_FAILURE -> {
                    boolean subtract = mod.kind() == FKind.SUBTRACT_FAILURE;
                    Cmp cmp = mod.cmp();
                    double target = cmp == null ? 0 : target(cmp);
                    for (Outcome die : dice) {
                        if (!die.active()) continue;
                        if (cmp != null ? cmp.op().test(die.value, target) : die.successChecked && !die.success) {
                            die.failure = true;
                            die.success = false;
                            die.successChecked = false;
                        }
                        if (die.failure) {
                            die.hasCount = true;
                            die.count = subtract ? -die.value : -1;
                        }
                    }
                    t.countsFailures = true;
                }
                case MARGIN -> {
                    Op op = mod.cmp().op();
                    margin = true;
                    marginFailure = op == Op.LT || op == Op.LE;
                    marginTarget = target(mod.cmp());
                }
                case CALL -> {
                    int called = mod.number().value();
                    for (Outcome die : dice) if (die.active()) countAs(die, die.value == called, true);
                    t.countsSuccesses = true;
                }
            }
        }
        double sum = 0;
        int s = 0, f = 0;
        for (Outcome die : dice) {
            if (!die.active()) continue;
            sum += die.contribution();
            if (die.success) s++;
            if (die.failure) f++;
        }
        if (margin) sum = marginFailure ? marginTarget - sum : sum - marginTarget;
        t.value = sum;
        t.successes = s;
        t.failures = f;
    }

    /** Foundry's count: a success (or failure) counts 1, anything else 0; a failure clears success and vice versa. */
    private static void countAs(Outcome die, boolean hit, boolean asSuccess) {
        if (asSuccess) {
            die.success = hit;
            die.successChecked = true;
            if (hit) die.failure = false;
        } else {
            die.failure = hit;
            if (hit) {
                die.success = false;
                die.successChecked = false;
            }
        }
        die.hasCount = true;
        die.count = hit ? 1 : 0;
    }

    private void reroll(TermResult t, FMod mod, boolean recursive) {
        Op op = mod.cmp() == null ? Op.EQ : mod.cmp().op();
        double target = mod.cmp() == null ? t.low : target(mod.cmp());
        int limit = mod.limit() == null ? -1 : count(mod.limit());
        if (recursive && limit < 0) {
            Points points = new Points(1);
            points.add(op, target);
            if (points.coversAll(t.low, t.high)) throw neverStops(mod.pos(), t);
        }
        ArrayList<Outcome> dice = t.dice;
        int initial = dice.size();
        for (int i = 0; i < (recursive ? dice.size() : initial); i++) {
            Outcome die = dice.get(i);
            if (!die.active()) continue;
            if (limit == 0) break;
            if (op.test(die.value, target)) {
                die.rerolled = true;
                dice.add(new Outcome(draw(t)));
                if (limit > 0) limit--;
            }
        }
    }

    private void explode(TermResult t, FMod mod, boolean recursive) {
        Op op = mod.cmp() == null ? Op.EQ : mod.cmp().op();
        double target = mod.cmp() == null ? t.high : target(mod.cmp());
        int limit = mod.limit() == null ? -1 : count(mod.limit());
        ArrayList<Outcome> dice = t.dice;
        int initial = dice.size();
        for (int i = 0; i < (recursive ? dice.size() : initial); i++) {
            Outcome die = dice.get(i);
            if (!die.active()) continue;
            if (limit == 0) break;
            if (op.test(die.value, target)) {
                if (die.chain >= DiceEngine.MAX_EXPLOSIONS_PER_DIE) throw tooManyExplosions(mod.pos());
                die.exploded = true;
                Outcome extra = new Outcome(draw(t));
                extra.chain = die.chain + 1;
                dice.add(extra);
                if (limit > 0) limit--;
            }
        }
    }

    // ---- keep and drop, for dice and for subtotals alike

    /**
     * Keeps or drops the highest or lowest active results. Among equal values the earlier result goes first (as
     * Foundry does), so the outcome never depends on sort stability.
     */
    static void keepOrDrop(List<Outcome> results, int n, boolean keep, boolean highest) {
        int active = 0;
        for (Outcome o : results) if (o.active()) active++;
        int discard = keep ? Math.max(0, active - n) : Math.min(n, active);
        if (discard == 0) return;
        boolean lowestFirst = keep == highest;
        int[] order = new int[active];
        int k = 0;
        for (int i = 0; i < results.size(); i++) if (results.get(i).active()) order[k++] = i;
        if (active <= 48) {
            for (int i = 1; i < active; i++) {
                int idx = order[i];
                double v = results.get(idx).value;
                int j = i - 1;
                while (j >= 0 && before(v, results.get(order[j]).value, lowestFirst)) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = idx;
            }
        } else {
            Integer[] boxed = new Integer[active];
            for (int i = 0; i < active; i++) boxed[i] = order[i];
            Arrays.sort(boxed, (a, b) -> {
                int byValue = Double.compare(results.get(a).value, results.get(b).value);
                return lowestFirst ? byValue : -byValue;
            });
            for (int i = 0; i < active; i++) order[i] = boxed[i];
        }
        for (int i = 0; i < discard; i++) results.get(order[i]).dropped = true;
    }

    private static boolean before(double v, double other, boolean lowestFirst) {
        return lowestFirst ? v < other : v > other;
    }

    // ---- groups (Roll20) and pools (Foundry)

    private double group(Group g) {
        GroupResult done = groups[g.slot()];
        if (done != null) return regroup(done);
        GroupResult r = new GroupResult(g, current);
        GroupResult outer = current;
        current = r;
        List<Node> elements = g.elements();
        for (int i = 0; i < elements.size(); i++) {
            r.termsFrom[i] = termOrder.size();
            r.subtotals[i] = new Outcome(eval(elements.get(i)));
            r.termsTo[i] = termOrder.size();
        }
        current = outer;
        if (g.mods() instanceof Roll20GroupMods m) roll20Group(r, m);
        else foundryPool(r, (FoundryMods) g.mods());
        groups[g.slot()] = r;
        groupOrder.add(r);
        return r.value;
    }

    private void roll20Group(GroupResult r, Roll20GroupMods m) {
        Node only = r.subtotals.length == 1 ? r.node.elements().get(0) : null;
        KeepDrop kd = m.keepDrop();
        if (kd != null && only != null) {
            // {4d6+3d8}k4: one element, so keep/drop acts on its dice, then the element is added up again
            r.acrossDice = true;
            List<Outcome> dice = new ArrayList<>();
            for (int i = r.termsFrom[0]; i < r.termsTo[0]; i++) dice.addAll(termOrder.get(i).dice);
            keepOrDrop(dice, count(kd.count()), kd.keep(), kd.highest());
            for (int i = r.termsFrom[0]; i < r.termsTo[0]; i++) termOrder.get(i).sumRoll20();
            r.subtotals[0].value = eval(only);
        }
        if (m.success() != null && only instanceof Dice dice) {
            // {5d6!!}>8: one dice term, so the success check acts on its dice
            TermResult t = terms[dice.slot()];
            t.successAt = m.success();
            t.successTarget = target(m.success());
            t.failureAt = m.failure();
            if (m.failure() != null) t.failureTarget = target(m.failure());
            t.sumRoll20();
            r.perDie = t;
            r.subtotals[0].value = t.value;
            r.countsSuccesses = true;
            r.countsFailures = m.failure() != null;
            r.successes = t.successes;
            r.failures = t.failures;
            r.value = t.value;
            return;
        }
        if (kd != null && !r.acrossDice)
            keepOrDrop(Arrays.asList(r.subtotals), count(kd.count()), kd.keep(), kd.highest());
        if (m.success() != null) {
            r.countsSuccesses = true;
            r.countsFailures = m.failure() != null;
            r.successTarget = target(m.success());
            if (m.failure() != null) r.failureTarget = target(m.failure());
        }
        sumRoll20Group(r, m);
    }

    private static void sumRoll20Group(GroupResult r, Roll20GroupMods m) {
        double sum = 0;
        int s = 0, f = 0;
        for (Outcome o : r.subtotals) {
            o.success = false;
            o.failure = false;
            if (!o.active()) continue;
            sum += o.value;
            if (m.success() == null) continue;
            if (m.success().op().test(o.value, r.successTarget)) {
                o.success = true;
                s++;
            } else if (m.failure() != null && m.failure().op().test(o.value, r.failureTarget)) {
                o.failure = true;
                f++;
            }
        }
        r.successes = s;
        r.failures = f;
        r.value = m.success() == null ? sum : s - f;
    }

    /** Adds a group up again after an enclosing group dropped some of its dice; its own choices stand. */
    private double regroup(GroupResult r) {
        List<Node> elements = r.node.elements();
        for (int i = 0; i < elements.size(); i++) r.subtotals[i].value = eval(elements.get(i));
        if (r.node.mods() instanceof Roll20GroupMods m) {
            if (r.perDie != null) {
                r.successes = r.perDie.successes;
                r.failures = r.perDie.failures;
                r.value = r.perDie.value;
            } else {
                sumRoll20Group(r, m);
            }
        } else {
            sumPool(r);
        }
        return r.value;
    }

    private void foundryPool(GroupResult r, FoundryMods mods) {
        List<Outcome> results = Arrays.asList(r.subtotals);
        for (FMod mod : mods.list()) {
            switch (mod.kind()) {
                case KEEP, DROP -> keepOrDrop(results, count(mod.number()), mod.kind() == FKind.KEEP, mod.highest());
                case COUNT_SUCCESS, COUNT_FAILURE -> {
                    boolean successes = mod.kind() == FKind.COUNT_SUCCESS;
                    double target = target(mod.cmp());
                    for (Outcome o : results)
                        if (o.active()) countAs(o, mod.cmp().op().test(o.value, target), successes);
                    if (successes) r.countsSuccesses = true;
                    else r.countsFailures = true;
                }
                default -> throw new IllegalStateException(mod.kind().name());
            }
        }
        sumPool(r);
    }

    private static void sumPool(GroupResult r) {
        double sum = 0;
        int s = 0, f = 0;
        for (Outcome o : r.subtotals) {
            if (!o.active()) continue;
            sum += o.contribution();
            if (o.success) s++;
            if (o.failure) f++;
        }
        r.value = sum;
        r.successes = s;
        r.failures = f;
    }
}
