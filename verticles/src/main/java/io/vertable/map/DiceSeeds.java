package io.vertable.map;

import io.vertable.shared.dice.VerifiableDice;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret seed of each room's seed period (docs/dice-verification.md): HMAC-SHA256 of the node's dice secret over
 * {@code "vertable-dice-seed:" + room + ":" + period}. Derived rather than stored, so no table holds live seeds and
 * every map instance in the cluster computes the same one; a seed is revealed only when its period ends.
 */
public final class DiceSeeds {

    private final byte[] secret;

    DiceSeeds(byte[] secret) {
        this.secret = secret.clone();
    }

    /**
     * From {@code dice.secret}; else the key kept in the database ({@code dice.key}, hex, put there by the launcher);
     * else derived from the JWT key. Changing it changes the seeds of open periods, whose rolls could then no longer
     * be verified: set it once.
     */
    static DiceSeeds fromConfig(io.vertx.core.json.JsonObject config) {
        String secret = config.getJsonObject("dice").getString("secret");
        if (!secret.isEmpty()) return new DiceSeeds(secret.getBytes(StandardCharsets.UTF_8));
        String kept = config.getJsonObject("dice").getString("key", "");
        if (!kept.isEmpty()) return new DiceSeeds(java.util.HexFormat.of().parseHex(kept));
        String jwt = config.getJsonObject("jwt").getString("secret");
        if (jwt.isEmpty()) throw new IllegalStateException("no JWT signing key: the launcher resolves one first");
        return new DiceSeeds(hmac(jwt.getBytes(StandardCharsets.UTF_8), "vertable-dice-secret"));
    }

    /**
     * The key this configuration gives without a kept one, in hex: what a database without a key keeps from now on,
     * so an existing installation's seeds do not change.
     */
    public static String keyToKeep(io.vertx.core.json.JsonObject config) {
        var withoutKept = config.copy();
        withoutKept.getJsonObject("dice").remove("key");
        return keyInUse(withoutKept);
    }

    /** The key the rooms' seeds derive from under this configuration, in hex. */
    public static String keyInUse(io.vertx.core.json.JsonObject config) {
        return VerifiableDice.hex(fromConfig(config).secret);
    }

    byte[] seed(String roomId, long period) {
        return hmac(secret, "vertable-dice-seed:" + roomId + ":" + period);
    }

    /**
     * The salt a roll with a restricted audience (GM, blind, self, whisper) adds to its client seed: derived from the
     * dice secret and the roll's nonce, so the server cannot choose it, and never revealed to everyone. Without it the
     * seed revealed at rotation would let any player recompute the GM's and blind rolls of the period.
     */
    String hiddenSalt(String roomId, long period, long nonce) {
        byte[] salt = hmac(secret, "vertable-dice-hidden:" + roomId + ":" + period + ":" + nonce);
        return VerifiableDice.hex(java.util.Arrays.copyOf(salt, 16));
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    String commitment(String roomId, long period) {
        return VerifiableDice.commitment(seed(roomId, period));
    }
}
