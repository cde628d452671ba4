package io.vertable.map;

import io.vertable.kit.NodeContext;
import io.vertable.kit.ServiceVerticle;
import io.vertable.kit.bus.Departures;
import io.vertable.kit.bus.Replies;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room state. Each instance owns some rooms: asked to claim a room that has no owner, it takes the
 * room's cluster-wide lock, loads the room and answers on the room's owner address. Commands reach owners through
 * the bridge nodes' routers; on stop, every owned room is handed over after its pending writes.
 */
public final class MapVerticle extends ServiceVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(MapVerticle.class);
    private static final long SLOW_CLAIM_MS = 1_000;

    private final Map<String, Future<RoomOwner>> owned = new HashMap<>();
    /** Rooms this instance serves, as the node's meters and cluster view see them. */
    private AtomicInteger rooms;

    private static final long MOST_BETWEEN_IDLE_LOOKS_MS = 60_000;

    private DiceSeeds seeds;
    private long idleUnloadMs;
    private boolean stopping;

    public MapVerticle(NodeContext node) {
        super(VerticleName.MAP, node);
    }

    @Override
    protected Future<?> startService() {
        seeds = DiceSeeds.fromConfig(node.config().json());
        rooms = node.meters().roomsOf(deploymentID());
        unloadIdleRoomsNowAndThen();
        return consume(Addresses.MAP_CLAIM, this::claimRequested);
    }

    /** A room nobody used for {@code rooms.idleUnloadSeconds} is stored and let go. */
    private void unloadIdleRoomsNowAndThen() {
        idleUnloadMs = node.config().section("rooms").getInteger("idleUnloadSeconds") * 1000L;
        vertx.setPeriodic(Math.min(idleUnloadMs / 4, MOST_BETWEEN_IDLE_LOOKS_MS), id -> unloadIdleRooms());
    }

    /**
     * Stops taking claims first (so the rooms go to instances that keep running, not back here), hands every owned
     * room to another instance (pending writes finish first), then stops.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        long started = System.nanoTime();
        long[] withdrawnAt = new long[1];
        int handing = owned.size();
        return withdraw()
                .compose(withdrawn -> {
                    withdrawnAt[0] = System.nanoTime();
                    // A claim that reached this instance after it withdrew was dropped unanswered: its sender resends.
                    Departures.of(vertx.eventBus()).announce(node.nodeId(), List.of(Addresses.MAP_CLAIM));
                    return Future.all(new ArrayList<>(owned.values())
                            .stream()
                                    .map(claim -> claim.compose(owner -> owner.handOver(this::claimElsewhere))
                                            .recover(e -> Future.<Void>succeededFuture()))
                                    .toList());
                })
                .eventually(super::stop)
                .eventually(() -> {
                    node.meters().forget(deploymentID());
                    long now = System.nanoTime();
                    LOG.info(
                            "map instance stopped node={} deployment={} rooms={} withdrawMs={} handoverMs={}",
                            node.nodeId(),
                            deploymentID(),
                            handing,
                            (withdrawnAt[0] - started) / 1_000_000,
                            (now - withdrawnAt[0]) / 1_000_000);
                    return Future.succeededFuture();
                });
    }

    /** Asks another instance to take the room; this one refuses claims while stopping, so it is retried a few times. */
    private Future<JsonObject> claimElsewhere(String roomId) {
        return claimElsewhere(roomId, 0);
    }

    private Future<JsonObject> claimElsewhere(String roomId, int attempt) {
        return Departures.of(vertx.eventBus())
                .<JsonObject>requestResending(
                        Addresses.MAP_CLAIM,
                        new JsonObject().put("room", roomId),
                        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(Deadlines.CLAIM_MS),
                        Departures::refusedByHandler)
                .map(reply -> reply.body())
                .recover(e -> attempt >= 8
                        ? Future.failedFuture(e)
                        : vertx.timer(50L * (attempt + 1)).compose(t -> claimElsewhere(roomId, attempt + 1)));
    }

    private void claimRequested(Message<JsonObject> request) {
        String roomId = request.body() == null ? null : request.body().getString("room");
        if (!StreamAddress.isId(roomId)) {
            Replies.fail(request, Failure.of(ErrorCode.ROOM_REQUIRED, null));
            return;
        }
        if (stopping) {
            Replies.fail(request, Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "this instance is stopping"));
            return;
        }
        claim(roomId)
                .onSuccess(owner -> request.reply(
                        new JsonObject().put("owner", node.nodeId()).put("seq", owner.seq())))
                .onFailure(e -> Replies.fail(request, claimRefusal(e)));
    }

    /** The database being away is said as such, so the table pauses and re-sends instead of giving up. */
    private static Failure claimRefusal(Throwable e) {
        Failure failure = FailureException.from(e);
        return failure.code() == ErrorCode.STORE_UNAVAILABLE
                ? failure
                : Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "the room is owned or being claimed elsewhere");
    }

    /** Becomes the room's owner if nobody holds its lock; a claim in progress here is shared. */
    private Future<RoomOwner> claim(String roomId) {
        Future<RoomOwner> existing = owned.get(roomId);
        if (existing != null) return existing;
        long started = System.nanoTime();
        long[] lockedAt = new long[1];
        Future<RoomOwner> claim = Ownership.take(
                        vertx, roomId, node.nodeId() + "/" + deploymentID(), Deadlines.ROOM_LOCK_MS)
                .compose(ownership -> {
                    lockedAt[0] = System.nanoTime();
                    return RoomOwner.load(
                                    vertx,
                                    roomId,
                                    node.nodeId(),
                                    ownership,
                                    seeds,
                                    node.meters(),
                                    () -> released(roomId))
                            .onFailure(e -> ownership.release())
                            // An owner that cannot serve lets the room go itself, its addresses dropped first.
                            .compose(RoomOwner::serve)
                            .onSuccess(owner -> owned(owner, ownership));
                });
        claim.onComplete(done -> slowClaim(roomId, started, lockedAt[0], done.cause()));
        owned.put(roomId, claim);
        claim.onFailure(e -> owned.remove(roomId));
        return claim;
    }

    /** A claim that took long says which stage: waiting for the lock, or loading the room. */
    private void slowClaim(String roomId, long started, long lockedAt, Throwable failure) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (ms < SLOW_CLAIM_MS) return;
        LOG.warn(
                "room claim slow room={} node={} deployment={} lockMs={} loadMs={} totalMs={} failed={}",
                roomId,
                node.nodeId(),
                deploymentID(),
                lockedAt == 0 ? ms : (lockedAt - started) / 1_000_000,
                lockedAt == 0 ? 0 : (System.nanoTime() - lockedAt) / 1_000_000,
                ms,
                failure == null ? "no" : failure.getMessage());
    }

    /** Rooms nobody used for {@code rooms.idleUnloadSeconds} are let go, so an owner's memory follows its players. */
    private void unloadIdleRooms() {
        if (stopping) return;
        long cutoff = System.currentTimeMillis() - idleUnloadMs;
        for (Future<RoomOwner> claim : new ArrayList<>(owned.values())) {
            RoomOwner owner = claim.result();
            if (claim.succeeded() && owner.idleSince(cutoff)) owner.unload();
        }
    }

    private void owned(RoomOwner owner, Ownership ownership) {
        rooms.incrementAndGet();
        if (ownership.takenOver()) node.meters().failedOver();
        LOG.info(
                "room owned room={} node={} seq={} failover={}",
                owner.roomId(),
                node.nodeId(),
                owner.seq(),
                ownership.takenOver());
    }

    /** The owner let go (handed over or stepped down); counted once, however it ended. */
    private void released(String roomId) {
        if (owned.remove(roomId) != null) rooms.decrementAndGet();
    }
}
