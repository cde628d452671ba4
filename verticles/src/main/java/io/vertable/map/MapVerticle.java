package io.vertable.map;

import io.vertable.node.NodeContext;
import io.vertable.node.ServiceVerticle;
import io.vertable.shared.Addresses;
import io.vertable.shared.ErrorCode;
import io.vertable.shared.Failure;
import io.vertable.shared.RoomRole;
import io.vertable.shared.StreamAddress;
import io.vertable.shared.TrustedHeaders;
import io.vertable.shared.VerticleName;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room state (DESIGN §3, §5). Any instance takes a room's commands and hands them to the room's owner; when the room
 * has none, the instance claims it with a cluster-wide lock, loads it and becomes its owner. Ephemeral traffic
 * ({@code vtt.in.live}) is relayed at once and never stored.
 */
public final class MapVerticle extends ServiceVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(MapVerticle.class);
    static final String LOCK_PREFIX = "vtt.room-owner.";
    private static final long LOCK_WAIT_MS = 2_000;
    private static final long FORWARD_TIMEOUT_MS = 5_000;
    /** How long a command may wait for its room to get an owner (covers a dead owner's lock expiring). */
    private static final long ROUTE_DEADLINE_MS = 20_000;

    private static final Set<String> LIVE_OPS = Set.of("drag", "ping", "cursor");

    private final Map<String, Future<RoomOwner>> owned = new HashMap<>();

    public MapVerticle(NodeContext node) {
        super(VerticleName.MAP, node);
    }

    @Override
    protected Future<?> startService() {
        return consume(Addresses.IN_MAP, this::route)
                .compose(ok -> consume(Addresses.IN_ROOM, this::route))
                .compose(ok -> consume(Addresses.IN_LIVE, this::relayLive));
    }

    /** Hands every owned room over (pending writes finish first), then stops. */
    @Override
    public Future<?> stop() {
        List<Future<Void>> handovers = new java.util.ArrayList<>(owned.values())
                .stream()
                        .map(claim -> claim.compose(RoomOwner::handOver).recover(e -> Future.<Void>succeededFuture()))
                        .toList();
        return Future.all(handovers).eventually(super::stop);
    }

    // ---- routing ----

    private void route(Message<JsonObject> command) {
        JsonObject body = command.body();
        String roomId = body == null ? null : body.getString("room");
        if (!StreamAddress.isId(roomId)) {
            fail(command, Failure.of(ErrorCode.ROOM_REQUIRED, null));
            return;
        }
        forward(command, roomId, System.currentTimeMillis() + ROUTE_DEADLINE_MS);
    }

    private void forward(Message<JsonObject> command, String roomId, long deadline) {
        var options = new DeliveryOptions().setHeaders(command.headers()).setSendTimeout(FORWARD_TIMEOUT_MS);
        vertx.eventBus()
                .<JsonObject>request(Addresses.roomOwner(roomId), command.body(), options)
                .onSuccess(reply -> command.reply(reply.body()))
                .onFailure(e -> {
                    if (!retryable(e)) {
                        passOn(command, e);
                    } else if (System.currentTimeMillis() > deadline) {
                        fail(
                                command,
                                Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "the room has no owner right now; retry"));
                    } else {
                        claim(roomId)
                                .onComplete(claimed -> vertx.setTimer(
                                        claimed.succeeded() ? 1 : 100, id -> forward(command, roomId, deadline)));
                    }
                });
    }

    /** Not delivered at all, or refused by an owner that is stepping down: safe to send again. */
    private static boolean retryable(Throwable e) {
        if (!(e instanceof ReplyException reply)) return false;
        if (reply.failureType() == ReplyFailure.NO_HANDLERS) return true;
        return reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && reply.failureCode() == ErrorCode.SERVICE_UNAVAILABLE.httpStatus()
                && Failure.decode(reply.getMessage()).message().contains("retry");
    }

    /** Becomes the room's owner if nobody holds its lock; a claim in progress here is shared. */
    private Future<RoomOwner> claim(String roomId) {
        Future<RoomOwner> existing = owned.get(roomId);
        if (existing != null) return existing;
        Future<RoomOwner> claim = vertx.sharedData()
                .getLockWithTimeout(LOCK_PREFIX + roomId, LOCK_WAIT_MS)
                .compose(lock -> RoomOwner.load(vertx, roomId, node.nodeId(), lock, () -> owned.remove(roomId))
                        .onFailure(e -> lock.release()));
        owned.put(roomId, claim);
        claim.onSuccess(owner -> LOG.info("room owned room={} node={} seq={}", roomId, node.nodeId(), owner.seq()))
                .onFailure(e -> owned.remove(roomId));
        return claim;
    }

    /** For tests of the fence: becomes an owner without the lock, as a node on the wrong side of a split would. */
    Future<RoomOwner> claimWithoutLock(String roomId, io.vertx.core.shareddata.Lock fakeLock) {
        Future<RoomOwner> claim = RoomOwner.load(vertx, roomId, node.nodeId(), fakeLock, () -> owned.remove(roomId));
        owned.put(roomId, claim);
        return claim;
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
        String op = body == null ? null : body.getString("op");
        if (userId == null
                || role == null
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

    // ---- replies ----

    private static void passOn(Message<JsonObject> command, Throwable e) {
        if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            command.fail(reply.failureCode(), reply.getMessage());
        } else if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
            fail(command, Failure.of(ErrorCode.TIMEOUT, "the room did not answer in time; resync and retry"));
        } else {
            LOG.warn("room command failed: {}", e.getMessage());
            fail(command, Failure.of(ErrorCode.INTERNAL, null));
        }
    }

    private static void fail(Message<?> message, Failure failure) {
        message.fail(failure.code().httpStatus(), failure.encode());
    }

    Map<String, Future<RoomOwner>> owned() {
        return owned;
    }
}
