package io.vertable.shared.dice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a third party writes from docs/dice-verification.md, to check a room's verifiable rolls once the server seed is
 * revealed: nothing from the engine or {@link VerifiableDice}, only {@code javax.crypto.Mac} (and
 * {@code MessageDigest} for the commitment) plus the roll's published JSON.
 */
public final class IndependentVerifier {

    private static final Pattern PLAIN_TERM = Pattern.compile("(\\d*)[dD](\\d+)");
    private static final Pattern SIMPLE =
            Pattern.compile("\\s*[+-]?\\s*(\\d*[dD]\\d+|\\d+)(\\s*[+-]\\s*(\\d*[dD]\\d+|\\d+))*\\s*");
    private static final Pattern SIMPLE_PART = Pattern.compile("([+-]?)\\s*(?:(\\d*)[dD](\\d+)|(\\d+))");

    private final byte[] seed;
    private final String clientSeed;

    public IndependentVerifier(String revealedSeedHex, String clientSeed) {
        this.seed = new byte[revealedSeedHex.length() / 2];
        for (int i = 0; i < seed.length; i++)
            seed[i] = (byte) Integer.parseInt(revealedSeedHex.substring(2 * i, 2 * i + 2), 16);
        this.clientSeed = clientSeed;
    }

    /** Whether the revealed seed is the one the server committed to before play. */
    public boolean matchesCommitment(String commitmentHex) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed);
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) hex.append(String.format("%02x", b & 0xff));
        return hex.toString().equals(commitmentHex);
    }

    /** The faces a roll with this nonce must have shown for dice of these sizes, drawn in this order. */
    int[] recompute(long nonce, int[] faces) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(seed, "HmacSHA256"));
        int[] out = new int[faces.length];
        long wordIndex = 0;
        byte[] block = null;
        for (int i = 0; i < faces.length; i++) {
            long limit = (1L << 32) - ((1L << 32) % faces[i]);
            while (true) {
                if (wordIndex % 8 == 0) {
                    String message = clientSeed + ":" + nonce + ":" + (wordIndex / 8);
                    block = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
                }
                int at = (int) (wordIndex % 8) * 4;
                wordIndex++;
                long word = ((block[at] & 0xffL) << 24)
                        | ((block[at + 1] & 0xffL) << 16)
                        | ((block[at + 2] & 0xffL) << 8)
                        | (block[at + 3] & 0xffL);
                if (word < limit) {
                    out[i] = (int) (word % faces[i]) + 1;
                    break;
                }
            }
        }
        return out;
    }

    /** What is wrong with a published roll (empty when it checks out). */
    public List<String> problems(long nonce, JsonObject roll) throws Exception {
        List<String> problems = new ArrayList<>();
        JsonArray draws = roll.getJsonArray("draws");
        int[] faces = new int[draws.size()];
        int[] shown = new int[draws.size()];
        for (int i = 0; i < faces.length; i++) {
            faces[i] = draws.getJsonArray(i).getInteger(0);
            shown[i] = draws.getJsonArray(i).getInteger(1);
        }
        int[] expected = recompute(nonce, faces);
        for (int i = 0; i < faces.length; i++) {
            if (expected[i] != shown[i])
                problems.add("draw " + i + " shows " + shown[i] + " but the seed gives " + expected[i]);
        }
        // plain NdX terms show their draws, in order, as their dice
        JsonArray dice = roll.getJsonArray("dice");
        boolean allPlain = true;
        for (Object d : dice)
            allPlain &=
                    PLAIN_TERM.matcher(((JsonObject) d).getString("notation")).matches();
        if (allPlain) {
            int next = 0;
            for (Object d : dice) {
                JsonObject term = (JsonObject) d;
                for (Object r : term.getJsonArray("rolls")) {
                    int value = ((JsonObject) r).getInteger("value");
                    if (next >= expected.length) problems.add("more dice shown than drawn");
                    else if (term.getInteger("faces") != faces[next] || value != expected[next])
                        problems.add("die " + next + " shows " + value + " but the seed gives " + expected[next]);
                    next++;
                }
            }
            if (next != expected.length) problems.add("dice shown " + next + ", drawn " + expected.length);
        }
        // totals of NdX ± K ± … are recomputed here
        String expression = roll.getString("expression");
        if (SIMPLE.matcher(expression).matches()) {
            long total = 0;
            int next = 0;
            Matcher part = SIMPLE_PART.matcher(expression);
            while (part.find()) {
                long sign = "-".equals(part.group(1)) ? -1 : 1;
                if (part.group(4) != null) {
                    total += sign * Long.parseLong(part.group(4));
                    continue;
                }
                int count = part.group(2).isEmpty() ? 1 : Integer.parseInt(part.group(2));
                for (int i = 0; i < count && next < expected.length; i++) total += sign * expected[next++];
            }
            if (roll.getDouble("total") != total)
                problems.add("total shows " + roll.getValue("total") + " but the dice give " + total);
        }
        return problems;
    }
}
