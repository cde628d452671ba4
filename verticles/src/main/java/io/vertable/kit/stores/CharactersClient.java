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
}
