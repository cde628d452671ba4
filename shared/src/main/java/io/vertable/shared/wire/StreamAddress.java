package io.vertable.shared.wire;

import java.util.Optional;
import java.util.regex.Pattern;

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

    // Compiled once: addresses are checked on every frame a bridge passes, ids on every scene view.
    private static final Pattern ID_ONLY = Pattern.compile(ID);
    private static final Pattern ROOM = Pattern.compile("vtt\\.room\\." + ID);
    private static final Pattern ROOM_GM = Pattern.compile("vtt\\.room\\." + ID + "\\.gm");
    private static final Pattern USER = Pattern.compile("vtt\\.user\\." + ID);

    public static Optional<StreamAddress> parse(String address) {
        if (ROOM.matcher(address).matches()) return Optional.of(new StreamAddress(Kind.ROOM, address.substring(9)));
        if (ROOM_GM.matcher(address).matches()) {
            return Optional.of(new StreamAddress(Kind.ROOM_GM, address.substring(9, address.length() - 3)));
        }
        if (USER.matcher(address).matches()) return Optional.of(new StreamAddress(Kind.USER, address.substring(9)));
        return Optional.empty();
    }

    public static boolean isId(String text) {
        return text != null && ID_ONLY.matcher(text).matches();
    }
}
