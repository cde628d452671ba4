package io.vertable.map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Lock;

/**
 * A room's cluster-wide lock (ADR 6) together with a record of who holds it. An owner that lets go on purpose erases
 * its record before releasing the lock; so a new owner that still finds one knows the previous owner left without
 * letting go (its node died): a failover, which operators count apart from handovers.
 */
final class Ownership implements Lock {

    static final String LOCK_PREFIX = "vtt.room-owner.";
    /** Cluster map room id → holder; entries survive a member's death (one backup), which is the point. */
    static final String HOLDERS = "vtt.room-holders";
    /** Node-local map room id → holder of the rooms this node's instances own. */
    static final String LOCAL_HOLDERS = "vertable.room-holders";

    private final Lock lock;
    private final AsyncMap<String, String> holders;
    private final LocalMap<String, String> local;
    private final String roomId;
    private final String holder;
    private final boolean takenOver;

    private Ownership(
            Lock lock,
            AsyncMap<String, String> holders,
            LocalMap<String, String> local,
            String roomId,
            String holder,
            boolean takenOver) {
        this.lock = lock;
        this.holders = holders;
        this.local = local;
        this.roomId = roomId;
        this.holder = holder;
        this.takenOver = takenOver;
    }

    /**
     * Takes the room's lock (waiting up to {@code waitMs}) and records {@code holder} as its owner.
     *
     * <p>Hazelcast's map locks belong to a thread, and Vert.x takes them on any worker thread of the node: a second
     * instance of the same node whose claim runs on the thread that took the lock for the first gets it again,
     * and two owners would serve the room until the log's fence stops one. So a node also keeps its owned rooms in a
     * local map; a claim that finds its room there did not really get the lock, and must not release it either.
     */
    static Future<Ownership> take(Vertx vertx, String roomId, String holder, long waitMs) {
        return lock(vertx, roomId, System.currentTimeMillis() + waitMs, 0).compose(lock -> {
            LocalMap<String, String> local = vertx.sharedData().getLocalMap(LOCAL_HOLDERS);
            if (local.putIfAbsent(roomId, holder) != null) {
                return Future.failedFuture("the room is owned by another instance of this node");
            }
            return vertx.sharedData()
                    .<String, String>getAsyncMap(HOLDERS)
                    .compose(holders -> holders.get(roomId).compose(previous -> holders.put(roomId, holder)
                            .map(recorded -> new Ownership(lock, holders, local, roomId, holder, previous != null))))
                    .onFailure(e -> {
                        local.remove(roomId, holder);
                        lock.release();
                    });
        });
    }

    /**
     * The room's lock, tried without waiting and tried again on a timer until the deadline. Waiting inside Hazelcast
     * would hold a worker thread for the whole wait; during a rescale dozens of claims waited at once, filled the
     * worker pool, and queued claims behind them stalled rooms for seconds after their lock was already free.
     */
    private static Future<Lock> lock(Vertx vertx, String roomId, long deadline, int attempt) {
        LocalMap<String, String> local = vertx.sharedData().getLocalMap(LOCAL_HOLDERS);
        // Owned by another instance of this node: not ours to take until it lets go, so do not even ask Hazelcast.
        Future<Lock> tried = local.containsKey(roomId)
                ? Future.failedFuture("the room is owned by another instance of this node")
                // 1 ms, not 0: a standalone node's local locks refuse a timer of 0.
                : vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + roomId, 1);
        return tried.recover(e -> {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return Future.failedFuture(e);
            long pause = Math.min(left, Math.min(RETRY_MAX_MS, RETRY_FIRST_MS << Math.min(attempt, 4)));
            return vertx.timer(pause).compose(t -> lock(vertx, roomId, deadline, attempt + 1));
        });
    }

    private static final long RETRY_FIRST_MS = 5;
    private static final long RETRY_MAX_MS = 80;

    /** The previous owner never let go: this ownership is a failover. */
    boolean takenOver() {
        return takenOver;
    }

    /**
     * Erases this holder's record (a newer owner's is left alone), and only then releases the lock: whoever takes the
     * room next finds no record of a graceful owner.
     */
    @Override
    public void release() {
        letGo();
    }

    /** {@link #release()}, completed once the lock is free for the next owner (its Hazelcast unlock is queued). */
    Future<Void> letGo() {
        return holders.removeIfPresent(roomId, holder).transform(erased -> {
            local.remove(roomId, holder);
            lock.release();
            return Future.<Void>succeededFuture();
        });
    }

    /** Releases a room's lock and tells when it is free: an {@link Ownership} after its record is erased. */
    static Future<Void> letGo(Lock lock) {
        if (lock instanceof Ownership ownership) return ownership.letGo();
        lock.release();
        return Future.succeededFuture();
    }
}
