package io.vertable.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A JSON codec that hands the same object to every local consumer instead of a copy each (the default JSON codec
 * copies per consumer). For bodies nobody changes after publishing, such as live relays fanned out to every socket of a
 * room: the bridge only reads them and encodes them into each socket's frame. On the wire it is the plain JSON text.
 */
final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {

    static final String NAME = "vtt-shared-json";

    /** Registers the codec on this Vert.x once (every bridge instance of a node calls this). */
    static synchronized void register(Vertx vertx) {
        try {
            vertx.eventBus().registerCodec(new SharedJsonCodec());
        } catch (IllegalStateException alreadyRegistered) {
            // another bridge instance of this node did it
        }
    }

    @Override
    public void encodeToWire(Buffer buffer, JsonObject body) {
        Buffer encoded = body.toBuffer();
        buffer.appendInt(encoded.length());
        buffer.appendBuffer(encoded);
    }

    @Override
    public JsonObject decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return new JsonObject(buffer.slice(pos + 4, pos + 4 + length));
    }

    @Override
    public JsonObject transform(JsonObject body) {
        return body;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
