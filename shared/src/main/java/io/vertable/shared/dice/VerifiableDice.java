package io.vertable.shared.dice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link DiceSource} anyone can check afterwards (docs/dice-verification.md). The server commits to a secret seed by
 * publishing {@link #commitment(byte[])}; each roll gets its own instance for (seed, client seed, nonce). The k-th
 * 32-bit word a roll needs is word {@code k mod 8} (big-endian) of block {@code k / 8}, where block b is
 * HMAC-SHA256(key = seed, message = UTF-8 of {@code clientSeed + ":" + nonce + ":" + b}). A die with {@code faces}
 * faces takes words until one is below {@code 2^32 − (2^32 mod faces)} and shows {@code word mod faces + 1}: rejection
 * sampling, so every face is exactly equally likely. Not thread-safe: one instance serves one roll.
 */
public final class VerifiableDice implements DiceSource {

    private static final long TWO_32 = 1L << 32;
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Mac mac;
    private final String prefix;
    private byte[] block = new byte[0];
    private long blockIndex = -1;
    private long words;

    public VerifiableDice(byte[] serverSeed, String clientSeed, long nonce) {
        Objects.requireNonNull(serverSeed, "serverSeed");
        Objects.requireNonNull(clientSeed, "clientSeed");
        if (serverSeed.length == 0) throw new IllegalArgumentException("the server seed is empty");
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(serverSeed, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
        prefix = clientSeed + ":" + nonce + ":";
    }

    @Override
    public int roll(int faces) {
        if (faces < 1) throw new IllegalArgumentException("faces must be at least 1: " + faces);
        long limit = TWO_32 - TWO_32 % faces;
        while (true) {
            long word = nextWord();
            if (word < limit) return (int) (word % faces) + 1;
        }
    }

    /** How many 32-bit words this roll has used so far (rejected ones included). */
    public long wordsUsed() {
        return words;
    }

    private long nextWord() {
        long index = words / 8;
        if (index != blockIndex) {
            block = mac.doFinal((prefix + index).getBytes(StandardCharsets.UTF_8));
            blockIndex = index;
        }
        int at = (int) (words % 8) * 4;
        words++;
        return ((block[at] & 0xffL) << 24)
                | ((block[at + 1] & 0xffL) << 16)
                | ((block[at + 2] & 0xffL) << 8)
                | (block[at + 3] & 0xffL);
    }

    /** A fresh 32-byte server seed from {@link SecureRandom}. */
    public static byte[] newSeed() {
        byte[] seed = new byte[32];
        SEEDS.nextBytes(seed);
        return seed;
    }

    /** What the server publishes before play: lowercase hex of SHA-256 of the seed's bytes. */
    public static String commitment(byte[] seed) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** The bytes of a hex string (either case); IllegalArgumentException if it is not hex of whole bytes. */
    public static byte[] unhex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() % 2 != 0) throw new IllegalArgumentException("hex needs an even number of digits");
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0)
                throw new IllegalArgumentException("not a hex digit at " + (hi < 0 ? 2 * i : 2 * i + 1));
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
