package io.vertable.kit.rooms;

import io.vertable.kit.bus.Departures;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How anyone reaches a room's owner: send to the owner address; when the room has none, ask a map
 * instance to claim it and send again; when the owner vanished or is handing over, send again until a deadline. The
 * body should carry a command id ({@code cid}), so a resend of a command that was applied is answered, not reapplied.
 */
public final class RoomOwnerClient {

    private static final Logger LOG = LoggerFactory.getLogger(RoomOwnerClient.class);
    private static final long FORWARD_TIMEOUT_MS = Deadlines.OWNER_FORWARD_MS;
    private static final long CLAIM_TIMEOUT_MS = Deadlines.CLAIM_MS;
    private static final long SLOW_ATTEMPT_MS = 1_000;

    private final Vertx vertx;
    private final String nodeId;
    private final Departures departures;

    public RoomOwnerClient(Vertx vertx, String nodeId) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.departures = Departures.of(vertx.eventBus());
    }

    /** A command for the room's commands address. */
    public Future<JsonObject> command(String roomId, JsonObject body, MultiMap headers, long deadlineMs) {
        return request(Addresses.roomOwner(roomId), roomId, body, headers, deadlineMs);
    }

    /** A finished chat message or roll request for the room's internal post address. */
    public Future<JsonObject> post(String roomId, JsonObject body, MultiMap headers, long deadlineMs) {
        return request(Addresses.roomPost(roomId), roomId, body, headers, deadlineMs);
    }

    /** A question about the room's state (what a member may fetch) for the room's internal query address. */
    public Future<JsonObject> query(String roomId, JsonObject body, MultiMap headers, long deadlineMs) {
        return request(Addresses.roomQuery(roomId), roomId, body, headers, deadlineMs);
    }

    /**
     * The owner's answer; a refusal by the owner fails with its {@link ReplyException} as it is; no owner in time, or
     * an owner that vanished mid-request, fails with a catalog code that tells the client to retry or resync.
     */
    private Future<JsonObject> request(
            String address, String roomId, JsonObject body, MultiMap headers, long deadlineMs) {
        Promise<JsonObject> answer = Promise.promise();
        forward(answer, address, roomId, body, headers, System.currentTimeMillis() + deadlineMs, 0);
        return answer.future();
    }

    private void forward(
            Promise<JsonObject> answer,
            String address,
            String roomId,
            JsonObject body,
            MultiMap headers,
            long deadline,
            int attempt) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            LOG.warn("room has no owner in time room={} node={}", roomId, nodeId);
            answer.fail(new FailureException(ErrorCode.SERVICE_UNAVAILABLE, "the room is starting elsewhere; retry"));
            return;
        }
        // Each attempt ends by the deadline, so the caller always hears back before its own caller gives up.
        var options = new DeliveryOptions().setHeaders(headers).setSendTimeout(Math.min(FORWARD_TIMEOUT_MS, left));
        long sent = System.currentTimeMillis();
        attempt(address, body, options)
                .onSuccess(reply -> answer.complete(reply.body()))
                .onFailure(e -> {
                    logSlow("room forward failed", roomId, attempt, sent, e);
                    if (e instanceof OwnerLeft) {
                        // The owner said it is gone (its room was handed over): the successor is there already.
                        vertx.setTimer(1, id -> forward(answer, address, roomId, body, headers, deadline, attempt + 1));
                    } else if (!resendable(e)) {
                        answer.fail(passedOn(roomId, e));
                    } else if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
                        forward(answer, address, roomId, body, headers, deadline, attempt + 1);
                    } else {
                        claim(roomId, deadline).onComplete(claimed -> {
                            if (claimed.failed() && storeAway(claimed.cause())) {
                                // Nobody can load the room until the database is back: say so now, not at the deadline.
                                answer.fail(new FailureException(ErrorCode.STORE_UNAVAILABLE, null));
                                return;
                            }
                            vertx.setTimer(
                                    claimed.succeeded() ? 1 : Math.min(500, 50L << Math.min(attempt, 4)),
                                    id -> forward(answer, address, roomId, body, headers, deadline, attempt + 1));
                        });
                    }
                });
    }

    /**
     * One send to the owner address, given up at once when that owner announces it has left: a request that reached
     * it too late is never answered, and waiting for the timeout was most of a room's pause in a handover.
     */
    private Future<Message<JsonObject>> attempt(String address, JsonObject body, DeliveryOptions options) {
        Promise<Message<JsonObject>> attempt = Promise.promise();
        Runnable unwatch = departures.watch(address, () -> attempt.tryFail(new OwnerLeft()));
        vertx.eventBus().<JsonObject>request(address, body, options).onComplete(done -> {
            unwatch.run();
            if (done.succeeded()) attempt.tryComplete(done.result());
            else attempt.tryFail(done.cause());
        });
        return attempt.future();
    }

    /** The owner address was announced gone while an attempt waited on it. */
    private static final class OwnerLeft extends RuntimeException {
        OwnerLeft() {
            super("the room's owner left; sending to its successor", null, false, false);
        }
    }

    /**
     * A failed attempt is routine during a handover (a few ms); one that took a second or more is what a room's pause
     * is made of, so it is logged where operators look.
     */
    private void logSlow(String what, String roomId, int attempt, long sentMs, Throwable e) {
        long ms = System.currentTimeMillis() - sentMs;
        String cause = e instanceof ReplyException r ? r.failureType() + " " + r.getMessage() : e.toString();
        if (ms >= SLOW_ATTEMPT_MS)
            LOG.info("{} room={} node={} attempt={} ms={} cause={}", what, roomId, nodeId, attempt, ms, cause);
        else LOG.debug("{} room={} node={} attempt={} ms={} cause={}", what, roomId, nodeId, attempt, ms, cause);
    }

    /**
     * Worth sending again: not delivered, refused unprocessed by an owner that is stepping down, or not answered
     * (the command id makes a repeat harmless if the owner did apply it).
     */
    private static boolean storeAway(Throwable e) {
        return FailureException.from(e).code() == ErrorCode.STORE_UNAVAILABLE;
    }

    private static boolean resendable(Throwable e) {
        if (!(e instanceof ReplyException reply)) return false;
        if (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureType() == ReplyFailure.TIMEOUT) return true;
        return reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && reply.failureCode() == ErrorCode.SERVICE_UNAVAILABLE.httpStatus()
                && Failure.decode(reply.getMessage()).message().endsWith("retry");
    }

    private Future<JsonObject> claim(String roomId, long deadline) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) return Future.failedFuture("deadline");
        long sent = System.currentTimeMillis();
        // Sent again if the map instance it went to leaves or died: a second claim of a room is shared or refused.
        return departures
                .<JsonObject>requestResending(
                        Addresses.MAP_CLAIM,
                        new JsonObject().put("room", roomId),
                        new DeliveryOptions().setSendTimeout(Math.min(CLAIM_TIMEOUT_MS, left)),
                        Departures::refusedByHandler)
                .onFailure(e -> logSlow("room claim failed", roomId, 0, sent, e))
                .map(reply -> reply.body());
    }

    /**
     * The owner refused (its answer goes back as it is), or the command may or may not have been applied (an owner
     * that vanished mid-request): the client is told to resync rather than guess.
     */
    private Throwable passedOn(String roomId, Throwable e) {
        if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) return e;
        LOG.warn("room owner did not answer room={} node={}: {}", roomId, nodeId, e.getMessage());
        return new FailureException(ErrorCode.TIMEOUT, "the room did not answer in time; resync and retry");
    }
}
