package io.vertable.shared.dice;

import java.security.SecureRandom;

/**
 * {@link DiceSource#secure()}: 32-bit words from one shared {@link SecureRandom}, turned into faces by rejection
 * sampling (the same rule as {@link VerifiableDice}), so every face is exactly equally likely. Each thread keeps a small
 * buffer of random bytes: one call into the generator serves 64 words, which is what makes this fast enough to
 * benchmark; the generator itself is thread-safe.
 */
final class SecureDice implements DiceSource {

    static final SecureDice INSTANCE = new SecureDice();

    private static final long TWO_32 = 1L << 32;

    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    private SecureDice() {}

    @Override
    public int roll(int faces) {
        if (faces < 1) throw new IllegalArgumentException("faces must be at least 1: " + faces);
        Buffer buffer = buffers.get();
        long limit = TWO_32 - TWO_32 % faces;
        while (true) {
            long word = buffer.next(random);
            if (word < limit) return (int) (word % faces) + 1;
        }
    }

    /** Random bytes for one thread, refilled 256 at a time. */
    private static final class Buffer {
        private final byte[] bytes = new byte[256];
        private int position = bytes.length;

        long next(SecureRandom random) {
            if (position == bytes.length) {
                random.nextBytes(bytes);
                position = 0;
            }
            long word = ((bytes[position] & 0xffL) << 24)
                    | ((bytes[position + 1] & 0xffL) << 16)
                    | ((bytes[position + 2] & 0xffL) << 8)
                    | (bytes[position + 3] & 0xffL);
            position += 4;
            return word;
        }
    }
}
