package io.vertable.shared.dice;

import io.vertable.shared.wire.ErrorCode;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dice language of docs/dice.md, both dialects. An expression is parsed once into a tree (and the tree cached, so
 * a macro rolled again is not parsed again), then evaluated against a {@link DiceSource}. Pure code: no I/O, no
 * threads, safe to call from any thread.
 *
 * <h2>Both dialects</h2>
 * {@code NdX} (N ≥ 0), {@code dX}, {@code d%}, {@code NdF}; {@code + - * /} with parentheses, decimals, unary minus
 * (and plus); labels {@code [text]} after any term (on a dice term they appear in its JSON entry); variables {@code
 * @str}, {@code @{str}} (anything but braces inside), {@code @abilities.str.mod} — all three forms in both dialects, as
 * dice.md lists variables among the common syntax; a count or faces may be a variable ({@code @{level}d6},
 * {@code 1d@size}), and so may the number in a modifier ({@code k@n}, {@code >@dc}); keep/drop {@code k kh kl d dh
 * dl} (bare {@code k} keeps highest, bare {@code d} drops lowest, no number means 1; among equal dice the earlier one
 * is dropped first); groups/pools {@code {a, b}}; functions {@code floor ceil round abs} ({@code round} takes halves
 * up, like JavaScript). Whitespace may separate tokens but not split a dice term from its modifiers.
 *
 * <h2>Roll20</h2>
 * Compare points: {@code >N} at least, {@code <N} at most, {@code =N} or bare {@code N} exactly. {@code !} explodes
 * (on the highest face, or on a compare point; chains), {@code !!} compounds, {@code !p} penetrates (each extra die
 * −1, explosions judged on the face thrown); {@code r} rerolls recursively ({@code r} alone means {@code r1}; several
 * {@code r} points add up), {@code ro} once; a bare compare point ({@code 3d6>3}) counts successes and makes the term's
 * value successes − failures, {@code f…} counts failures and needs a success check; sort {@code s sa sd} orders the
 * dice shown. Whatever order they are typed in, rerolls and explosions apply while rolling (each new die, exploded
 * ones included, is rerolled first), then keep/drop, then successes/failures, then sort. Operators {@code %} (the
 * remainder, sign of the dividend) and {@code **} (right-associative, binding tighter than unary minus: {@code -2**2
 * = -4}). Groups: with one element, keep/drop acts on all the dice inside ({@code {4d6+3d8}k4}) and a success check
 * acts on its dice when the element is a single dice term ({@code {5d6!!}>8}) — otherwise on the element's total
 * ({@code {3d20+5}>21}); with several elements both act on the subtotals ({@code {4d6+2d8, 3d20+3}d1}).
 *
 * <h2>Foundry</h2>
 * Comparisons strict: {@code > < >= <= =}, a bare number means equal. Modifiers apply in the order written, each a pass
 * over the results so far, as Foundry does: all N dice are thrown first, then e.g. {@code x} appends its extra dice at
 * the end. {@code r} rerolls once (alone: the lowest face), {@code rr} recursively, a leading number limits how many
 * dice are rerolled ({@code r1=1}); {@code x} explodes recursively (alone: the highest face), {@code xo} once; {@code
 * minN maxN} clamp each die (the clamped value is what later modifiers see); {@code even odd} count; {@code cs}
 * (alone: the highest face) counts successes, {@code cf} (alone: the lowest) counts failures, {@code df} deducts 1 per
 * failure and {@code sf} subtracts failed dice's values (without a target both treat dice a {@code cs} did not count
 * as failures), {@code ms>N} (or {@code =N}) is total − N and {@code ms<N} N − total; a count in parentheses
 * {@code (2d4)d8} and faces in parentheses {@code 1d(1d20)}; coins {@code dc} (heads 1, tails 0) with {@code c1}
 * counting heads, {@code c0} tails ({@code c} alone: heads); functions also {@code min(a, b, …) max sqrt sign trunc}.
 * Pools {@code {…}} act on subtotals: {@code k kh kl d dh dl}, {@code cs}/{@code cf} with a target.
 *
 * <h2>One dialect only</h2>
 * What belongs to one dialect is DICE_SYNTAX in the other, at the position of the character that starts it: Roll20's
 * {@code ! !! !p}, bare compare points, {@code f}, {@code s}, {@code %}, {@code **} and {@code {…}>N}; Foundry's
 * {@code x xo rr min max even odd cs cf df sf ms}, {@code >=}/{@code <=}, {@code dc}, {@code (…)d…}, {@code d(…)} and
 * the extra functions. Roll20's display-only {@code cs}/{@code cf} (critical highlighting) are not supported: dice.md
 * lists {@code cs} as Foundry's success count.
 *
 * <h2>Bad input</h2>
 * Every refusal is a {@link DiceException} with a catalog code and a position inside the expression: DICE_SYNTAX for
 * what cannot be read (an empty expression at 0); DICE_INVALID for what cannot be rolled ({@code 1d0}, {@code 0d0}, a
 * fractional or negative count, {@code sqrt} of a negative, a recursive reroll that matches every face such as
 * {@code 1d20r<20}, found before any die is thrown); DICE_LIMIT for an expression over {@link #MAX_EXPRESSION_LENGTH}
 * characters (at position 500), more than {@link #MAX_DICE} dice thrown in one roll (explosions and rerolls count),
 * more than {@link #MAX_EXPLOSIONS_PER_DIE} explosions from one die ({@code 1d1!}), dice of more than 1,000,000 faces,
 * nesting deeper than 32 levels, results too large to represent; DICE_DIVISION_BY_ZERO for {@code /0}, {@code %0} and
 * {@code 0**-1} (at the operator); DICE_UNKNOWN_VARIABLE for a variable the sheet lacks (at the {@code @}). {@code 0d6}
 * is legal and totals 0.
 */
public final class DiceEngine {

    public static final int MAX_EXPRESSION_LENGTH = 500;
    public static final int MAX_DICE = 1000;
    public static final int MAX_EXPLOSIONS_PER_DIE = 100;

    /** Parsed expressions per dialect; cleared when full, which a room's macros never fill. */
    private static final int CACHE_LIMIT = 2048;

    @SuppressWarnings("unchecked")
    private static final ConcurrentHashMap<String, Parser.Parsed>[] CACHE =
            new ConcurrentHashMap[] {new ConcurrentHashMap<>(), new ConcurrentHashMap<>()};

    private DiceEngine() {}

    /**
     * Rolls an expression. Variables may be null (none); the source is asked for one number per die thrown.
     *
     * @throws DiceException for bad input, with its code and position
     */
    public static Roll roll(String expression, Dialect dialect, Variables variables, DiceSource source) {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(source, "source");
        String text = expression == null ? "" : expression;
        Parser.Parsed parsed = parse(text, dialect);
        Evaluator evaluator = new Evaluator(parsed, text, variables == null ? Variables.NONE : variables, source);
        double total = evaluator.run(parsed.root());
        return new Roll(text, dialect, total, parsed.root(), evaluator);
    }

    static Parser.Parsed parse(String expression, Dialect dialect) {
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            throw new DiceException(
                    ErrorCode.DICE_LIMIT,
                    MAX_EXPRESSION_LENGTH,
                    "The expression is longer than " + MAX_EXPRESSION_LENGTH + " characters (position "
                            + MAX_EXPRESSION_LENGTH + ")");
        }
        ConcurrentHashMap<String, Parser.Parsed> cache = CACHE[dialect.ordinal()];
        Parser.Parsed parsed = cache.get(expression);
        if (parsed == null) {
            parsed = Parser.parse(expression, dialect);
            if (cache.size() >= CACHE_LIMIT) cache.clear();
            cache.put(expression, parsed);
        }
        return parsed;
    }
}
