package io.vertable.kit.stores;

import io.vertable.kit.bus.Departures;
import io.vertable.shared.wire.Deadlines;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

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
     * Sent again each time a persistence instance announces it stopped while this call waits (the call may have gone
     * to it and been dropped unanswered), and, while the cluster may still route to a member lost moments ago, after
     * half a second and a second and a half unanswered; the first success answers, and the call fails only when every
     * send failed.
     */
    private Future<JsonObject> askResending(JsonObject body) {
        Promise<JsonObject> answer = Promise.promise();
        AtomicInteger open = new AtomicInteger(1);
        Handler<AsyncResult<JsonObject>> settle = done -> {
            int stillOpen = open.decrementAndGet();
            if (done.succeeded()) answer.tryComplete(done.result());
            else if (stillOpen == 0) answer.tryFail(done.cause());
        };
        Runnable sendAgain = () -> {
            if (answer.future().isComplete()) return;
            open.incrementAndGet();
            call(body.copy()).onComplete(settle);
        };
        Departures departures = Departures.of(bus);
        Runnable unwatch = departures.watch(address, sendAgain);
        Runnable stopResending = departures.resendWhileUnsettled(sendAgain);
        call(body).onComplete(settle);
        return answer.future().andThen(done -> {
            unwatch.run();
            stopResending.run();
        });
    }

    static JsonObject room(String roomId) {
        return new JsonObject().put("roomId", roomId);
    }
}
