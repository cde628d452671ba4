package io.vertable.security;

import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.BridgeControl;
import io.vertable.shared.wire.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revoked sessions (every token of a session dies with it). Redis keeps them for the cluster until they would have
 * expired anyway; every node answers from its own replica, loaded whole from Redis at start and kept current by the
 * bus broadcast each revocation sends. A token check therefore never waits on Redis, and a busy or unreachable Redis
 * cannot let a revoked token through. A node that starts while Redis is unreachable knows only what the bus brings
 * (readiness says DEGRADED) and keeps trying to load the rest. The replica is scanned again now and then, so a
 * broadcast this node missed (it was joining, the bus was split) is learned from Redis all the same; after a failed
 * scan the next comes as soon as Redis is back.
 */
public final class Revocations {

    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);
    private static final long REDIS_TIMEOUT_MS = Deadlines.REDIS_CALL_MS;
    private static final long LOAD_TIMEOUT_MS = 10_000;
    private static final long LOAD_RETRY_MS = 5_000;
    /** How often a loaded replica is checked against Redis for revocations whose broadcast it missed. */
    static final long RESCAN_MS = 60_000;

    private static final String PREFIX = "vtt:revoked:";
    private static final int SCAN_BATCH = 1_000;

    private final Vertx vertx;
    private final RedisAPI redis;
    private final String nodeId;
    private final LocalMap<String, Long> known;
    private final long rescanMs;
    private long retryTimer = -1;
    private boolean closed;
    /** Whether the last scan succeeded: a failure is logged once per outage, and so is the recovery. */
    private boolean scanning;

    public Revocations(Vertx vertx, RedisAPI redis, String nodeId) {
        this(vertx, redis, nodeId, RESCAN_MS);
    }

    Revocations(Vertx vertx, RedisAPI redis, String nodeId, long rescanMs) {
        this.vertx = vertx;
        this.redis = redis;
        this.nodeId = nodeId;
        this.rescanMs = rescanMs;
        this.known = vertx.sharedData().getLocalMap("vtt.revoked-tokens");
    }

    /**
     * Revokes a session everywhere and tells every bridge to close its sockets. Kept until the session could no longer
     * be refreshed, so no token of it ever works again.
     */
    public Future<Void> revoke(Identity identity) {
        return revoke(identity.userId(), identity.sessionId(), identity.sessionStart() + Tokens.MAX_SESSION_SECONDS);
    }

    /**
     * Ends every session of a user that began up to now (a guest whose browsers the GM signed out): their tokens are
     * refused from now on, refreshed ones too (a refresh keeps the session's start), and their sockets close. Kept as
     * one entry under {@link #userKey}, until the last of those sessions could have expired.
     */
    public Future<Void> revokeUser(String userId) {
        return revoke(userId, userKey(userId), System.currentTimeMillis() / 1000 + Tokens.MAX_SESSION_SECONDS);
    }

    /** The entry that ends a user's sessions begun up to {@code until - MAX_SESSION_SECONDS}; no session id has ':'. */
    public static String userKey(String userId) {
        return "user:" + userId;
    }

    /** Whether a user-wide revocation heard as {@code (sessionId, until)} covers a session begun at {@code start}. */
    public static boolean endsSession(String sessionId, long until, String userId, long start) {
        return userKey(userId).equals(sessionId) && start <= until - Tokens.MAX_SESSION_SECONDS;
    }

    private Future<Void> revoke(String userId, String sessionId, long until) {
        remember(sessionId, until);
        vertx.eventBus()
                .publish(
                        Addresses.BRIDGE_CONTROL,
                        BridgeControl.revoked(userId, sessionId, until).toJson());
        if (redis == null) return Future.succeededFuture();
        long ttlMs = Math.max(1000, until * 1000 - System.currentTimeMillis());
        return redis.set(List.of(key(sessionId), Long.toString(until), "PX", Long.toString(ttlMs)))
                .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .<Void>mapEmpty()
                .recover(e -> {
                    // Every running node heard the broadcast; only a node starting later misses this one.
                    LOG.warn("revocation not stored in Redis node={} user={}: {}", nodeId, userId, e.getMessage());
                    return Future.succeededFuture();
                });
    }

    /** Records a revocation heard on the bus (a later user-wide one wins); forgets ones past their end now and then. */
    public void remember(String sessionId, long untilSeconds) {
        if (sessionId == null) return;
        known.merge(sessionId, untilSeconds, Math::max);
        if (known.size() % 1_000 == 0) forgetEnded();
    }

    private void forgetEnded() {
        long now = System.currentTimeMillis() / 1000;
        for (String id : new ArrayList<>(known.keySet())) {
            Long end = known.get(id);
            if (end != null && end < now) known.remove(id);
        }
    }

    /** Answered from this node's replica: never waits on Redis, never fails open. */
    public Future<Boolean> isRevoked(String sessionId) {
        return Future.succeededFuture(sessionId == null || known.containsKey(sessionId));
    }

    /** The session itself, or every session of its user begun before a user-wide revocation. */
    public Future<Boolean> isRevoked(Identity identity) {
        Long userWide = known.get(userKey(identity.userId()));
        boolean ended = userWide != null
                && endsSession(userKey(identity.userId()), userWide, identity.userId(), identity.sessionStart());
        return ended ? Future.succeededFuture(true) : isRevoked(identity.sessionId());
    }

    /**
     * Loads every stored revocation into the replica, then scans again every {@link #RESCAN_MS}. Call after the bus
     * listener is registered, so none falls between the two. Completes either way: when Redis does not answer, retries
     * in the background until it does.
     */
    public Future<Void> load() {
        if (redis == null) return Future.succeededFuture();
        boolean first = retryTimer < 0;
        int before = known.size();
        return scan("0", 0)
                .timeout(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .onSuccess(count -> scanned(first, count, known.size() - before))
                .<Void>mapEmpty()
                .recover(e -> {
                    if (scanning || first) {
                        LOG.warn(
                                "revocations not loaded node={}: Redis failed ({}); only broadcast ones are known,"
                                        + " retrying",
                                nodeId,
                                e.getMessage());
                    }
                    scanning = false;
                    scanAgainIn(LOAD_RETRY_MS);
                    return Future.succeededFuture();
                });
    }

    private void scanned(boolean first, int stored, int learned) {
        if (first || !scanning) {
            LOG.info("revocations loaded node={} sessions={}", nodeId, stored);
        } else if (learned > 0) {
            LOG.info(
                    "revocations learned from Redis node={} sessions={} (their broadcast was missed)", nodeId, learned);
        }
        scanning = true;
        scanAgainIn(rescanMs);
    }

    private void scanAgainIn(long delayMs) {
        if (!closed) retryTimer = vertx.setTimer(delayMs, id -> load());
    }

    private Future<Integer> scan(String cursor, int loaded) {
        return redis.scan(List.of(cursor, "MATCH", PREFIX + "*", "COUNT", Integer.toString(SCAN_BATCH)))
                .compose(page -> {
                    String next = page.get(0).toString();
                    List<String> keys = new ArrayList<>();
                    for (Response key : page.get(1)) keys.add(key.toString());
                    return store(keys)
                            .compose(stored -> "0".equals(next)
                                    ? Future.succeededFuture(loaded + stored)
                                    : scan(next, loaded + stored));
                });
    }

    private Future<Integer> store(List<String> keys) {
        if (keys.isEmpty()) return Future.succeededFuture(0);
        return redis.mget(keys).map(values -> {
            long fallback = System.currentTimeMillis() / 1000 + Tokens.MAX_SESSION_SECONDS;
            for (int i = 0; i < keys.size(); i++) {
                Response value = values.get(i);
                if (value == null) continue; // expired between SCAN and MGET
                // A later end heard on the bus wins over an older stored one (its own store may have failed).
                known.merge(keys.get(i).substring(PREFIX.length()), untilOf(value.toString(), fallback), Math::max);
            }
            return keys.size();
        });
    }

    /** The stored end of a revocation; entries from before ends were stored count as lasting the longest session. */
    private static long untilOf(String value, long fallback) {
        try {
            long until = Long.parseLong(value);
            return until > 1_000_000_000L ? until : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public void close() {
        closed = true;
        if (retryTimer >= 0) vertx.cancelTimer(retryTimer);
    }

    private static String key(String sessionId) {
        return PREFIX + sessionId;
    }
}
