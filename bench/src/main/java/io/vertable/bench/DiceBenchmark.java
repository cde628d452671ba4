package io.vertable.bench;

import io.vertable.shared.dice.Dialect;
import io.vertable.shared.dice.DiceEngine;
import io.vertable.shared.dice.DiceSource;
import io.vertable.shared.dice.Variables;
import io.vertable.shared.dice.VerifiableDice;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rolls per second of the dice engine over the expressions players type most (parse, roll, breakdown), with three
 * sources: a fast PRNG (the engine's own cost), SecureRandom (stateless REST rolls) and the verifiable HMAC source
 * (every room roll). Run: {@code java -jar bench/target/vertable-bench.jar DiceBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DiceBenchmark {

    /** A table's typical mix: attacks, damage, ability scores, advantage, exploding pools, groups, sheet variables. */
    static final String[] ROLL20 = {
        "1d20+5",
        "2d6+3",
        "4d6k3",
        "2d20kh1+7",
        "1d20+@str",
        "8d6!",
        "3d6>3",
        "{4d6+3d8}k4",
        "10d10r<2k5",
        "1d8+1d6[fire]"
    };

    static final String[] FOUNDRY = {
        "1d20+5",
        "2d6+3",
        "4d6kh3",
        "2d20kh+7",
        "1d20+@abilities.str.mod",
        "8d6x",
        "3d6cs>3",
        "{4d6kh3, 4d6kh3}kh",
        "10d10rr1",
        "6d6min2"
    };

    @Param({"prng", "secure", "verifiable"})
    public String source;

    private final JsonObject sheet = new JsonObject()
            .put("str", 3)
            .put("abilities", new JsonObject().put("str", new JsonObject().put("mod", 3)));
    private Variables variables;
    private DiceSource dice;
    private byte[] seed;
    private long nonce;
    private int next;

    @Setup
    public void setUp() {
        variables = Variables.of(sheet);
        seed = VerifiableDice.newSeed();
        SplittableRandom random = new SplittableRandom(42);
        dice = switch (source) {
            case "prng" -> faces -> random.nextInt(faces) + 1;
            case "secure" -> DiceSource.secure();
            default -> null; // a fresh verifiable source per roll, as the room owner makes one
        };
    }

    @Benchmark
    public Object roll20() {
        return roll(ROLL20[next++ % ROLL20.length], Dialect.ROLL20);
    }

    @Benchmark
    public Object foundry() {
        return roll(FOUNDRY[next++ % FOUNDRY.length], Dialect.FOUNDRY);
    }

    /** Each roll as a room would answer it: evaluated and turned into its JSON breakdown. */
    private Object roll(String expression, Dialect dialect) {
        DiceSource source = dice != null ? dice : new VerifiableDice(seed, "bench", nonce++);
        return DiceEngine.roll(expression, dialect, variables, source).toJson();
    }
}
