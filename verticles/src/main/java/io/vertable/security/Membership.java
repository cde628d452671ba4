package io.vertable.security;

import io.vertable.kit.stores.RoomsClient;
import io.vertable.shared.RoomRole;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.TrustedHeaders;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Who someone is in a room, for both doors — the bridge and the REST API — so they answer alike: one role lookup, one
 * refusal per standing, and one writer of the trusted headers services act on.
 *
 * <p>A banned member is told {@code BANNED}, over either door: an invite will not let them back, and it is what the
 * live table already said when the ban closed their socket. Anyone else without a role is {@code NOT_A_MEMBER} — a
 * kick leaves no trace, so the kicked are simply not members (an invite brings them back).
 */
public final class Membership {

    private final RoomsClient rooms;

    public Membership(EventBus bus) {
        this.rooms = new RoomsClient(bus);
    }

    /** Role lookups remembered for one holder (a socket, a request); at most {@code maxRooms} rooms. */
    public Roles rolesOf(String userId, int maxRooms) {
        return new Roles(userId, maxRooms);
    }

    /** The role in a membership answer, or its refusal. */
    static Future<RoomRole> role(JsonObject membership) {
        if (membership.getBoolean("banned", false)) return refused(ErrorCode.BANNED, null);
        return RoomRole.parse(membership.getString("role"))
                .map(Future::succeededFuture)
                .orElseGet(() -> refused(ErrorCode.NOT_A_MEMBER, null));
    }

    /**
     * The headers services trust, written in place of anything the sender put there: who sends, under which name,
     * whether they are a server ADMIN, and their role in the room the message names (null when it names none).
     */
    public static JsonObject trustedHeaders(String userId, String displayName, boolean admin, RoomRole role) {
        JsonObject headers = new JsonObject()
                .put(TrustedHeaders.USER_ID, userId)
                .put(TrustedHeaders.USER_NAME, displayName == null ? "" : displayName);
        if (admin) headers.put(TrustedHeaders.ADMIN, "true");
        if (role != null) headers.put(TrustedHeaders.ROOM_ROLE, role.name());
        return headers;
    }

    public static JsonObject trustedHeaders(Identity identity, RoomRole role) {
        return trustedHeaders(identity.userId(), identity.displayName(), identity.admin(), role);
    }

    /** The same headers for an event-bus delivery. */
    public static MultiMap asMultiMap(JsonObject headers) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(header -> map.add(header.getKey(), String.valueOf(header.getValue())));
        return map;
    }

    private static <T> Future<T> refused(ErrorCode code, String message) {
        return Future.failedFuture(new FailureException(code, message));
    }

    /**
     * One user's roles, each room looked up once: a refusal is remembered like a role (membership changes close the
     * socket or end the request anyway), a lookup that failed in transport is tried again next time.
     */
    public final class Roles {

        private final String userId;
        private final int maxRooms;
        private final Map<String, Future<JsonObject>> answers = new HashMap<>();

        private Roles(String userId, int maxRooms) {
            this.userId = userId;
            this.maxRooms = maxRooms;
        }

        /** The role in {@code roomId}, or BANNED / NOT_A_MEMBER (or why the lookup failed). */
        public Future<RoomRole> in(String roomId) {
            return answer(roomId).compose(Membership::role);
        }

        /**
         * Whether this holder is, as far as it has looked up, a member of {@code roomId} now: looked up, answered with a
         * role, not banned. Never waits: a room not looked up yet is not one.
         */
        public boolean isMember(String roomId) {
            Future<JsonObject> known = roomId == null ? null : answers.get(roomId);
            return known != null
                    && known.succeeded()
                    && Membership.role(known.result()).succeeded();
        }

        /** Whether {@code roomId} was looked up here: a change to it concerns this holder. */
        public boolean knows(String roomId) {
            return roomId != null && answers.containsKey(roomId);
        }

        private Future<JsonObject> answer(String roomId) {
            Future<JsonObject> known = answers.get(roomId);
            if (known != null) return known;
            if (answers.size() >= maxRooms) return refused(ErrorCode.TOO_MANY_HANDLERS, "too many rooms");
            Future<JsonObject> lookup = rooms.membership(roomId, userId);
            answers.put(roomId, lookup);
            lookup.onFailure(e -> answers.remove(roomId));
            return lookup;
        }
    }
}
