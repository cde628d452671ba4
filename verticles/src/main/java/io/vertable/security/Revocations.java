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
 * Revoked session tokens. Redis holds them for the whole cluster until they would have expired anyway; every node
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

    /** Revokes a token everywhere and tells every bridge to close the sockets it opened. */
    public Future<Void> revoke(Identity identity) {
        remember(identity.tokenId(), identity.expiresAt());
        vertx.eventBus()
                .publish(
                        Addresses.BRIDGE_CONTROL,
                        new JsonObject()
                                .put("type", "revoked")
                                .put("jti", identity.tokenId())
                                .put("userId", identity.userId())
                                .put("exp", identity.expiresAt()));
        if (redis == null) return Future.succeededFuture();
        long ttlMs = Math.max(1000, identity.expiresAt() * 1000 - System.currentTimeMillis());
        return redis.set(List.of(key(identity.tokenId()), "1", "PX", Long.toString(ttlMs)))
                .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture()); // the bus broadcast still reached every running node
    }

    /** Records a revocation heard on the bus. */
    public void remember(String tokenId, long expiresAtSeconds) {
        known.put(tokenId, expiresAtSeconds);
        if (known.size() > 100_000) known.keySet().removeIf(id -> known.get(id) * 1000 < System.currentTimeMillis());
    }

    public Future<Boolean> isRevoked(String tokenId) {
        if (tokenId == null || known.containsKey(tokenId)) return Future.succeededFuture(true);
        if (redis == null) return Future.succeededFuture(false);
        return redis.exists(List.of(key(tokenId)))
                .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(r -> r.toInteger() > 0)
                .recover(e -> Future.succeededFuture(false));
    }

    private static String key(String tokenId) {
        return "vtt:revoked:" + tokenId;
    }
}
