package io.vertable.security;

import java.security.SecureRandom;

/** Unguessable ids: entity ids (base62) and invite codes (Crockford base32: no I, L, O, U to misread). */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Ids() {}

    /** 16 base62 characters, ~95 bits. */
    public static String newId() {
        return random(BASE62, 16);
    }

    /** 12 base32 characters, 60 bits: short enough to read aloud, too many to guess under rate limits. */
    public static String inviteCode() {
        return random(CROCKFORD, 12);
    }

    private static String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        return new String(out);
    }
}
