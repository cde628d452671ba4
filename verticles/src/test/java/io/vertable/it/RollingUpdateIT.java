package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.testing.Rest;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling update on loopback: three full nodes as child JVMs of the packaged jar, restarted one at a time (SIGTERM,
 * then started again) while GMs keep moving tokens. Each client does what the browser does: when its socket closes it
 * connects to a node that is up, listens again, resyncs from its last seq, and resends an unanswered command with the
 * same id. No acknowledged move may be lost, and no room may stay unavailable for more than a few seconds.
 */
class RollingUpdateIT {

    static final Path work = Path.of("target", "rolling-" + System.currentTimeMillis());
    static final int NODES = 3;
    static final int ROOMS = 3;

    static PgUrl database;
    static TestCluster cluster;
    static Vertx vertx;
    static final ChildNodes children = new ChildNodes(NODES);

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(work);
        database = TestStorage.freshDatabase("rolling");
        cluster = TestCluster.create(NODES);
        vertx = Vertx.vertx();
        Files.writeString(work.resolve("config.json"), generousLimits().encodePrettily());
        for (int i = 0; i < NODES; i++) startNode(i);
        children.awaitMembers(NODES);
    }

    @AfterAll
    static void stop() throws Exception {
        children.closeAll();
        if (vertx != null) vertx.close().await();
    }

    @Test
    void restartingEveryNodeInTurnLosesNoAcknowledgedMoveAndClientsResyncByThemselves() throws Exception {
        Rest rest = new Rest(children.httpPorts[0]);
        List<RoomMover> movers = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++)
            movers.add(RoomMover.seat(vertx, children, "rolling", rest, "Rolling " + r, r % NODES));
        ExecutorService pool = Executors.newFixedThreadPool(ROOMS);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<?>> loops = new ArrayList<>();
        for (RoomMover mover : movers) loops.add(pool.submit(() -> mover.play(running, Duration.ZERO)));
        awaitMoves(movers, 10, loops);

        for (int i = 0; i < NODES; i++) {
            long stopped = System.nanoTime();
            children.processes[i].terminate();
            children.up[i] = false;
            assertThat(children.processes[i].awaitExit(Duration.ofSeconds(40)))
                    .as("node %d exits cleanly", i)
                    .isZero();
            startNode(i);
            children.awaitMembers(NODES);
            awaitMoves(
                    movers, movers.stream().mapToInt(m -> m.acked.size()).min().orElse(0) + 10, loops);
            long restarted = System.nanoTime();
            for (RoomMover mover : movers)
                System.out.printf(
                        "rolling: node-%d restarted; room %s longest wait between acknowledged moves %d ms%n",
                        i, mover.roomId, mover.longestPauseMs(stopped, restarted));
        }
        running.set(false);
        for (Future<?> loop : loops) loop.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        for (RoomMover mover : movers) {
            mover.assertDurableAndConverged(TestStorage.storedLog(database, mover.roomId));
            mover.close();
            long pause = mover.longestPauseMs(0, Long.MAX_VALUE);
            System.out.printf(
                    "rolling: room %s %d acknowledged moves, %d reconnects, %d resyncs, %d resends after a retry"
                            + " answer, longest wait %d ms%n",
                    mover.roomId, mover.acked.size(), mover.reconnects, mover.resyncs, mover.refusals.size(), pause);
            assertThat(mover.refusals).as("a rolling update is no outage").noneMatch(r -> r.code()
                    .equals("STORE_UNAVAILABLE"));
            assertThat(mover.reconnects)
                    .as("the room's client lost its node at least once")
                    .isPositive();
            // The wait is reported above; the bound only catches a room that never came back.
            assertThat(pause).as("every room comes back after a restart").isLessThan(30_000);
        }
    }

    // ---- the nodes ----

    static void startNode(int i) throws Exception {
        children.start(work, List.of(i), RollingUpdateIT::env);
    }

    static Map<String, String> env(int i) {
        Map<String, String> env = NodeProcess.clusterEnv(cluster);
        env.putAll(Map.ofEntries(
                Map.entry("VTT_NODE_ID", "node-" + i),
                Map.entry("VTT_DEPLOY", "http:1,bridge:1,map:1,persistence:1"),
                Map.entry(
                        "VTT_CONFIG",
                        work.resolve("config.json").toAbsolutePath().toString()),
                Map.entry("VTT_HTTP_PORT", Integer.toString(children.httpPorts[i])),
                Map.entry("VTT_BRIDGE_PORT", Integer.toString(children.bridgePorts[i])),
                Map.entry("VTT_PG_URL", database.url()),
                Map.entry("VTT_REDIS_URL", TestStorage.redisUrlFor(database)),
                Map.entry("VTT_JWT_SECRET", "rolling-update-test-secret-of-32-characters"),
                Map.entry("VTT_SHUTDOWN_GRACE_SECONDS", "20"),
                Map.entry("VTT_DATA_DIR", work.resolve("node-" + i).toString())));
        return env;
    }

    static void awaitMoves(List<RoomMover> movers, int each, List<Future<?>> loops) throws Exception {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> movers.stream().allMatch(m -> m.acked.size() >= each)
                        || loops.stream().anyMatch(Future::isDone));
        for (Future<?> loop : loops) if (loop.isDone()) loop.get();
    }

    static JsonObject generousLimits() {
        return TestNodes.generousBridgeLimits()
                .put(
                        "rateLimits",
                        new JsonObject()
                                .put("loginPerMinute", 10_000)
                                .put("registerPerHour", 100_000)
                                .put("restWritesPerMinute", 100_000))
                .put("cluster", new JsonObject().put("heartbeatSeconds", TestNodes.HEARTBEAT_SECONDS));
    }
}
