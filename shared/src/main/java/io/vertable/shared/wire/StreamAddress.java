package io.vertable.shared.wire;

import java.util.Optional;

/**
 * An outbound stream a browser may listen to: a room's public stream, its GM stream, or one user's stream.
 *
 * @param id the room id or user id
 */
public record StreamAddress(Kind kind, String id) {

    public enum Kind {
        ROOM,
        ROOM_GM,
        USER
    }

    /** Ids are what the server mints: letters, digits, '-' and '_' — never dots, so ".gm" cannot be forged. */
    private static final String ID = "[A-Za-z0-9_-]{1,64}";

    public static Optional<StreamAddress> parse(String address) {
        if (address.matches("vtt\\.room\\." + ID))
            return Optional.of(new StreamAddress(Kind.ROOM, address.substring(9)));
        if (address.matches("vtt\\.room\\." + ID + "\\.gm")) {
            return Optional.of(new StreamAddress(Kind.ROOM_GM, address.substring(9, address.length() - 3)));
        }
        if (address.matches("vtt\\.user\\." + ID))
            return Optional.of(new StreamAddress(Kind.USER, address.substring(9)));
        return Optional.empty();
    }

    public static boolean isId(String text) {
        return text != null && text.matches(ID);
    }
}
