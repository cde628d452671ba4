package io.vertable.map;

import io.vertable.kit.Bounded;
import io.vertable.shared.wire.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Lock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's cluster-wide lock (ADR 6) together with a record of who holds it. An owner that lets go on purpose erases
 * its record before releasing the lock; so a new owner that still finds one knows the previous owner left without
 * letting go (its node died): a failover, which operators count apart from handovers.
 */
final class Ownership implements Lock {

    private static final Logger LOG = LoggerFactory.getLogger(Ownership.class);

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
     * Takes the room's lock (trying for {@code waitMs}) and records {@code holder} as its owner; done, one way or the
     * other, by {@code waitMs} plus {@link Deadlines#ROOM_CLAIM_GRACE_MS}, however long a Hazelcast call hangs (one
     * lock attempt once hung for 94 s after a clock step half-split the cluster, and the room had no owner meanwhile).
     * A lock or record that arrives after the claim gave up is handed back at once.
     *
     * <p>Hazelcast's map locks belong to a thread, and Vert.x takes them on any worker thread of the node: a second
     * instance of the same node whose claim runs on the thread that took the lock for the first gets it again,
     * and two owners would serve the room until the log's fence stops one. So a node also keeps its owned rooms in a
     * local map; a claim that finds its room there did not really get the lock, and must not release it either.
     */
    static Future<Ownership> take(Vertx vertx, String roomId, String holder, long waitMs) {
        Claim claim = new Claim(vertx, roomId, holder, waitMs);
        return claim.lock(0).compose(claim::record);
    }

    /** One claim of a room: its deadlines, and what it hands back when Hazelcast answers after them. */
    private static final class Claim {

        private final Vertx vertx;
        private final String roomId;
        private final String holder;
        private final LocalMap<String, String> local;
        private final long startedNs;
        /** No lock attempt starts after this. */
        private final long lastTryNs;
        /** Every call of the claim is answered by this, or the claim has failed. */
        private final long deadlineNs;

        Claim(Vertx vertx, String roomId, String holder, long waitMs) {
            this.vertx = vertx;
            this.roomId = roomId;
            this.holder = holder;
            this.local = vertx.sharedData().getLocalMap(LOCAL_HOLDERS);
            this.startedNs = System.nanoTime();
            this.lastTryNs = startedNs + TimeUnit.MILLISECONDS.toNanos(waitMs);
            this.deadlineNs = lastTryNs + TimeUnit.MILLISECONDS.toNanos(Deadlines.ROOM_CLAIM_GRACE_MS);
        }

        /**
         * The room's lock, tried without waiting and tried again on a timer until the last try. Waiting inside
         * Hazelcast would hold a worker thread for the whole wait; during a rescale dozens of claims waited at once,
         * filled the worker pool, and queued claims behind them stalled rooms for seconds after their lock was free.
         */
        Future<Lock> lock(int attempt) {
            // Owned by another instance of this node: not ours to take until it lets go, so do not even ask Hazelcast.
            Future<Lock> tried = local.containsKey(roomId)
                    ? Future.failedFuture(OWNED_HERE)
                    // 1 ms, not 0: a standalone node's local locks refuse a timer of 0.
                    : Bounded.within(
                            vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + roomId, 1), msLeft(), this::lateLock);
            return tried.recover(e -> {
                if (Bounded.overran(e)) return gaveUp("lock", e);
                long left = TimeUnit.NANOSECONDS.toMillis(lastTryNs - System.nanoTime());
                if (left <= 0) return Future.failedFuture(e);
                long pause = Math.min(left, Math.min(RETRY_MAX_MS, RETRY_FIRST_MS << Math.min(attempt, 4)));
                return vertx.timer(pause).compose(t -> lock(attempt + 1));
            });
        }

        /** Records the holder; a claim that fails here gives the lock back (unless it was another instance's). */
        Future<Ownership> record(Lock lock) {
            if (local.putIfAbsent(roomId, holder) != null) return Future.failedFuture(OWNED_HERE);
            return Bounded.within(vertx.sharedData().<String, String>getAsyncMap(HOLDERS), msLeft(), unused -> {})
                    .compose(holders -> Bounded.within(holders.get(roomId), msLeft(), unused -> {})
                            .compose(previous -> Bounded.within(
                                            holders.put(roomId, holder), msLeft(), put -> lateRecord(holders))
                                    .map(put -> new Ownership(lock, holders, local, roomId, holder, previous != null))))
                    .recover(e -> Bounded.overran(e) ? gaveUp("record", e) : Future.failedFuture(e))
                    .onFailure(e -> {
                        local.remove(roomId, holder);
                        lock.release();
                    });
        }

        private long msLeft() {
            return TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
        }

        private long msSinceStart() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs);
        }

        private <T> Future<T> gaveUp(String stage, Throwable e) {
            LOG.warn("room claim gave up room={} holder={} stage={} afterMs={}", roomId, holder, stage, msSinceStart());
            return Future.failedFuture(e);
        }

        /**
         * A lock that came after the claim gave up is released at once, so the room is free for the next claim. Unless
         * an instance of this node owns the room now: then this was a re-entry of its lock (see {@link #take}), and
         * releasing it would free theirs.
         */
        private void lateLock(Lock lock) {
            String owner = local.get(roomId);
            if (owner != null) {
                LOG.warn(
                        "room lock came late, kept by this node's owner room={} holder={} owner={} afterMs={}",
                        roomId,
                        holder,
                        owner,
                        msSinceStart());
                return;
            }
            lock.release();
            LOG.warn("room lock came late, released room={} holder={} afterMs={}", roomId, holder, msSinceStart());
        }

        /**
         * A record written after the claim gave up (and released the lock) is erased, so a later owner does not take
         * it for a previous owner's. Left alone if this holder owns the room again meanwhile: the record is right.
         */
        private void lateRecord(AsyncMap<String, String> holders) {
            if (holder.equals(local.get(roomId))) return;
            holders.removeIfPresent(roomId, holder);
            LOG.warn("room record came late, erased room={} holder={} afterMs={}", roomId, holder, msSinceStart());
        }
    }

    private static final String OWNED_HERE = "the room is owned by another instance of this node";
    private static final long RETRY_FIRST_MS = 5;
    private static final long RETRY_MAX_MS = 80;

    /** Who holds the room ({@code node/deployment}), as the log lines name it. */
    String holder() {
        return holder;
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
        letGo();
    }

    /** {@link #release()}, completed once the lock is free for the next owner (its Hazelcast unlock is queued). */
    Future<Void> letGo() {
        // A hanging erasure must not keep the lock: at worst the next owner counts a failover that was a handover.
        return Bounded.within(holders.removeIfPresent(roomId, holder), Deadlines.ROOM_CLAIM_GRACE_MS, erased -> {})
                .transform(erased -> {
                    if (erased.failed() && Bounded.overran(erased.cause())) {
                        LOG.warn("room record not erased in time, lock released room={} holder={}", roomId, holder);
                    }
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
