package io.vertable.shared.dice;

import java.util.Optional;

/** The dice language a room speaks: the two look alike and disagree in places (docs/dice.md, "Where they differ"). */
public enum Dialect {
    ROLL20("roll20"),
    FOUNDRY("foundry");

    private final String wireName;

    Dialect(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in room settings and in a roll's JSON: {@code roll20} or {@code foundry}. */
    public String wireName() {
        return wireName;
    }

    /** The dialect with that wire name, ignoring case; empty for null or an unknown name. */
    public static Optional<Dialect> fromName(String name) {
        if (name == null) return Optional.empty();
        for (Dialect dialect : values())
            if (dialect.wireName.equalsIgnoreCase(name.trim())) return Optional.of(dialect);
        return Optional.empty();
    }
}
