package io.vertable.kit.stores;

import io.vertable.kit.bus.Departures;
import io.vertable.shared.wire.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * What every store client shares: the store's internal address, the store-call deadline, and the one place that writes
 * the {@code {"op": …}} envelope. A refusal arrives as a failed future that {@code FailureException.from} reads.
 */
public abstract class StoreClient {

    /** The field naming the operation; the store dispatches on it. */
    public static final String OP = "op";

    private static final DeliveryOptions CALL = new DeliveryOptions().setSendTimeout(Deadlines.STORE_CALL_MS);

    private final EventBus bus;
    private final String address;

    StoreClient(EventBus bus, String address) {
        this.bus = bus;
        this.address = address;
    }

    /** Sends {@code fields} (taken over: the caller builds them for this call) as operation {@code op}. */
    final Future<JsonObject> ask(StoreOp op, JsonObject fields) {
        JsonObject body = fields.put(OP, op.wire());
        return op.resendable() ? askResending(body) : call(body);
    }

    private Future<JsonObject> call(JsonObject body) {
        return bus.<JsonObject>request(address, body, CALL).map(Message::body);
    }

    /**
     * Sent again when the persistence instance it may have gone to is gone (reads and fenced appends are safe to
     * repeat); only a success answers, as a repeat of an append that did go through is refused by the fence.
     */
    private Future<JsonObject> askResending(JsonObject body) {
        return Departures.of(bus)
                .<JsonObject>requestResending(address, body, CALL, refused -> false)
                .map(Message::body);
    }

    static JsonObject room(String roomId) {
        return new JsonObject().put("roomId", roomId);
    }
}
