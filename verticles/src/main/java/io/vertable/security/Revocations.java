package io.vertable.security;

import io.vertable.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Revoked sessions (every token of a session dies with it). Redis holds them for the whole cluster until they would have expired anyway; every node
 * also keeps the ones it heard of on the bus, so a revocation holds even while Redis is unreachable.
 */
public final class Revocations {

    private static final long REDIS_TIMEOUT_MS = 250;

    private final Vertx vertx;
    private final RedisAPI redis;
    private final LocalMap<String, Long> known;

    public Revocations(Vertx vertx, RedisAPI redis) {
        this.vertx = vertx;
        this.redis = redis;
        this.known = vertx.sharedData().getLocalMap("vtt.revoked-tokens");
    }

    /**
     * Revokes a session everywhere and tells every bridge to close its sockets. Kept until the session could no longer
     * be refreshed, so no token of it ever works again.
     */
    public Future<Void> revoke(Identity identity) {
        long until = identity.sessionStart() + Tokens.MAX_SESSION_SECONDS;
        remember(identity.sessionId(), until);
        vertx.eventBus()
                .publish(
                        Addresses.BRIDGE_CONTROL,
                        new JsonObject()
                                .put("type", "revoked")
                                .put("sid", identity.sessionId())
                                .put("userId", identity.userId())
                                .put("until", until));
        if (redis == null) return Future.succeededFuture();
        long ttlMs = Math.max(1000, until * 1000 - System.currentTimeMillis());
        return redis.set(List.of(key(identity.sessionId()), "1", "PX", Long.toString(ttlMs)))
                .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture()); // the bus broadcast still reached every running node
    }

    /** Records a revocation heard on the bus; forgets ones past their end now and then. */
    public void remember(String sessionId, long untilSeconds) {
        known.put(sessionId, untilSeconds);
        if (known.size() % 1_000 == 0) {
            long now = System.currentTimeMillis() / 1000;
            for (String id : new java.util.ArrayList<>(known.keySet())) {
                Long end = known.get(id);
                if (end != null && end < now) known.remove(id);
            }
        }
    }

    public Future<Boolean> isRevoked(String sessionId) {
        if (sessionId == null || known.containsKey(sessionId)) return Future.succeededFuture(true);
        if (redis == null) return Future.succeededFuture(false);
        return redis.exists(List.of(key(sessionId)))
                .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(r -> r.toInteger() > 0)
                .recover(e -> Future.succeededFuture(false));
    }

    private static String key(String sessionId) {
        return "vtt:revoked:" + sessionId;
    }
}
