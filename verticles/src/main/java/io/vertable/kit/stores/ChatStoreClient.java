package io.vertable.kit.stores;

import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Chat history, search and single messages, each filtered for the asking user ({@link Addresses#PERSIST_CHAT}). */
public final class ChatStoreClient extends StoreClient {

    public enum Op implements StoreOp {
        HISTORY("history"),
        SEARCH("search"),
        GET("get"),
        DICE_STATS("diceStats");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    public ChatStoreClient(EventBus bus) {
        super(bus, Addresses.PERSIST_CHAT);
    }

    /** A page as {@code userId} may see it. @param page {@code {limit?, before?, q?}} */
    public Future<JsonObject> read(Op op, String roomId, String userId, boolean gm, JsonObject page) {
        return ask(op, page.copy().put("roomId", roomId).put("userId", userId).put("gm", gm));
    }

    public Future<JsonObject> get(String roomId, String messageId) {
        return ask(Op.GET, room(roomId).put("messageId", messageId));
    }

    public Future<JsonObject> diceStats(String roomId) {
        return ask(Op.DICE_STATS, room(roomId));
    }
}
