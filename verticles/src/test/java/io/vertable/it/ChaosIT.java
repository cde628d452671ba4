package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.testing.Http;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chaos on loopback, with child JVMs of the packaged jar: {@code node-0} runs the embedded PostgreSQL and Redis (and
 * http, bridge, persistence), {@code node-1..3} run three map instances each (and http, bridge, persistence) against
 * node-0's servers. GMs move tokens in busy rooms, as browsers do, while in turn: PostgreSQL is SIGKILLed and its
 * supervisor brings it back; the same for Redis; the JVM owning the most rooms is SIGKILLed and started again; a map
 * node is scaled 3 → 1; every map node gets a rolling restart (SIGTERM, start). After each fault every acknowledged
 * move is in the room's gap-free log, each client's view equals the log replayed, and every refusal the clients saw
 * carried a code that says "the table is paused, send again". The pause per room is written to
 * {@code target/chaos-report.md}; the test bounds it only far from normal.
 */
class ChaosIT {

    static final Path work =
            Path.of("target", "chaos-" + System.currentTimeMillis()).toAbsolutePath();
    static final Path REPORT = Path.of("target", "chaos-report.md");
    static final int NODES = 4;
    static final int STORE_NODE = 0;
    static final int ROOMS = 8;
    /** A player's hand: one move every 50 ms per room. */
    static final Duration PACE = Duration.ofMillis(50);
    /** Far from normal: a room that pauses this long never came back. */
    static final long NEVER_CAME_BACK_MS = 30_000;

    static final Set<String> OUTAGE_CODES = Set.of("STORE_UNAVAILABLE");
    static final Set<String> UNKNOWN_OUTCOME_CODES = Set.of("TIMEOUT", "SERVICE_UNAVAILABLE");

    static TestCluster cluster;
    static Vertx vertx;
    static PgUrl database;
    static int pgPort;
    static int redisPort;
    static final ChildNodes children = new ChildNodes(NODES);

    static Rest rest;
    static String adminToken;
    static final List<RoomMover> movers = new ArrayList<>();
    static final Map<String, String> report = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(work);
        cluster = TestCluster.create(NODES);
        vertx = Vertx.vertx();
        Files.writeString(
                work.resolve("config.json"), RollingUpdateIT.generousLimits().encodePrettily());
        pgPort = TestNodes.freePort();
        redisPort = TestNodes.freePort();
        database = new PgUrl("postgresql://postgres@127.0.0.1:" + pgPort + "/vertable");
        startNodes(List.of(STORE_NODE));
        startNodes(List.of(1, 2, 3));
        children.awaitMembers(NODES);
        rest = new Rest(children.httpPorts[STORE_NODE]);
        // The first account ever is the operator (ADMIN), who rescales.
        adminToken = rest.post(
                        "/api/auth/register",
                        null,
                        new JsonObject()
                                .put("username", "operator")
                                .put("password", "a long enough secret")
                                .put("displayName", "Operator"))
                .body()
                .getString("token");
        for (int r = 0; r < ROOMS; r++)
            movers.add(RoomMover.seat(
                    vertx, children, "chaos", new Rest(children.httpPorts[r % NODES]), "Chaos " + r, r % NODES));
    }

    @AfterAll
    static void stop() throws Exception {
        movers.forEach(RoomMover::close);
        children.closeAll();
        if (vertx != null) vertx.close().await();
        if (!report.isEmpty()) writeReport();
    }

    @Test
    void everyAcknowledgedMoveSurvivesEachFaultAndClientsConverge() throws Exception {
        fault("PostgreSQL SIGKILLed, restarted by its supervisor", OUTAGE_CODES, true, () -> {
            killAndAwaitRestart(work.resolve("node-0").resolve("postgres").resolve("postmaster.pid"));
        });
        fault("Redis SIGKILLed, restarted by its supervisor", OUTAGE_CODES, false, () -> {
            killAndAwaitRestart(work.resolve("node-0").resolve("redis").resolve("redis.pid"));
        });
        fault("owner's JVM SIGKILLed, then started again", UNKNOWN_OUTCOME_CODES, false, () -> {
            int owner = busiestMapNode();
            children.processes[owner].kill();
            children.up[owner] = false;
            children.awaitMembers(NODES - 1);
            startNodes(List.of(owner));
            children.awaitMembers(NODES);
        });
        fault("map scaled 3 → 1 on one node", UNKNOWN_OUTCOME_CODES, false, () -> {
            int node = busiestMapNode();
            Rest.Reply down = rest.send(
                    "PUT",
                    "/api/admin/nodes/node-" + node + "/verticles/map",
                    adminToken,
                    new JsonObject().put("instances", 1),
                    Duration.ofSeconds(60));
            assertThat(down.status()).as(down.body().encode()).isEqualTo(200);
            assertThat(down.body().getInteger("from")).isEqualTo(3);
        });
        fault("rolling restart of the three map nodes", UNKNOWN_OUTCOME_CODES, false, () -> {
            for (int i = 1; i < NODES; i++) {
                children.processes[i].terminate();
                children.up[i] = false;
                assertThat(children.processes[i].awaitExit(Duration.ofSeconds(40)))
                        .as("node-%d exits cleanly", i)
                        .isZero();
                startNodes(List.of(i));
                children.awaitMembers(NODES);
            }
        });
    }

    /**
     * Runs one fault while every room is busy: the movers play until each has moves acknowledged before it and after
     * it; then the log and the clients are checked and the pauses noted.
     */
    private static void fault(String name, Set<String> allowed, boolean outageExpected, ThrowingRunnable fault)
            throws Exception {
        Map<RoomMover, Integer> refusedBefore = new HashMap<>();
        movers.forEach(m -> refusedBefore.put(m, m.refusals.size()));
        ExecutorService pool = Executors.newFixedThreadPool(ROOMS);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<?>> loops = new ArrayList<>();
        for (RoomMover mover : movers) loops.add(pool.submit(() -> mover.play(running, PACE)));
        awaitMoves(minAcked() + 5, loops);
        long from = System.nanoTime();
        System.out.printf("chaos: %s%n", name);
        fault.run();
        long recovered = System.nanoTime();
        awaitMoves(minAcked() + 10, loops);
        long to = System.nanoTime();
        running.set(false);
        for (Future<?> loop : loops) loop.get(120, TimeUnit.SECONDS);
        pool.shutdown();

        List<Long> pauses = new ArrayList<>();
        Map<String, Integer> refusals = new TreeMap<>();
        for (RoomMover mover : movers) {
            mover.assertDurableAndConverged(TestStorage.storedLog(database, mover.roomId));
            pauses.add(mover.longestPauseMs(from, to));
            for (RoomMover.Refusal refusal : mover.refusals.subList(refusedBefore.get(mover), mover.refusals.size()))
                refusals.merge(refusal.code(), 1, Integer::sum);
        }
        String row = row(name, pauses, refusals, (recovered - from) / 1_000_000);
        report.put(name, row);
        System.out.printf("chaos: %s%n", row);
        assertThat(refusals.keySet()).as("refusals during: " + name).isSubsetOf(allowed);
        if (outageExpected)
            assertThat(refusals.keySet())
                    .as("the outage was told to the clients: " + name)
                    .containsAnyElementsOf(OUTAGE_CODES);
        assertThat(pauses).as("every room comes back: " + name).allMatch(p -> p < NEVER_CAME_BACK_MS);
    }

    private static String row(String name, List<Long> pauses, Map<String, Integer> refusals, long faultMs) {
        List<Long> sorted = pauses.stream().sorted().toList();
        return String.format(
                "| %s | %d | %d | %d | %d | %s |",
                name,
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted.get(sorted.size() - 1),
                faultMs,
                refusals.isEmpty()
                        ? "none"
                        : refusals.entrySet().stream()
                                .map(e -> e.getValue() + " " + e.getKey())
                                .collect(Collectors.joining(", ")));
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static void writeReport() throws Exception {
        String text = "# Chaos report\n\n"
                + "Written by `ChaosIT`: " + ROOMS + " rooms, one GM each moving a token every " + PACE.toMillis()
                + " ms over the bridge, on four child JVMs (node-0 with the embedded PostgreSQL and Redis, node-1..3"
                + " with three map instances each). A room's pause is the longest wait for the acknowledgement of one"
                + " move (or between two acknowledgements) among moves sent from the fault until every room has 10"
                + " more moves acknowledged after recovery; p50/p99/max are over the rooms. \"Fault to recovery\" is"
                + " from the fault until the cluster reports itself whole again. Refusals are the answers the clients"
                + " re-sent the same command after (same command id).\n\n"
                + "| fault | pause p50 (ms) | pause p99 (ms) | pause max (ms) | fault to recovery (ms) | refusals |\n"
                + "|---|---|---|---|---|---|\n"
                + String.join("\n", report.values()) + "\n";
        Files.writeString(REPORT, text);
    }

    // ---- the faults ----

    /**
     * SIGKILL of an embedded server by its pid file, as the OOM killer or a crash would (no shutdown); then waits for
     * its supervisor to have started a new one and the node to say it is ready again.
     */
    private static void killAndAwaitRestart(Path pidFile) throws Exception {
        long pid = pidIn(pidFile);
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = pidIn(pidFile);
                    return now != pid
                            && ProcessHandle.of(now).map(ProcessHandle::isAlive).orElse(false);
                });
        awaitReady(STORE_NODE, "UP");
    }

    private static long pidIn(Path pidFile) {
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (Exception missingOrHalfWritten) {
            return -1;
        }
    }

    /** The map node (1..3) owning the most rooms now, as the operator's cluster view says. */
    private static int busiestMapNode() {
        Rest.Reply view = rest.get("/api/admin/cluster", adminToken);
        assertThat(view.status()).as(view.body().encode()).isEqualTo(200);
        Map<Integer, Integer> owned = new TreeMap<>();
        view.body().getJsonArray("nodes").stream()
                .map(JsonObject.class::cast)
                .forEach(n -> owned.put(
                        Integer.parseInt(n.getString("node").substring("node-".length())), n.getInteger("rooms")));
        System.out.printf("chaos: rooms by node %s%n", owned);
        owned.remove(STORE_NODE);
        return owned.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    // ---- the nodes ----

    static void startNodes(Collection<Integer> which) throws Exception {
        children.start(work, which, ChaosIT::env);
    }

    private static Map<String, String> env(int i) {
        Map<String, String> env = NodeProcess.clusterEnv(cluster);
        env.put("VTT_NODE_ID", "node-" + i);
        env.put("VTT_CONFIG", work.resolve("config.json").toString());
        env.put("VTT_HTTP_PORT", Integer.toString(children.httpPorts[i]));
        env.put("VTT_BRIDGE_PORT", Integer.toString(children.bridgePorts[i]));
        env.put("VTT_JWT_SECRET", "chaos-test-signing-secret-of-32-characters");
        env.put("VTT_SHUTDOWN_GRACE_SECONDS", "20");
        env.put("VTT_DATA_DIR", work.resolve("node-" + i).toString());
        if (i == STORE_NODE) {
            env.put("VTT_DEPLOY", "http:1,bridge:1,persistence:1");
            env.put("VTT_PG_EMBEDDED_PORT", Integer.toString(pgPort));
            env.put("VTT_REDIS_EMBEDDED_PORT", Integer.toString(redisPort));
        } else {
            env.put("VTT_DEPLOY", "http:1,bridge:1,map:3,persistence:1");
            env.put("VTT_PG_URL", database.url());
            env.put("VTT_REDIS_URL", "redis://127.0.0.1:" + redisPort);
        }
        return env;
    }

    private static void awaitReady(int node, String status) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(
                        Http.getJson(children.httpPorts[node], "/health/ready").getString("status")));
    }

    private static int minAcked() {
        return movers.stream().mapToInt(m -> m.acked.size()).min().orElse(0);
    }

    private static void awaitMoves(int each, List<Future<?>> loops) throws Exception {
        await().atMost(Duration.ofSeconds(120))
                .until(() -> movers.stream().allMatch(m -> m.acked.size() >= each)
                        || loops.stream().anyMatch(Future::isDone));
        for (Future<?> loop : loops) if (loop.isDone()) loop.get();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
