package io.vertable.security;

import io.vertable.shared.wire.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * KEYS[1] bucket (the same as {@link #SCRIPT}'s); ARGV rate/s, burst, wanted. Takes up to {@code wanted} whole
     * tokens at once. Returns {granted, retryAfterMs}.
     */
    static final String LEASE_SCRIPT = String.join(
            "\n",
            "local t = redis.call('TIME')",
            "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)",
            "local rate = tonumber(ARGV[1]) / 1000",
            "local burst = tonumber(ARGV[2])",
            "local wanted = tonumber(ARGV[3])",
            "local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')",
            "local tokens = tonumber(b[1]) or burst",
            "local at = tonumber(b[2]) or now",
            "tokens = math.min(burst, tokens + math.max(0, now - at) * rate)",
            "local granted, wait = math.min(wanted, math.floor(tokens)), 0",
            "if granted >= 1 then tokens = tokens - granted",
            "else granted = 0; wait = math.ceil((1 - tokens) / rate) end",
            "redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))",
            "redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)",
            "return {granted, wait}");

    /** How much of a limit's rate one lease covers: a node asks Redis about once per this long per busy subject. */
    static final long LEASE_MS = 100;

    /**
     * How long a lease's last unused token stays usable: longer than the gap between a steady sender's frames (a drag
     * sends a few a second), so its next frame need not wait for Redis; short enough that a node holds little.
     */
    static final long KEEP_MS = 1_000;

    /** Leases held for subjects no longer busy are dropped once there are this many. */
    private static final int MAX_LEASES = 10_000;

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
    private String leaseSha;
    /** Tokens this instance took from Redis ahead of use, by bucket key. Touched on its verticle's event loop only. */
    private final Map<String, Lease> leases = new HashMap<>();

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

    /**
     * Like {@link #take}, but tokens come from a lease this instance took from the cluster-wide bucket ahead of use (a
     * tenth of a second of the limit's rate, at most a quarter of its burst): Redis is asked about once a lease instead
     * of once a call. Leased tokens are out of the shared bucket. A lease's unused tokens lapse after {@link #LEASE_MS}
     * except one, kept up to {@link #KEEP_MS}; and when a call takes a lease's last token, the next lease is asked for
     * at once, without that call waiting for it. So a subject sending steadily, even a player dragging twice a second,
     * is decided without a Redis round trip on its path. Bounds: over any span the cluster lets through at most what
     * the shared bucket gave in that span and the {@link #LEASE_MS} before it, plus one kept token per node; a subject
     * busy on {@code k} nodes may be refused up to {@code k × lease} tokens early. A lease of one is {@link #take}
     * itself.
     */
    public Future<Decision> takeLeased(Limit limit, String subject) {
        int size = leaseSize(limit);
        if (redis == null || size <= 1) return take(limit, subject);
        String key = "vtt:rl:" + limit.name() + ":" + subject;
        Decision here = takeLocal(key, limit);
        if (!here.allowed()) return Future.succeededFuture(here);
        return fromLease(key, limit, size, here);
    }

    static int leaseSize(Limit limit) {
        double perLease = Math.floor(limit.ratePerSecond() * LEASE_MS / 1000.0);
        return (int) Math.max(1, Math.min(limit.burst() / 4.0, perLease));
    }

    /** Tokens taken from Redis ahead of use: how many are left, until when, and the request for more in flight. */
    private static final class Lease {
        int tokens;
        /** Until when all {@link #tokens} may be used ... */
        long expiresAt;
        /** ... and until when the last one may. */
        long keptUntil;

        Future<Decision> asking;
        /** The last request for tokens went unanswered (Redis failed or timed out). */
        boolean unanswered;

        /** Takes a token if one is usable now. */
        boolean take(long now) {
            if (now >= expiresAt) tokens = now < keptUntil ? Math.min(tokens, 1) : 0;
            if (tokens == 0) return false;
            tokens--;
            return true;
        }

        void granted(int count, long now) {
            tokens = count;
            expiresAt = now + LEASE_MS;
            keptUntil = now + KEEP_MS;
        }
    }

    /** Requests for a lease sent to Redis (for tests). */
    int leaseRequests;

    private Future<Decision> fromLease(String key, Limit limit, int size, Decision here) {
        Lease lease = leases.computeIfAbsent(key, k -> new Lease());
        if (lease.asking != null)
            return lease.asking.compose(asked -> afterWaiting(lease, asked, key, limit, size, here));
        if (lease.take(System.currentTimeMillis())) {
            if (lease.tokens == 0) askAhead(lease, key, limit, size, here);
            return Future.succeededFuture(Decision.ALLOW);
        }
        return ask(lease, key, limit, size, here, true);
    }

    /**
     * Asks for the next lease while the call that took the last token goes on: calls arriving before the answer wait
     * for it as for any request in flight.
     */
    private void askAhead(Lease lease, String key, Limit limit, int size, Decision here) {
        ask(lease, key, limit, size, here, false);
    }

    /** @param forCaller whether the first granted token is the caller's (else all go to the lease) */
    private Future<Decision> ask(Lease lease, String key, Limit limit, int size, Decision here, boolean forCaller) {
        leaseRequests++;
        Future<Decision> asking = leaseInRedis(key, limit, size)
                .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(granted -> {
                    lease.asking = null;
                    lease.unanswered = false;
                    int kept = forCaller ? granted.tokens - 1 : granted.tokens;
                    lease.granted(Math.max(0, kept), System.currentTimeMillis());
                    return recovered(granted.decision);
                })
                .recover(e -> {
                    lease.asking = null;
                    lease.unanswered = true;
                    return Future.succeededFuture(fallBack(here, e));
                });
        lease.asking = asking.isComplete() ? null : asking;
        if (leases.size() > MAX_LEASES) dropIdleLeases();
        return asking;
    }

    /**
     * A call that waited for another's request: it takes from the tokens that brought, or shares its outcome (the
     * refusal, or this node's own decision when Redis did not answer) rather than asking again: asked one after
     * another, a hanging Redis made the k-th waiting send wait k timeouts.
     */
    private Future<Decision> afterWaiting(
            Lease lease, Decision asked, String key, Limit limit, int size, Decision here) {
        if (lease.take(System.currentTimeMillis())) {
            if (lease.tokens == 0 && lease.asking == null) askAhead(lease, key, limit, size, here);
            return Future.succeededFuture(Decision.ALLOW);
        }
        if (lease.unanswered) return Future.succeededFuture(here);
        if (!asked.allowed()) return Future.succeededFuture(asked);
        return fromLease(key, limit, size, here);
    }

    private void dropIdleLeases() {
        long now = System.currentTimeMillis();
        leases.values().removeIf(lease -> lease.asking == null && now >= lease.keptUntil);
    }

    /** What a lease request got: some tokens (the first is the caller's), or a refusal with its wait. */
    private record Granted(int tokens, Decision decision) {}

    private Future<Granted> leaseInRedis(String key, Limit limit, int size) {
        List<String> args = List.of(
                leaseSha == null ? "" : leaseSha,
                "1",
                key,
                Double.toString(limit.ratePerSecond()),
                Integer.toString(limit.burst()),
                Integer.toString(size));
        Future<Response> answer;
        if (leaseSha == null) {
            answer = redis.script(List.of("LOAD", LEASE_SCRIPT)).compose(sha -> {
                leaseSha = sha.toString();
                List<String> loaded = new ArrayList<>(args);
                loaded.set(0, leaseSha);
                return redis.evalsha(loaded);
            });
        } else {
            answer = redis.evalsha(args).recover(e -> {
                if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) leaseSha = null;
                return Future.failedFuture(e);
            });
        }
        return answer.map(r -> {
            int granted = r.get(0).toInteger();
            return granted >= 1
                    ? new Granted(granted, Decision.ALLOW)
                    : new Granted(0, new Decision(false, r.get(1).toLong()));
        });
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
