package io.vertable.shared.dice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

/**
 * The result of one roll, immutable: the total, every number drawn, and every die with what happened to it.
 *
 * <p>{@link #toJson()}: {@code {"expression", "dialect", "total", "dice": [{"notation", "faces", "rolls": [{"value",
 * "dropped"?, "rerolled"?, "exploded"?, "success"?, "failure"?}], "value", "label"?}], "text", "successes"?,
 * "failures"?, "draws": [[faces, value], …]}}. Flags appear only when true. {@code total} (and each term's
 * {@code value}) is a JSON integer when whole, else a number rounded to 4 decimal places. {@code dice} lists the dice
 * terms in the order they were rolled; {@code faces} is what was passed to the source (100 for {@code d%}, 3 for Fate,
 * 2 for a coin) and each roll's {@code value} is on the die's own scale (Fate −1..1, coin 0 tails / 1 heads; a
 * compounding die shows its sum, a penetrating extra die its value minus 1, a clamped die its clamped value).
 *
 * <p>{@code text}, the plain-text breakdown for a chat card, rewrites the expression term by term:
 *
 * <ul>
 *   <li>a dice term is its notation followed by its dice in parentheses, in order, joined by {@code +}: {@code 4d6k3
 *       (2+5+1d+6)}. A die's value is followed by marks: {@code !} exploded, {@code r} rerolled (not counted),
 *       {@code d} dropped (not counted), {@code *} success, {@code f} failure. Fate dice show as {@code +}, {@code 0},
 *       {@code -} separated by spaces: {@code 4dF (+ 0 - +)};
 *   <li>numbers and operators as written, one space around each binary operator; parentheses and functions kept;
 *   <li>a variable shows its value: {@code @str (3)}; a count or faces given by a variable or a nested roll shows
 *       what it came to: {@code (2d4 (1+3))d8 (…)};
 *   <li>a group or pool is written with its elements, and when its modifiers act on subtotals the subtotals follow in
 *       parentheses with the same marks: {@code {4d6 (…), 3d20 (…) + 3}d1 (14d+41)};
 *   <li>a label follows its term: {@code 1d20 (14) + 5 [STR]};
 *   <li>then {@code = total}, and when successes or failures were counted, {@code (2 successes, 1 failure)}.
 * </ul>
 *
 * Example: {@code 4d6k3 (2+5+1d+6) + 2 = 15}; {@code 3d6>3 (3*+2+6*) = 2 (2 successes)}.
 */
public final class Roll {

    private final String expression;
    private final Dialect dialect;
    private final double total;
    private final OptionalInt successes;
    private final OptionalInt failures;
    private final int[] drawFaces;
    private final int[] drawValues;
    private final List<TermResult> terms;
    private final Node root;
    private final TermResult[] termSlots;
    private final GroupResult[] groupSlots;
    private final double[] varValues;
    private volatile String text;
    private volatile List<Draw> draws;

    Roll(String expression, Dialect dialect, double total, Node root, Evaluator done) {
        this.expression = expression;
        this.dialect = dialect;
        this.total = total + 0.0; // no negative zero
        this.successes = done.countsSuccesses ? OptionalInt.of(done.successes) : OptionalInt.empty();
        this.failures = done.countsFailures ? OptionalInt.of(done.failures) : OptionalInt.empty();
        this.drawFaces = java.util.Arrays.copyOf(done.drawFaces, done.drawCount);
        this.drawValues = java.util.Arrays.copyOf(done.drawValues, done.drawCount);
        this.terms = done.termOrder;
        this.root = root;
        this.termSlots = done.terms;
        this.groupSlots = done.groups;
        this.varValues = done.varValues;
    }

    public String expression() {
        return expression;
    }

    public Dialect dialect() {
        return dialect;
    }

    public double total() {
        return total;
    }

    /** Successes counted by the roll ({@code 3d6>3}, {@code cs}, {@code even}, a group's success check, …). */
    public OptionalInt successes() {
        return successes;
    }

    /** Failures counted by the roll (Roll20 {@code f<N}; Foundry {@code cf}, {@code df}, {@code sf}). */
    public OptionalInt failures() {
        return failures;
    }

    /** Every number taken from the {@link DiceSource}, in the order drawn. */
    public List<Draw> draws() {
        List<Draw> list = draws;
        if (list == null) {
            List<Draw> built = new ArrayList<>(drawFaces.length);
            for (int i = 0; i < drawFaces.length; i++) built.add(new Draw(drawFaces[i], drawValues[i]));
            draws = list = Collections.unmodifiableList(built);
        }
        return list;
    }

    /** The plain-text breakdown (see the class comment). */
    public String text() {
        String t = text;
        if (t == null) text = t = TextRenderer.render(this, root, termSlots, groupSlots, varValues);
        return t;
    }

    /** A new JSON object of the shape in the class comment. */
    public JsonObject toJson() {
        JsonArray dice = new JsonArray(new ArrayList<>(terms.size()));
        for (TermResult t : terms) {
            JsonArray rolls = new JsonArray(new ArrayList<>(t.dice.size()));
            for (Outcome die : t.dice) {
                JsonObject roll = new JsonObject().put("value", (int) die.value);
                if (die.dropped) roll.put("dropped", true);
                if (die.rerolled) roll.put("rerolled", true);
                if (die.exploded) roll.put("exploded", true);
                if (die.success) roll.put("success", true);
                if (die.failure) roll.put("failure", true);
                rolls.add(roll);
            }
            JsonObject entry = new JsonObject()
                    .put("notation", expression.substring(t.node.start(), t.node.end()))
                    .put("faces", t.faces)
                    .put("rolls", rolls)
                    .put("value", Numbers.json(t.value));
            if (t.node.label() != null) entry.put("label", t.node.label());
            dice.add(entry);
        }
        JsonObject json = new JsonObject()
                .put("expression", expression)
                .put("dialect", dialect.wireName())
                .put("total", Numbers.json(total))
                .put("dice", dice)
                .put("text", text());
        if (successes.isPresent()) json.put("successes", successes.getAsInt());
        if (failures.isPresent()) json.put("failures", failures.getAsInt());
        JsonArray drawn = new JsonArray(new ArrayList<>(drawFaces.length));
        for (int i = 0; i < drawFaces.length; i++)
            drawn.add(new JsonArray().add(drawFaces[i]).add(drawValues[i]));
        return json.put("draws", drawn);
    }

    @Override
    public String toString() {
        return text();
    }
}
