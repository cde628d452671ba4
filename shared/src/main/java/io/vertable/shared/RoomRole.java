package io.vertable.shared;

import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import java.util.Optional;

/** A member's role in one room. Separate from the server role ADMIN. */
public enum RoomRole {
    GM,
    PLAYER,
    OBSERVER;

    /**
     * The one observer rule: observers watch; they do not act (play, roll, keep characters). {@code doing} names the
     * act for the message.
     *
     * @return the refusal, or null when this role may act
     */
    public Failure refusalToAct(String doing) {
        return this == OBSERVER ? Failure.of(ErrorCode.FORBIDDEN, "observers watch; they do not " + doing) : null;
    }

    public static Optional<RoomRole> parse(String text) {
        for (RoomRole role : values()) if (role.name().equals(text)) return Optional.of(role);
        return Optional.empty();
    }
}
