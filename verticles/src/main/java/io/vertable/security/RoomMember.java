package io.vertable.security;

import io.vertable.shared.RoomRole;
import io.vertable.shared.wire.TrustedHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Who sent a room command, from the trusted headers the bridge (or the HTTP verticle, after its membership check)
 * put on it; anything a browser wrote there was replaced before it reached a service.
 */
public record RoomMember(String userId, String displayName, boolean admin, RoomRole role) {

    /** A signed-in caller acting in a room, as the REST door sees them after its membership check. */
    public static RoomMember of(Identity identity, RoomRole role) {
        return new RoomMember(identity.userId(), identity.displayName(), identity.admin(), role);
    }

    /** The sender, or null when the message did not come through a trusted entry point. */
    public static RoomMember of(Message<?> message) {
        MultiMap headers = message.headers();
        String userId = headers.get(TrustedHeaders.USER_ID);
        RoomRole role = RoomRole.parse(headers.get(TrustedHeaders.ROOM_ROLE)).orElse(null);
        if (userId == null || role == null) return null;
        String name = headers.get(TrustedHeaders.USER_NAME);
        return new RoomMember(userId, name == null ? "" : name, "true".equals(headers.get(TrustedHeaders.ADMIN)), role);
    }

    public boolean gm() {
        return role == RoomRole.GM;
    }

    /** The same trusted headers, for passing the command on. */
    public MultiMap headers() {
        return Membership.asMultiMap(Membership.trustedHeaders(userId, displayName, admin, role));
    }

    public DeliveryOptions deliveryOptions(long timeoutMs) {
        return new DeliveryOptions().setHeaders(headers()).setSendTimeout(timeoutMs);
    }
}
