package io.vertable.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.security.RateLimiter.Decision;
import io.vertable.security.RateLimiter.Limit;
import io.vertable.testing.TestStorage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leased user limits on the real Redis: two limiters stand for two nodes sharing one cluster-wide bucket. A lease
 * saves Redis round trips and never lets more through than the bucket holds.
 */
class RateLimitLeaseTest {

    static Vertx vertx;
    static Redis redis;
    static RedisAPI api;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, TestStorage.redisUrl());
        api = RedisAPI.api(redis);
    }

    @AfterAll
    static void stop() {
        redis.close();
        vertx.close().await();
    }

    /** Takes {@code count} tokens alternately from the limiters, each after the one before (as a socket's sends go). */
    private static List<Decision> takeInTurn(List<RateLimiter> nodes, Limit limit, String subject, int count) {
        // A limiter lives on one event loop, as in a verticle.
        Promise<List<Decision>> result = Promise.promise();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(start -> takeNext(context, nodes, limit, subject, count, new ArrayList<>(), result));
        return result.future().await();
    }

    private static void takeNext(
            Context context,
            List<RateLimiter> nodes,
            Limit limit,
            String subject,
            int count,
            List<Decision> decisions,
            Promise<List<Decision>> result) {
        if (decisions.size() == count) {
            result.complete(decisions);
            return;
        }
        RateLimiter node = nodes.get(decisions.size() % nodes.size());
        node.takeLeased(limit, subject).onComplete(taken -> {
            if (taken.failed()) {
                result.fail(taken.cause());
                return;
            }
            decisions.add(taken.result());
            // The next frame comes in a later turn of the event loop, as a socket's do: 2,000 decisions chained ahead
            // and completed at once overflowed the stack.
            context.runOnContext(next -> takeNext(context, nodes, limit, subject, count, decisions, result));
        });
    }

    private static long scriptCalls() {
        String stats = api.info(List.of("commandstats")).await().toString();
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:")) {
                return Long.parseLong(line.replaceFirst("^cmdstat_evalsha:calls=(\\d+),.*$", "$1")
                        .trim());
            }
        }
        return 0;
    }

    @Test
    void aBusyUserCostsOneRedisCallPerLeaseNotPerMessage() {
        Limit limit = new Limit("lease-test", 10_000, 20_000); // the bench's raised limit: leases of 1,000
        assertThat(RateLimiter.leaseSize(limit)).isEqualTo(1_000);
        RateLimiter node = new RateLimiter(vertx, api);
        long before = scriptCalls();
        List<Decision> decisions =
                takeInTurn(List.of(node), limit, UUID.randomUUID().toString(), 2_000);
        long calls = scriptCalls() - before;
        assertThat(decisions).allMatch(Decision::allowed);
        // Without leases: 2,000 calls. A lease lasts 100 ms, so a slow machine may need a few more than two.
        assertThat(calls).isLessThan(200);
    }

    @Test
    void twoNodesTogetherNeverPassTheClusterWideLimit() {
        Limit limit = new Limit("lease-bound", 100, 40); // leases of 10
        assertThat(RateLimiter.leaseSize(limit)).isEqualTo(10);
        List<RateLimiter> nodes = List.of(new RateLimiter(vertx, api), new RateLimiter(vertx, api));
        long started = System.nanoTime();
        List<Decision> decisions = takeInTurn(nodes, limit, UUID.randomUUID().toString(), 400);
        double seconds = (System.nanoTime() - started) / 1e9;
        long allowed = decisions.stream().filter(Decision::allowed).count();
        // The bucket holds 40 and refills 100 a second: no more than that may pass, however the leases fall.
        assertThat(allowed).isLessThanOrEqualTo((long) Math.ceil(40 + 100 * seconds));
        assertThat(allowed).as("the burst itself passes").isGreaterThanOrEqualTo(40 - 2 * 9);
        assertThat(decisions.stream().filter(d -> !d.allowed())).isNotEmpty().allMatch(d -> d.retryAfterMs() > 0);
    }

    @Test
    void sendsWaitingOnAnUnansweredLeaseFallBackTogetherInsteadOfAskingInTurn() {
        // A "Redis" that takes connections and commands and never answers.
        NetServer silent = vertx.createNetServer()
                .connectHandler(socket -> socket.handler(bytes -> {}))
                .listen(0, "127.0.0.1")
                .await();
        Redis hanging = Redis.createClient(vertx, "redis://127.0.0.1:" + silent.actualPort());
        try {
            RateLimiter node = new RateLimiter(vertx, RedisAPI.api(hanging));
            Limit limit = new Limit("lease-hang", 10_000, 20_000);
            String subject = UUID.randomUUID().toString();
            // Forty sends of one user at once, as a drag burst arrives, on the limiter's event loop.
            Promise<List<Decision>> all = Promise.promise();
            vertx.getOrCreateContext().runOnContext(start -> {
                List<Future<Decision>> sends = new ArrayList<>();
                for (int i = 0; i < 40; i++) sends.add(node.takeLeased(limit, subject));
                Future.all(sends).map(done -> done.<Decision>list()).onComplete(all);
            });
            List<Decision> decisions = all.future().await();

            assertThat(decisions).hasSize(40).allMatch(Decision::allowed);
            // One request, which timed out; before, each waiting send asked again after the one before had timed out.
            assertThat(node.leaseRequests).isEqualTo(1);
        } finally {
            hanging.close();
            silent.close().await();
        }
    }

    /** Takes one token on the limiter's event loop: whether it was decided at once, without waiting for Redis. */
    private static boolean decidedAtOnce(RateLimiter node, Limit limit, String subject) {
        Promise<Boolean> atOnce = Promise.promise();
        vertx.getOrCreateContext().runOnContext(start -> {
            Future<Decision> taken = node.takeLeased(limit, subject);
            boolean now = taken.isComplete();
            taken.onComplete(done ->
                    atOnce.complete(now && done.succeeded() && done.result().allowed()));
        });
        return atOnce.future().await();
    }

    @Test
    void aPlayerDraggingTwiceASecondIsDecidedWithoutWaitingForRedis() {
        Limit limit = new Limit("lease-steady", 30, 60); // the bridge's default user limit: leases of 3
        RateLimiter node = new RateLimiter(vertx, api);
        String subject = UUID.randomUUID().toString();
        assertThat(decidedAtOnce(node, limit, subject))
                .as("the first waits for its lease")
                .isFalse();
        int atOnce = 0;
        for (int i = 0; i < 10; i++) {
            // Longer than a lease lasts: before, every one of these frames waited for a Redis round trip.
            vertx.timer(300).await();
            if (decidedAtOnce(node, limit, subject)) atOnce++;
        }
        // A frame late by most of a second on a busy machine may wait again; most go at once.
        assertThat(atOnce).isGreaterThanOrEqualTo(7);
        // Redis still counts each frame (off its path): the next lease is asked for as the kept token is taken. A
        // frame that came while that answer was still on its way took from it instead, so a few asks fewer may do.
        assertThat(node.leaseRequests).isBetween(6, 11);
    }

    @Test
    void aKeptTokenLapsesAfterASecond() {
        Limit limit = new Limit("lease-lapse", 30, 60);
        RateLimiter node = new RateLimiter(vertx, api);
        String subject = UUID.randomUUID().toString();
        assertThat(decidedAtOnce(node, limit, subject)).isFalse();
        vertx.timer(RateLimiter.KEEP_MS + 300).await();
        assertThat(decidedAtOnce(node, limit, subject))
                .as("tokens held past the keep time are not used")
                .isFalse();
    }

    @Test
    void aSmallLimitIsNotLeased() {
        assertThat(RateLimiter.leaseSize(new Limit("bridge-user", 30, 60))).isEqualTo(3);
        assertThat(RateLimiter.leaseSize(new Limit("small", 1, 10))).isEqualTo(1);
    }
}
