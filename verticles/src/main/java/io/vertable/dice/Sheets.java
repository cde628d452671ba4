package io.vertable.dice;

import io.vertable.kit.stores.CharactersClient;
import io.vertable.security.RoomMember;
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
        JsonObject wanted = new JsonObject();
        if (character != null) wanted.put("character", character);
        return new CharactersClient(bus)
                .ask(CharactersClient.Op.FOR_ROLL, roomId, member.userId(), member.gm(), wanted);
    }
}
