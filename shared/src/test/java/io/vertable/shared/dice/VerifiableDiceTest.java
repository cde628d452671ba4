package io.vertable.shared.dice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verifiable rolls: the derivation, pinned by a known vector, and re-checked by {@link IndependentVerifier}. */
class VerifiableDiceTest {

    static final byte[] SEED = VerifiableDice.unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void knownVectorOfTheDocumentation() {
        assertThat(VerifiableDice.commitment(SEED))
                .isEqualTo("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
        Roll roll = DiceEngine.roll("1d20+4d6+2", Dialect.ROLL20, null, new VerifiableDice(SEED, "alice", 1));
        assertThat(roll.draws())
                .containsExactly(new Draw(20, 17), new Draw(6, 2), new Draw(6, 6), new Draw(6, 4), new Draw(6, 1));
        assertThat(roll.total()).isEqualTo(32);
        assertThat(roll.text()).isEqualTo("1d20 (17) + 4d6 (2+6+4+1) + 2 = 32");
    }

    @Test
    void rejectedWordsAreSkipped() {
        // for 1,500,000,000 faces the limit is 3,000,000,000; the second word of ("alice", 3) is 3,163,933,104
        VerifiableDice dice = new VerifiableDice(SEED, "alice", 3);
        assertThat(dice.roll(1_500_000_000)).isEqualTo(475_014_221);
        assertThat(dice.roll(1_500_000_000)).isEqualTo(1_191_984_235);
        assertThat(dice.wordsUsed()).isEqualTo(3);
    }

    @Test
    void sameInputsSameNumbersAndAnyChangeChangesThem() {
        int[] a = draw(new VerifiableDice(SEED, "alice", 7), 20);
        assertThat(draw(new VerifiableDice(SEED, "alice", 7), 20)).containsExactly(a);
        assertThat(draw(new VerifiableDice(SEED, "alice", 8), 20)).isNotEqualTo(a);
        assertThat(draw(new VerifiableDice(SEED, "bob", 7), 20)).isNotEqualTo(a);
        assertThat(draw(new VerifiableDice(VerifiableDice.newSeed(), "alice", 7), 20))
                .isNotEqualTo(a);
    }

    private static int[] draw(DiceSource source, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = source.roll(20);
        return out;
    }

    @Test
    void seedsAndHex() {
        byte[] seed = VerifiableDice.newSeed();
        assertThat(seed).hasSize(32).isNotEqualTo(VerifiableDice.newSeed());
        assertThat(VerifiableDice.unhex(VerifiableDice.hex(seed))).isEqualTo(seed);
        assertThat(VerifiableDice.hex(new byte[] {0, 15, -1})).isEqualTo("000fff");
        assertThat(VerifiableDice.unhex("00FFab")).containsExactly(0, -1, -85);
        assertThat(VerifiableDice.commitment(new byte[32]))
                .isEqualTo("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
        assertThatThrownBy(() -> VerifiableDice.unhex("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerifiableDice.unhex("zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerifiableDice(new byte[0], "x", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A session: commit, roll with nonces 1..n, reveal; the independent verifier checks every roll. */
    record Published(long nonce, JsonObject json) {}

    static List<Published> session(byte[] seed, String clientSeed) {
        String[] expressions = {
            "1d20+5", "2d6+3", "4d6k3", "3d6!", "1d20+1d4-1", "12d6", "d%", "4dF", "2d20kh1+7", "1d8+1d6+3", "1000d6"
        };
        List<Published> published = new ArrayList<>();
        long nonce = 1;
        for (String expression : expressions) {
            Dialect dialect = expression.contains("kh") ? Dialect.FOUNDRY : Dialect.ROLL20;
            Roll roll = DiceEngine.roll(expression, dialect, null, new VerifiableDice(seed, clientSeed, nonce));
            published.add(new Published(nonce++, roll.toJson()));
        }
        return published;
    }

    @Test
    void theIndependentVerifierRecomputesASession() throws Exception {
        byte[] seed = VerifiableDice.newSeed();
        String commitment = VerifiableDice.commitment(seed);
        List<Published> rolls = session(seed, "my lucky socks");
        IndependentVerifier verifier = new IndependentVerifier(VerifiableDice.hex(seed), "my lucky socks");
        assertThat(verifier.matchesCommitment(commitment)).isTrue();
        for (Published p : rolls)
            assertThat(verifier.problems(p.nonce(), p.json()))
                    .as(p.json().encode())
                    .isEmpty();
        // it really recomputed: plain rolls' totals and dice were checked
        assertThat(verifier.problems(1, rolls.get(0).json())).isEmpty();
        assertThat(new IndependentVerifier(VerifiableDice.hex(VerifiableDice.newSeed()), "x")
                        .matchesCommitment(commitment))
                .isFalse();
    }

    @Test
    void theVerifierCatchesATamperedDraw() throws Exception {
        byte[] seed = VerifiableDice.newSeed();
        List<Published> rolls = session(seed, "c");
        IndependentVerifier verifier = new IndependentVerifier(VerifiableDice.hex(seed), "c");
        Published honest = rolls.get(1); // 2d6+3
        JsonObject forged = honest.json().copy();
        JsonArray draw = forged.getJsonArray("draws").getJsonArray(1);
        int value = draw.getInteger(1);
        draw.set(1, value == 6 ? 5 : value + 1);
        assertThat(verifier.problems(honest.nonce(), honest.json())).isEmpty();
        assertThat(verifier.problems(honest.nonce(), forged)).anyMatch(p -> p.startsWith("draw 1 "));
    }

    @Test
    void theVerifierCatchesATamperedDieTotalOrNonce() throws Exception {
        byte[] seed = VerifiableDice.newSeed();
        IndependentVerifier verifier = new IndependentVerifier(VerifiableDice.hex(seed), "c");
        Published honest = session(seed, "c").get(0); // 1d20+5
        JsonObject die = honest.json().copy();
        JsonObject shown =
                die.getJsonArray("dice").getJsonObject(0).getJsonArray("rolls").getJsonObject(0);
        shown.put("value", shown.getInteger("value") % 20 + 1);
        assertThat(verifier.problems(honest.nonce(), die)).isNotEmpty();
        JsonObject total = honest.json().copy().put("total", honest.json().getLong("total") + 1);
        assertThat(verifier.problems(honest.nonce(), total)).anyMatch(p -> p.startsWith("total"));
        // another roll's nonce: twelve dice cannot all come out the same by chance (one d20 would, one time in 20)
        Published dozen = session(seed, "c").get(5);
        assertThat(dozen.json().getString("expression")).isEqualTo("12d6");
        assertThat(verifier.problems(dozen.nonce(), dozen.json())).isEmpty();
        assertThat(verifier.problems(dozen.nonce() + 1, dozen.json())).isNotEmpty();
    }

    @Test
    void theVerifierAgreesOnRejectionSampling() throws Exception {
        IndependentVerifier verifier = new IndependentVerifier(VerifiableDice.hex(SEED), "alice");
        VerifiableDice dice = new VerifiableDice(SEED, "alice", 3);
        int[] faces = {1_500_000_000, 1_500_000_000, 7, 1_000_000};
        int[] ours = new int[faces.length];
        for (int i = 0; i < faces.length; i++) ours[i] = dice.roll(faces[i]);
        assertThat(verifier.recompute(3, faces)).containsExactly(ours);
    }
}
