package io.vertable.bridge;

import io.vertable.shared.Addresses;
import io.vertable.shared.ErrorCode;
import io.vertable.shared.Failure;
import io.vertable.shared.RoomRole;
import io.vertable.shared.StreamAddress;
import io.vertable.shared.TrustedHeaders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the browsers' room commands on this node ({@code vtt.in.room}, {@code vtt.in.map}) and hands each straight to
 * its room's owner; when the room has none, asks a map instance to claim it. Registered node-locally, so the bridge's
 * own hop never crosses the network (a bridge request to a node that just died is never answered). Live traffic
 * ({@code vtt.in.live}) is relayed from here at once and never stored.
 */
final class CommandRouter {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRouter.class);
    private static final long FORWARD_TIMEOUT_MS = 4_000;
    private static final long CLAIM_TIMEOUT_MS = 6_000;
    /** Shorter than the bridge's reply timeout, so the client always hears back. */
    private static final long ROUTE_DEADLINE_MS = 8_000;

    private static final Set<String> LIVE_OPS = Set.of("drag", "ping", "cursor");

    private final Vertx vertx;
    private final String nodeId;

    CommandRouter(Vertx vertx, String nodeId) {
        this.vertx = vertx;
        this.nodeId = nodeId;
    }

    Future<List<MessageConsumer<JsonObject>>> register() {
        List<MessageConsumer<JsonObject>> consumers = List.of(
                vertx.eventBus().localConsumer(Addresses.IN_ROOM, this::route),
                vertx.eventBus().localConsumer(Addresses.IN_MAP, this::route),
                vertx.eventBus().localConsumer(Addresses.IN_LIVE, this::relayLive));
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
                .map(done -> consumers);
    }

    // ---- room commands ----

    private void route(Message<JsonObject> command) {
        String roomId = command.body() == null ? null : command.body().getString("room");
        if (!StreamAddress.isId(roomId)) {
            fail(command, Failure.of(ErrorCode.ROOM_REQUIRED, null));
            return;
        }
        // Every command carries an id (the client's, or one made here): the owner applies it once, however often
        // it is sent, so a command whose answer was lost can be sent again.
        if (!(command.body().getValue("cid") instanceof String cid) || cid.isEmpty() || cid.length() > 64) {
            command.body().put("cid", UUID.randomUUID().toString());
        }
        forward(command, roomId, System.currentTimeMillis() + ROUTE_DEADLINE_MS, 0);
    }

    private void forward(Message<JsonObject> command, String roomId, long deadline, int attempt) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            LOG.warn("room has no owner in time room={} node={}", roomId, nodeId);
            fail(command, Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "the room is starting elsewhere; retry"));
            return;
        }
        // Each attempt ends by the deadline, so the client always hears back before the bridge gives up.
        var options =
                new DeliveryOptions().setHeaders(command.headers()).setSendTimeout(Math.min(FORWARD_TIMEOUT_MS, left));
        vertx.eventBus()
                .<JsonObject>request(Addresses.roomOwner(roomId), command.body(), options)
                .onSuccess(reply -> command.reply(reply.body()))
                .onFailure(e -> {
                    if (!resendable(e)) {
                        passOn(command, roomId, e);
                    } else if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
                        forward(command, roomId, deadline, attempt + 1); // the owner may be gone; ask again
                    } else {
                        claim(roomId, deadline)
                                .onComplete(claimed -> vertx.setTimer(
                                        claimed.succeeded() ? 1 : Math.min(500, 50L << Math.min(attempt, 4)),
                                        id -> forward(command, roomId, deadline, attempt + 1)));
                    }
                });
    }

    /**
     * Worth sending again: not delivered, refused unprocessed by an owner that is stepping down, or not answered
     * (the command id makes a repeat harmless if the owner did apply it).
     */
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
        return vertx.eventBus()
                .<JsonObject>request(
                        Addresses.MAP_CLAIM,
                        new JsonObject().put("room", roomId),
                        new DeliveryOptions().setSendTimeout(Math.min(CLAIM_TIMEOUT_MS, left)))
                .map(reply -> reply.body());
    }

    /**
     * The owner refused (its answer goes back as it is), or the command may or may not have been applied (an owner
     * that vanished mid-request): the client is told to resync rather than guess.
     */
    private void passOn(Message<JsonObject> command, String roomId, Throwable e) {
        if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            command.fail(reply.failureCode(), reply.getMessage());
            return;
        }
        LOG.warn("room owner did not answer room={} node={}: {}", roomId, nodeId, e.getMessage());
        fail(command, Failure.of(ErrorCode.TIMEOUT, "the room did not answer in time; resync and retry"));
    }

    // ---- live traffic ----

    /**
     * Drag previews, pings and cursors go straight to the room. A GM's drags and cursor go to GMs only, so moving a
     * hidden token or pointing at a secret reveals nothing; pings are meant to be seen.
     */
    private void relayLive(Message<JsonObject> message) {
        JsonObject body = message.body();
        String userId = message.headers().get(TrustedHeaders.USER_ID);
        RoomRole role =
                RoomRole.parse(message.headers().get(TrustedHeaders.ROOM_ROLE)).orElse(null);
        String op = body != null && body.getValue("op") instanceof String text ? text : null;
        if (userId == null
                || role == null
                || op == null
                || !LIVE_OPS.contains(op)
                || !finite(body.getValue("x"))
                || !finite(body.getValue("y"))) {
            fail(
                    message,
                    Failure.of(ErrorCode.BAD_REQUEST, "live messages are drag, ping or cursor with finite x and y"));
            return;
        }
        if (role == RoomRole.OBSERVER && !op.equals("cursor")) {
            fail(message, Failure.of(ErrorCode.FORBIDDEN, "observers watch; they do not play"));
            return;
        }
        String roomId = body.getString("room");
        JsonObject live = new JsonObject()
                .put("type", "live")
                .put("op", op)
                .put("from", userId)
                .put("name", message.headers().get(TrustedHeaders.USER_NAME))
                .put("x", ((Number) body.getValue("x")).doubleValue())
                .put("y", ((Number) body.getValue("y")).doubleValue());
        if (body.getValue("tokenId") instanceof String tokenId && StreamAddress.isId(tokenId))
            live.put("tokenId", tokenId);
        boolean gmOnly = role == RoomRole.GM && !op.equals("ping");
        vertx.eventBus().publish(gmOnly ? Addresses.roomGm(roomId) : Addresses.room(roomId), live);
        if (message.replyAddress() != null) message.reply(new JsonObject().put("ok", true));
    }

    private static boolean finite(Object value) {
        return value instanceof Number n && Double.isFinite(n.doubleValue()) && Math.abs(n.doubleValue()) <= 1_000_000;
    }

    private static void fail(Message<?> message, Failure failure) {
        message.fail(failure.code().httpStatus(), failure.encode());
    }
}
