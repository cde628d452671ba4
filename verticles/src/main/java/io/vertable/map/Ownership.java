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
        LocalMap<String, String> local = vertx.sharedData().getLocalMap(LOCAL_HOLDERS);
        // Owned here already: say so at once rather than hold a worker thread waiting for a lock we cannot get.
        if (local.containsKey(roomId)) return Future.failedFuture("the room is owned by another instance of this node");
        return vertx.sharedData()
                .getLockWithTimeout(LOCK_PREFIX + roomId, waitMs)
                .compose(lock -> {
                    if (local.putIfAbsent(roomId, holder) != null) {
                        return Future.failedFuture("the room is owned by another instance of this node");
                    }
                    return vertx.sharedData()
                            .<String, String>getAsyncMap(HOLDERS)
                            .compose(holders -> holders.get(roomId).compose(previous -> holders.put(roomId, holder)
                                    .map(recorded ->
                                            new Ownership(lock, holders, local, roomId, holder, previous != null))))
                            .onFailure(e -> {
                                local.remove(roomId, holder);
                                lock.release();
                            });
                });
    }

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
        holders.removeIfPresent(roomId, holder).onComplete(erased -> {
            local.remove(roomId, holder);
            lock.release();
        });
    }
}
