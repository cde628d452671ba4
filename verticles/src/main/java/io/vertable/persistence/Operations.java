package io.vertable.persistence;

import io.vertable.kit.stores.StoreClient;
import io.vertable.kit.stores.StoreOp;
import io.vertable.shared.JsonLimits;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches {@code {"op": …}} requests on one internal address to named operations and replies with their result. */
final class Operations {

    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    private final String address;
    private final Map<String, Function<JsonObject, Future<JsonObject>>> operations = new HashMap<>();

    private static final long OUTAGE_LOG_EVERY_MS = 5_000;
    private long lastOutageLogMs;
    private long refusedSinceLog;

    Operations(String address) {
        this.address = address;
    }

    Operations on(StoreOp op, Function<JsonObject, Future<JsonObject>> operation) {
        operations.put(op.wire(), operation);
        return this;
    }

    /** Answers the request; the returned future completes once it has (a stopping verticle waits for that). */
    Future<?> handle(Message<JsonObject> message) {
        JsonObject request = message.body();
        String op = request == null ? null : request.getString(StoreClient.OP);
        Function<JsonObject, Future<JsonObject>> operation = operations.get(op);
        if (operation == null) {
            fail(message, Failure.of(ErrorCode.BAD_REQUEST, "unknown operation " + op + " on " + address));
            return Future.succeededFuture();
        }
        // Nothing stored may nest deeper than the doors let in, whichever service sends it.
        Failure tooDeep = JsonLimits.checkStored(request);
        if (tooDeep != null) {
            LOG.warn("persistence request refused address={} op={} code={}", address, op, tooDeep.code());
            fail(message, tooDeep);
            return Future.succeededFuture();
        }
        Future<JsonObject> result;
        try {
            result = operation.apply(request);
        } catch (RuntimeException | StackOverflowError e) {
            result = Future.failedFuture(e);
        }
        result.onSuccess(message::reply).onFailure(e -> fail(message, failureOf(op, e)));
        return result;
    }

    private Failure failureOf(String op, Throwable e) {
        if (e instanceof FailureException refusal) return refusal.failure();
        if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return Failure.of(ErrorCode.CONFLICT, "that already exists");
        }
        if (StoreOutage.is(e)) {
            outageRefused(op, e);
            return Failure.of(ErrorCode.STORE_UNAVAILABLE, null);
        }
        LOG.error("persistence operation failed address={} op={}", address, op, e);
        return Failure.of(ErrorCode.INTERNAL, null);
    }

    /** One line per outage, not one per refused request: the first refusal, then a count every few seconds. */
    private void outageRefused(String op, Throwable e) {
        long now = System.currentTimeMillis();
        if (now - lastOutageLogMs < OUTAGE_LOG_EVERY_MS) {
            refusedSinceLog++;
            return;
        }
        LOG.warn(
                "database unreachable address={} op={} refusedSinceLastLine={}: {}",
                address,
                op,
                refusedSinceLog,
                e.getMessage());
        lastOutageLogMs = now;
        refusedSinceLog = 0;
    }

    private static void fail(Message<JsonObject> message, Failure failure) {
        message.fail(failure.code().httpStatus(), failure.encode());
    }
}
