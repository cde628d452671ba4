package io.vertable.security;

import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.BridgeControl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/**
 * What a door verticle (http, bridge) needs to decide who is calling and how often: one Redis client, rate limits,
 * revocations (also learned from the bus) and tokens. One per verticle instance; {@link #close()} in stop().
 */
public final class Security {

    private final Redis redis;
    private final RedisAPI redisApi;
    private final RateLimiter limiter;
    private final Tokens tokens;
    private final Revocations revocations;
    private final MessageConsumer<JsonObject> revocationListener;

    private Security(Vertx vertx, JsonObject config) {
        JsonObject redisConfig = config.getJsonObject("redis");
        String url = redisConfig.getString("url");
        this.redis = url.isEmpty() ? null : Redis.createClient(vertx, redisOptions(redisConfig));
        this.redisApi = redis == null ? null : RedisAPI.api(redis);
        this.limiter = new RateLimiter(vertx, redisApi);
        this.revocations =
                new Revocations(vertx, redisApi, config.getJsonObject("node").getString("id"));
        this.tokens = new Tokens(vertx, config, revocations);
        this.revocationListener = vertx.eventBus().consumer(Addresses.BRIDGE_CONTROL, message -> {
            BridgeControl.fromJson(message.body())
                    .filter(control -> control.type() == BridgeControl.Type.REVOKED)
                    .ifPresent(control -> revocations.remember(control.sessionId(), control.until()));
        });
    }

    /**
     * A burst of requests waits for a pooled connection (up to {@code redis.poolWaiting} of them) instead of failing
     * at once; each caller bounds its own wait.
     */
    static RedisOptions redisOptions(JsonObject redis) {
        return new RedisOptions()
                .setConnectionString(redis.getString("url"))
                .setMaxPoolSize(redis.getInteger("poolSize"))
                .setMaxPoolWaiting(redis.getInteger("poolWaiting"));
    }

    /** Builds the kit on the calling verticle's context: listening for revocations first, then loading the stored. */
    public static Future<Security> create(Vertx vertx, JsonObject config) {
        Security security = new Security(vertx, config);
        return security.revocationListener
                .completion()
                .compose(listening -> security.revocations.load())
                .map(loaded -> security);
    }

    /** Null when no Redis is configured. */
    public RedisAPI redis() {
        return redisApi;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    public Tokens tokens() {
        return tokens;
    }

    public Future<Void> close() {
        revocations.close();
        return revocationListener
                .unregister()
                .eventually(() -> redis == null ? Future.succeededFuture() : redis.close());
    }
}
