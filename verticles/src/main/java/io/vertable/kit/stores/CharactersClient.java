package io.vertable.kit.stores;

import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Character sheets, as one member may see and change them ({@link Addresses#PERSIST_CHARACTERS}). */
public final class CharactersClient extends StoreClient {

    public enum Op implements StoreOp {
        CREATE("create"),
        UPDATE("update"),
        GET("get"),
        LIST("list"),
        FOR_ROLL("forRoll");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    public CharactersClient(EventBus bus) {
        super(bus, Addresses.PERSIST_CHARACTERS);
    }

    /** @param fields what the op reads besides who asks: {@code id}, {@code name}, {@code character}… */
    public Future<JsonObject> ask(Op op, String roomId, String userId, boolean gm, JsonObject fields) {
        return ask(op, fields.copy().put("roomId", roomId).put("userId", userId).put("gm", gm));
    }

    /**
     * The sheet a member speaks or rolls as — the server's copy, never the client's: by id or name, one of their own
     * (a GM: any), else NOT_FOUND; with no character named, their first sheet, or {@code {attributes: {}}} when they
     * have none.
     */
    public Future<JsonObject> forRoll(String roomId, String userId, boolean gm, String character) {
        JsonObject wanted = new JsonObject();
        if (character != null) wanted.put("character", character);
        return ask(Op.FOR_ROLL, roomId, userId, gm, wanted);
    }
}
