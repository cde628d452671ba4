package io.vertable.shared;

import java.util.Optional;

/** A member's role in one room. Separate from the server role ADMIN. */
public enum RoomRole {
    GM,
    PLAYER,
    OBSERVER;

    public static Optional<RoomRole> parse(String text) {
        for (RoomRole role : values()) if (role.name().equals(text)) return Optional.of(role);
        return Optional.empty();
    }
}
