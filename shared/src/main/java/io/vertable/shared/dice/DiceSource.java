package io.vertable.shared.dice;

/**
 * Where die faces come from. The engine asks for one number per physical die it throws, in order; tests inject
 * scripted sources, rooms with verifiable rolls inject {@link VerifiableDice}, everything else uses {@link #secure()}.
 */
@FunctionalInterface
public interface DiceSource {

    /** A number uniform in {@code 1..faces}; {@code faces} is at least 1. */
    int roll(int faces);

    /** The server's cryptographic source: one shared, thread-safe instance backed by {@link java.security.SecureRandom}. */
    static DiceSource secure() {
        return SecureDice.INSTANCE;
    }
}
