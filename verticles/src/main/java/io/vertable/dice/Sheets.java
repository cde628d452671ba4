package io.vertable.dice;

import io.vertable.security.RoomMember;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** The attributes a member's roll reads for its {@code @} variables: the server's copy, never the client's. */
public final class Sheets {

    private static final long TIMEOUT_MS = Deadlines.STORE_CALL_MS;

    private Sheets() {}

    /** The named character's attributes (by id or name), or the member's first character's, or none. */
    public static Future<JsonObject> variables(EventBus bus, String roomId, RoomMember member, String character) {
        return sheet(bus, roomId, member, character).map(sheet -> sheet.getJsonObject("attributes", new JsonObject()));
    }

    /**
     * The sheet a member speaks or rolls as: by id or name, one of their own (a GM: any), else NOT_FOUND; with no
     * character named, their first sheet, or {@code {attributes: {}}} when they have none.
     */
    public static Future<JsonObject> sheet(EventBus bus, String roomId, RoomMember member, String character) {
        JsonObject request = new JsonObject()
                .put("op", "forRoll")
                .put("roomId", roomId)
                .put("userId", member.userId())
                .put("gm", member.gm());
        if (character != null) request.put("character", character);
        return bus.<JsonObject>request(
                        Addresses.PERSIST_CHARACTERS,
                        request,
                        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(TIMEOUT_MS))
                .map(reply -> reply.body());
    }
}
