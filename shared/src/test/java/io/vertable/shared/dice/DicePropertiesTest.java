package io.vertable.shared.dice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Properties over random input with fixed seeds (a failure reproduces): random valid expressions of each dialect only
 * ever roll or refuse with a DiceException; sums of plain dice stay within their bounds and add up to their draws;
 * random garbage and near-miss mutations of valid expressions are refused with a position inside the string.
 */
class DicePropertiesTest {

    static final Variables SHEET = Variables.of(new JsonObject().put("str", 3).put("lvl", "4"));

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void randomValidExpressionsRollOrRefuseCleanly(Dialect dialect) {
        Random random = new Random(dialect.ordinal() * 1000L + 11);
        int rolled = 0;
        for (int i = 0; i < 3000; i++) {
            String expression = new Generator(random, dialect).expression(0);
            Roll roll = rollOrRefuse(expression, dialect, random);
            if (roll == null) continue;
            rolled++;
            assertThat(Double.isFinite(roll.total())).as(expression).isTrue();
            assertThat(roll.draws().size()).as(expression).isLessThanOrEqualTo(DiceEngine.MAX_DICE);
            JsonObject json = new JsonObject(roll.toJson().encode());
            assertThat(json.getString("text")).as(expression).isNotBlank();
            assertThat(json.getJsonArray("draws")).hasSize(roll.draws().size());
            if (roll.successes().isPresent())
                assertThat(json.getInteger("successes")).isNotNegative();
        }
        assertThat(rolled).as("most generated expressions roll").isGreaterThan(2000);
    }

    /** The roll, or null if refused with a DiceException; anything else thrown fails the test. */
    static Roll rollOrRefuse(String expression, Dialect dialect, Random random) {
        try {
            return DiceEngine.roll(expression, dialect, SHEET, faces -> random.nextInt(faces) + 1);
        } catch (DiceException e) {
            assertThat(e.position())
                    .as(expression + ": " + e.getMessage())
                    .isBetween(0, Math.max(0, expression.length() - 1));
            assertThat(e.getMessage()).contains("position " + e.position());
            return null;
        } catch (Throwable t) {
            throw new AssertionError("\"" + expression + "\" (" + dialect + ") threw " + t, t);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void plainSumsStayWithinTheirBoundsAndAddUpTheirDraws(Dialect dialect) {
        Random random = new Random(42 + dialect.ordinal());
        int[] sizes = {2, 3, 4, 6, 8, 10, 12, 20, 100};
        for (int i = 0; i < 2000; i++) {
            StringBuilder expression = new StringBuilder();
            double min = 0, max = 0;
            int dice = 0;
            int terms = 1 + random.nextInt(4);
            for (int t = 0; t < terms; t++) {
                boolean minus = random.nextInt(3) == 0;
                if (t > 0 || minus) expression.append(minus ? " - " : " + ");
                if (random.nextInt(3) == 0) {
                    int k = random.nextInt(20);
                    expression.append(k);
                    min += minus ? -k : k;
                    max += minus ? -k : k;
                } else {
                    int n = random.nextInt(6);
                    int faces = sizes[random.nextInt(sizes.length)];
                    expression.append(n).append('d').append(faces);
                    dice += n;
                    min += minus ? -n * faces : n;
                    max += minus ? -n : n * faces;
                }
            }
            Roll roll = DiceEngine.roll(expression.toString(), dialect, null, faces -> random.nextInt(faces) + 1);
            assertThat(roll.total()).as(expression.toString()).isBetween(min, max);
            assertThat(roll.draws()).hasSize(dice);
            assertThat(roll.successes()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void garbageIsRefusedWithAPositionInsideTheString(Dialect dialect) {
        Random random = new Random(99 + dialect.ordinal());
        String alphabet = "0123456789dDfFcCkKhHlLrRoOxXpPsSmMinaev!<>=+-*/%(){}[],.@ _";
        for (int i = 0; i < 20_000; i++) {
            int length = random.nextInt(24);
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < length; j++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            rollOrRefuse(s.toString(), dialect, random);
        }
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < random.nextInt(40); j++) s.append((char) random.nextInt(0x250));
            rollOrRefuse(s.toString(), dialect, random);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void nearMissesOfValidExpressionsAreRefusedCleanly(Dialect dialect) {
        Random random = new Random(7 + dialect.ordinal());
        String alphabet = "0123456789dkhlrxo!<>=+-*/%(){}[],.@cfsmF";
        for (int i = 0; i < 5000; i++) {
            StringBuilder s = new StringBuilder(new Generator(random, dialect).expression(0));
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits && s.length() > 0; e++) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            rollOrRefuse(s.toString(), dialect, random);
        }
    }

    /** Random expressions from each dialect's grammar, kept small. */
    static final class Generator {
        private final Random random;
        private final Dialect dialect;

        Generator(Random random, Dialect dialect) {
            this.random = random;
            this.dialect = dialect;
        }

        String expression(int depth) {
            int choice = depth > 3 ? random.nextInt(2) : random.nextInt(9);
            return switch (choice) {
                case 0, 1 -> term();
                case 2, 3, 4 -> expression(depth + 1) + operator() + expression(depth + 1);
                case 5 -> "(" + expression(depth + 1) + ")";
                case 6 -> function() + "(" + expression(depth + 1) + ")";
                case 7 -> "-" + expression(depth + 1);
                default -> group(depth);
            };
        }

        private String operator() {
            String[] ops = dialect == Dialect.ROLL20
                    ? new String[] {" + ", "-", " * ", "/", " % ", "**"}
                    : new String[] {" + ", "-", " * ", "/"};
            return ops[random.nextInt(ops.length)];
        }

        private String function() {
            String[] fns = dialect == Dialect.ROLL20
                    ? new String[] {"floor", "ceil", "round", "abs"}
                    : new String[] {"floor", "ceil", "round", "abs", "sqrt", "sign", "trunc"};
            return fns[random.nextInt(fns.length)];
        }

        private String term() {
            return switch (random.nextInt(8)) {
                case 0 -> Integer.toString(random.nextInt(30));
                case 1 -> random.nextInt(10) + "." + random.nextInt(100);
                case 2 -> random.nextBoolean() ? "@str" : "@{lvl}";
                case 3 -> dice() + "[label]";
                default -> dice();
            };
        }

        private String group(int depth) {
            StringBuilder g = new StringBuilder("{").append(expression(depth + 1));
            int more = random.nextInt(3);
            for (int i = 0; i < more; i++) g.append(", ").append(expression(depth + 1));
            g.append('}');
            if (random.nextBoolean()) g.append(pick("k", "kh1", "kl1", "d1", "dh1", "dl1"));
            if (random.nextInt(3) == 0)
                g.append(dialect == Dialect.ROLL20 ? pick(">10", "<5", ">3f<1") : pick("cs>=10", "cf<3"));
            return g.toString();
        }

        private String pick(String... options) {
            return options[random.nextInt(options.length)];
        }

        private String dice() {
            String count = random.nextInt(5) == 0 ? "" : Integer.toString(random.nextInt(7));
            String faces = pick("2", "4", "6", "8", "10", "12", "20", "100", "%", "F");
            StringBuilder d = new StringBuilder(count).append('d').append(faces);
            if (dialect == Dialect.FOUNDRY && random.nextInt(10) == 0) {
                return count + "dc" + (random.nextBoolean() ? "c" + random.nextInt(2) : "");
            }
            if (dialect == Dialect.FOUNDRY && random.nextInt(15) == 0) return "(1d4)d" + faces;
            int mods = random.nextInt(3);
            for (int i = 0; i < mods; i++) {
                if (dialect == Dialect.ROLL20) {
                    d.append(pick(
                            "!", "!>5", "!!", "!p", "r1", "ro<2", "k2", "kh1", "kl1", "d1", "dh1", ">4", ">4f1", "sd",
                            "s"));
                } else {
                    d.append(pick(
                            "r", "r1=1", "rr1", "x", "xo", "x>=6", "kh", "kl2", "dl", "dh1", "min2", "max3", "even",
                            "odd", "cs>3", "cf", "cs>=5df", "sf<2", "ms>10"));
                }
            }
            return d.toString();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theSameScriptGivesTheSameRoll(Dialect dialect) {
        Random random = new Random(5);
        for (int i = 0; i < 300; i++) {
            String expression = new Generator(random, dialect).expression(0);
            long seed = random.nextLong();
            Roll a = rollOrRefuse(expression, dialect, new Random(seed));
            Roll b = rollOrRefuse(expression, dialect, new Random(seed));
            if (a == null || b == null) {
                if (a != b) fail(expression + " rolled once and was refused once");
                continue;
            }
            assertThat(a.toJson()).isEqualTo(b.toJson());
        }
    }
}
