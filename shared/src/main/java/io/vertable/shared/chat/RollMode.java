package io.vertable.shared.chat;

import io.vertx.core.json.JsonArray;
import java.util.Locale;
import java.util.Optional;

/**
 * Who sees a roll: everyone; the GMs and the roller; only the GMs (the roller learns that they rolled, not
 * what); only the roller.
 */
public enum RollMode {
    PUBLIC,
    GM,
    BLIND,
    SELF;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RollMode> fromName(String name) {
        for (RollMode mode : values()) if (mode.wireName().equals(name)) return Optional.of(mode);
        return Optional.empty();
    }

    /** The event audience of a roll by {@code rollerId} in this mode. */
    public Object audience(String rollerId) {
        return switch (this) {
            case PUBLIC -> Audience.ALL;
            case GM -> Audience.users(new JsonArray().add(rollerId), true);
            case BLIND -> Audience.GM;
            case SELF -> Audience.users(new JsonArray().add(rollerId), false);
        };
    }
}
