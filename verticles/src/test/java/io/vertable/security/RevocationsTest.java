package io.vertable.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.node.storage.EmbeddedStorage;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node's replica of the revoked sessions, against the real (embedded) Redis. */
class RevocationsTest {

    Vertx vertx;
    Redis redis;
    RedisAPI api;

    @BeforeEach
    void connect() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, TestStorage.redisUrlFor(TestStorage.freshDatabase("revocations")));
        api = RedisAPI.api(redis);
    }

    @AfterEach
    void close() {
        redis.close();
        vertx.close().await();
    }

    @Test
    void aRevocationWhoseBroadcastWasMissedIsLearnedFromRedisByTheNextScan() {
        Revocations replica = new Revocations(vertx, api, "node-late", 200);
        replica.load().await();
        String session = "s-" + UUID.randomUUID();
        assertThat(replica.isRevoked(session).await()).isFalse();

        // Another node revoked it while this one was not listening: stored in Redis, never heard on the bus.
        long until = System.currentTimeMillis() / 1000 + 3600;
        api.set(List.of("vtt:revoked:" + session, Long.toString(until), "EX", "3600"))
                .await();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> replica.isRevoked(session).await());
        replica.close();
    }

    @Test
    void aLaterUserWideSignOutHeardOnTheBusIsNotRolledBackByAnOlderOneStoredInRedis() {
        Revocations replica = new Revocations(vertx, api, "node-rescan", 200);
        replica.load().await();
        long now = System.currentTimeMillis() / 1000;
        String user = "u-" + UUID.randomUUID();
        // Signed out an hour ago (stored), and again now: this node heard the second, but storing it failed.
        api.set(List.of(
                        "vtt:revoked:" + Revocations.userKey(user),
                        Long.toString(now - 3600 + Tokens.MAX_SESSION_SECONDS),
                        "EX",
                        "3600"))
                .await();
        replica.remember(Revocations.userKey(user), now + Tokens.MAX_SESSION_SECONDS);
        Identity between = new Identity(user, "Ann", true, false, "s-between", now - 1800, now + 600);
        assertThat(replica.isRevoked(between).await()).isTrue();

        // A scan that read the stored entry: one that found a key written after it.
        String marker = "s-" + UUID.randomUUID();
        api.set(List.of("vtt:revoked:" + marker, Long.toString(now + 3600), "EX", "3600"))
                .await();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> replica.isRevoked(marker).await());

        assertThat(replica.isRevoked(between).await())
                .as("a session begun between the two sign-outs stays ended")
                .isTrue();
        replica.close();
    }

    @Test
    void aNodeThatStartedWhileRedisWasDownLoadsTheRevocationsOnceRedisIsBack() throws Exception {
        int port = TestNodes.freePort();
        Redis late = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
        Revocations replica = new Revocations(vertx, RedisAPI.api(late), "node-early", 200);
        replica.load().await(); // completes: the node starts, knowing only what the bus brings
        String session = "s-" + UUID.randomUUID();

        try (EmbeddedStorage redisBack =
                EmbeddedStorage.startRedis(TestStorage.scratchFolder("revocations-redis"), port)) {
            RedisAPI.api(late)
                    .set(List.of("vtt:revoked:" + session, Long.toString(System.currentTimeMillis() / 1000 + 3600)))
                    .await();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> replica.isRevoked(session).await());
        } finally {
            replica.close();
            late.close();
        }
    }
}
