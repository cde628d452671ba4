package io.vertable.security;

import io.vertable.shared.wire.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide token buckets in Redis (one Lua script, Redis's own clock), shared by every node, and the same limit
 * per node in memory. Every request takes from both: the node's bucket is always current, so when Redis fails or is
 * slow its answer stands alone and nothing refills because of the failure (the node keeps serving instead of locking
 * everyone out; readiness reports Redis as down meanwhile).
 */
public final class RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
    private static final long REDIS_TIMEOUT_MS = Deadlines.REDIS_CALL_MS;

    /** KEYS[1] bucket; ARGV rate/s, burst. Returns {allowed, retryAfterMs}. */
    static final String SCRIPT = String.join(
            "\n",
            "local t = redis.call('TIME')",
            "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)",
            "local rate = tonumber(ARGV[1]) / 1000",
            "local burst = tonumber(ARGV[2])",
            "local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')",
            "local tokens = tonumber(b[1]) or burst",
            "local at = tonumber(b[2]) or now",
            "tokens = math.min(burst, tokens + math.max(0, now - at) * rate)",
            "local allowed, wait = 0, 0",
            "if tokens >= 1 then tokens = tokens - 1; allowed = 1",
            "else wait = math.ceil((1 - tokens) / rate) end",
            "redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))",
            "redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)",
            "return {allowed, wait}");

    /** The answer: allowed, or refused with how long to wait. */
    public record Decision(boolean allowed, long retryAfterMs) {
        static final Decision ALLOW = new Decision(true, 0);
    }

    /** A named limit: how fast it refills and how much it lets through at once. */
    public record Limit(String name, double ratePerSecond, int burst) {
        public static Limit perMinute(String name, int count) {
            return new Limit(name, count / 60.0, count);
        }

        public static Limit perHour(String name, int count) {
            return new Limit(name, count / 3600.0, count);
        }
    }

    private final Vertx vertx;
    private final RedisAPI redis;
    private final LocalBuckets local;
    private String scriptSha;
    private boolean degraded;

    /** @param redis null for local limits only */
    public RateLimiter(Vertx vertx, RedisAPI redis) {
        this.vertx = vertx;
        this.redis = redis;
        this.local = LocalBuckets.of(vertx);
    }

    /** Takes one token from {@code limit} for {@code subject} (a user id, an IP, a username). */
    public Future<Decision> take(Limit limit, String subject) {
        String key = "vtt:rl:" + limit.name() + ":" + subject;
        Decision here = takeLocal(key, limit);
        if (redis == null || !here.allowed()) return Future.succeededFuture(here);
        return inRedis(key, limit)
                .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(this::recovered)
                .recover(e -> Future.succeededFuture(fallBack(here, e)));
    }

    private Future<Decision> inRedis(String key, Limit limit) {
        List<String> args = List.of(Double.toString(limit.ratePerSecond()), Integer.toString(limit.burst()));
        Future<Response> answer;
        if (scriptSha == null) {
            answer = redis.script(List.of("LOAD", SCRIPT)).compose(sha -> {
                scriptSha = sha.toString();
                return redis.evalsha(concat(scriptSha, key, args));
            });
        } else {
            answer = redis.evalsha(concat(scriptSha, key, args)).recover(e -> {
                if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) scriptSha = null;
                return Future.failedFuture(e);
            });
        }
        return answer.map(r -> r.get(0).toInteger() == 1
                ? Decision.ALLOW
                : new Decision(false, r.get(1).toLong()));
    }

    private static List<String> concat(String sha, String key, List<String> args) {
        return List.of(sha, "1", key, args.get(0), args.get(1));
    }

    private Decision recovered(Decision decision) {
        if (degraded) {
            degraded = false;
            LOG.info("rate limits back on Redis");
        }
        return decision;
    }

    /** The node's own decision, already taken from its bucket before Redis was asked. */
    private Decision fallBack(Decision here, Throwable cause) {
        if (!degraded) {
            degraded = true;
            LOG.warn("rate limits fall back to this node's memory: Redis failed ({})", cause.getMessage());
        }
        return here;
    }

    /** A limit in this node's memory only: for things that live on one node anyway (a socket). */
    public Decision takeLocal(String key, Limit limit) {
        long wait = local.take(key, limit.ratePerSecond(), limit.burst(), System.currentTimeMillis());
        return wait == 0 ? Decision.ALLOW : new Decision(false, wait);
    }

    public void forgetLocal(String key) {
        local.forget(key);
    }

    public static JsonObject retryHint(Decision decision) {
        return new JsonObject().put("retryAfterMs", decision.retryAfterMs());
    }

    Vertx vertx() {
        return vertx;
    }
}
