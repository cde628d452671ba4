package io.vertable.shared.wire;

/**
 * Headers the bridge puts on every inbound browser message after dropping whatever the browser sent. Services trust
 * these and nothing else about the sender.
 */
public final class TrustedHeaders {

    public static final String USER_ID = "vtt-user-id";
    public static final String USER_NAME = "vtt-user-name";
    /** The sender's role in the room its command names; absent for commands that name no room. */
    public static final String ROOM_ROLE = "vtt-room-role";
    /** Present (value "true") when the sender is a server ADMIN. */
    public static final String ADMIN = "vtt-admin";

    private TrustedHeaders() {}
}
