package io.vertable.kit.stores;

import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Room assets (images) ({@link Addresses#PERSIST_ASSETS}). */
public final class AssetsClient extends StoreClient {

    public enum Op implements StoreOp {
        CREATE("create"),
        LIST("list"),
        DELETE("delete"),
        GET("get"),
        CONTENT("content");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    public AssetsClient(EventBus bus) {
        super(bus, Addresses.PERSIST_ASSETS);
    }

    /** @param asset {@code {uploadedBy, name, contentType, sha256, content}} */
    public Future<JsonObject> create(String roomId, JsonObject asset) {
        return ask(Op.CREATE, asset.put("roomId", roomId)); // not copied: it carries the image
    }

    public Future<JsonObject> list(String roomId) {
        return ask(Op.LIST, room(roomId));
    }

    public Future<JsonObject> delete(String roomId, String assetId) {
        return ask(Op.DELETE, room(roomId).put("assetId", assetId));
    }

    /** The bytes, for a member of the asset's room; {@code etags} the browser already holds. */
    public Future<JsonObject> get(String assetId, String userId, JsonArray etags) {
        return ask(
                Op.GET,
                new JsonObject().put("assetId", assetId).put("userId", userId).put("etags", etags));
    }

    /** One image of a room with its bytes, for the room's archive. @return {@code {id, content}} */
    public Future<JsonObject> content(String roomId, String assetId) {
        return ask(Op.CONTENT, room(roomId).put("assetId", assetId));
    }
}
