package io.vertable.shared.wire;

import io.vertable.shared.RoomRole;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;

/**
 * What is published on {@link Addresses#BRIDGE_CONTROL} to every bridge and security instance in the cluster: a
 * revoked session, a changed membership, or a deleted room. Each closes the affected sockets at once; a revocation is
 * also remembered until the session would have expired.
 *
 * @param sessionId the revoked session's id ({@code sid} on the wire; the session token's {@code sid} claim)
 * @param until when the revoked session would have expired, in epoch seconds (0 when unknown)
 * @param change what happened to a membership
 * @param role the new role, when {@code change} is {@link Change#ROLE}
 */
public record BridgeControl(
        Type type, String userId, String roomId, String sessionId, long until, Change change, RoomRole role) {

    /**
     * The WebSocket close status of a socket dropped because it stopped reading (its unsent frames passed the bridge's
     * bound); a private-use status (4000-4999) whose last digits echo the HTTP status of {@code CONNECTION_TOO_SLOW}.
     */
    public static final int CLOSE_TOO_SLOW = 4503;

    public enum Type {
        REVOKED("revoked"),
        MEMBERSHIP("membership"),
        ROOM_DELETED("room-deleted");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        static Optional<Type> parse(String text) {
            for (Type type : values()) if (type.wire.equals(text)) return Optional.of(type);
            return Optional.empty();
        }
    }

    /** How a membership changed; anything else a publisher might send counts as a removal. */
    public enum Change {
        KICKED,
        BANNED,
        ROLE;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Change parse(String text) {
            for (Change change : values()) if (change.wire().equals(text)) return change;
            return KICKED;
        }
    }

    public static BridgeControl revoked(String userId, String sessionId, long until) {
        return new BridgeControl(Type.REVOKED, userId, null, sessionId, until, null, null);
    }

    public static BridgeControl membership(String roomId, String userId, Change change, RoomRole role) {
        return new BridgeControl(Type.MEMBERSHIP, userId, roomId, null, 0, change, role);
    }

    public static BridgeControl roomDeleted(String roomId) {
        return new BridgeControl(Type.ROOM_DELETED, null, roomId, null, 0, null, null);
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("type", type.wire);
        if (userId != null) json.put("userId", userId);
        if (roomId != null) json.put("roomId", roomId);
        if (sessionId != null) json.put("sid", sessionId).put("until", until);
        if (change != null) json.put("change", change.wire());
        if (role != null) json.put("role", role.name());
        return json;
    }

    /** The message, or empty when it is none of ours (it is then ignored). */
    public static Optional<BridgeControl> fromJson(JsonObject json) {
        if (json == null || !(json.getValue("type") instanceof String text)) return Optional.empty();
        return Type.parse(text)
                .map(type -> new BridgeControl(
                        type,
                        json.getValue("userId") instanceof String user ? user : null,
                        json.getValue("roomId") instanceof String room ? room : null,
                        json.getValue("sid") instanceof String sid ? sid : null,
                        json.getValue("until") instanceof Number until ? until.longValue() : 0,
                        type == Type.MEMBERSHIP ? Change.parse(json.getString("change")) : null,
                        json.getValue("role") instanceof String role
                                ? RoomRole.parse(role).orElse(null)
                                : null));
    }
}
