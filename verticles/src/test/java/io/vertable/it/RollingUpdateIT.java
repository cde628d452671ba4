package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.room.RoomViews;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Http;
import io.vertable.testing.Rest;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    static final int[] httpPorts = new int[NODES];
    static final int[] bridgePorts = new int[NODES];
    static final NodeProcess[] nodes = new NodeProcess[NODES];
    static final boolean[] up = new boolean[NODES];

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(work);
        database = TestStorage.freshDatabase("rolling");
        cluster = TestCluster.create(NODES);
        vertx = Vertx.vertx();
        Files.writeString(work.resolve("config.json"), generousLimits().encodePrettily());
        for (int i = 0; i < NODES; i++) {
            httpPorts[i] = TestNodes.freePort();
            bridgePorts[i] = TestNodes.freePort();
        }
        for (int i = 0; i < NODES; i++) startNode(i);
        awaitMembers(NODES);
    }

    @AfterAll
    static void stop() throws Exception {
        for (NodeProcess node : nodes) if (node != null) node.close();
        if (vertx != null) vertx.close().await();
    }

    @Test
    void restartingEveryNodeInTurnLosesNoAcknowledgedMoveAndClientsResyncByThemselves() throws Exception {
        Rest rest = new Rest(httpPorts[0]);
        List<Mover> movers = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) movers.add(Mover.seat(rest, "Rolling " + r, r % NODES));
        ExecutorService pool = Executors.newFixedThreadPool(ROOMS);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<?>> loops = new ArrayList<>();
        for (Mover mover : movers) loops.add(pool.submit(() -> mover.play(running)));
        awaitMoves(movers, 10, loops);

        for (int i = 0; i < NODES; i++) {
            long stopped = System.nanoTime();
            nodes[i].terminate();
            up[i] = false;
            assertThat(nodes[i].awaitExit(Duration.ofSeconds(40)))
                    .as("node %d exits cleanly", i)
                    .isZero();
            startNode(i);
            awaitMembers(NODES);
            awaitMoves(
                    movers, movers.stream().mapToInt(m -> m.acked.size()).min().orElse(0) + 10, loops);
            long restarted = System.nanoTime();
            for (Mover mover : movers)
                System.out.printf(
                        "rolling: node-%d restarted; room %s longest wait between acknowledged moves %d ms%n",
                        i, mover.roomId, mover.longestPauseMs(stopped, restarted));
        }
        running.set(false);
        for (Future<?> loop : loops) loop.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        for (Mover mover : movers) {
            List<JsonObject> log = storedLog(mover.roomId);
            for (int i = 0; i < log.size(); i++)
                assertThat(log.get(i).getLong("seq")).as("gap-free log").isEqualTo(i + 1L);
            Map<Long, JsonObject> bySeq = new HashMap<>();
            log.forEach(e -> bySeq.put(e.getLong("seq"), e));
            for (Map.Entry<Long, Integer> ack : mover.acked.entrySet())
                assertThat(bySeq.get(ack.getKey()).getJsonObject("data").getDouble("x"))
                        .as("acknowledged seq %d of %s", ack.getKey(), mover.roomId)
                        .isEqualTo(ack.getValue().doubleValue());
            JsonObject state = RoomReducer.empty(mover.roomId);
            for (JsonObject e : log)
                RoomReducer.apply(state, e.getLong("seq"), e.getString("type"), e.getJsonObject("data"));
            assertThat(mover.catchUp()).as("client view of " + mover.roomId).isEqualTo(RoomViews.gm(state));
            long pause = mover.longestPauseMs(0, Long.MAX_VALUE);
            System.out.printf(
                    "rolling: room %s %d acknowledged moves, %d reconnects, %d resyncs, %d resends after a retry"
                            + " answer, longest wait %d ms%n",
                    mover.roomId, mover.acked.size(), mover.reconnects, mover.resyncs, mover.retries, pause);
            assertThat(mover.reconnects)
                    .as("the room's client lost its node at least once")
                    .isPositive();
            // The wait is reported above; the bound only catches a room that never came back.
            assertThat(pause).as("every room comes back after a restart").isLessThan(30_000);
        }
    }

    // ---- the client ----

    /** A GM's browser in one room: moves a token, follows the room's events, and recovers from lost sockets. */
    static final class Mover {
        final String roomId;
        final String token;
        final String userId;
        final Map<Long, Integer> acked = new ConcurrentHashMap<>();
        final List<long[]> ackTimes = new CopyOnWriteArrayList<>();
        int reconnects;
        int resyncs;
        int retries;
        private int node;
        private BridgeClient socket;
        private JsonObject view;
        private long seq;
        private String tokenId;

        private Mover(String roomId, String token, String userId, int node) {
            this.roomId = roomId;
            this.token = token;
            this.userId = userId;
            this.node = node;
        }

        static Mover seat(Rest rest, String name, int node) {
            String username = "gm-" + UUID.randomUUID().toString().substring(0, 8);
            Rest.Reply account = rest.post(
                    "/api/auth/register",
                    null,
                    new JsonObject()
                            .put("username", username)
                            .put("password", "a long enough secret")
                            .put("displayName", name));
            String token = account.body().getString("token");
            String room = rest.post("/api/rooms", token, new JsonObject().put("name", name))
                    .body()
                    .getString("id");
            Mover mover =
                    new Mover(room, token, account.body().getJsonObject("user").getString("id"), node);
            mover.connect();
            mover.request(
                    Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Road"));
            String scene = mover.request(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                    .getJsonObject("view")
                    .getString("activeScene");
            mover.request(
                    Addresses.IN_MAP,
                    new JsonObject()
                            .put("op", "token.create")
                            .put("sceneId", scene)
                            .put("name", "Cart")
                            .put("x", 0)
                            .put("y", 0));
            // Start following from a fresh join, which includes the token.
            JsonObject seated = mover.request(Addresses.IN_ROOM, new JsonObject().put("op", "join"));
            mover.view = seated.getJsonObject("view");
            mover.seq = seated.getLong("seq");
            mover.tokenId =
                    mover.view.getJsonObject("tokens").fieldNames().iterator().next();
            return mover;
        }

        Void play(AtomicBoolean running) {
            for (int x = 1; running.get(); x++) {
                long sent = System.nanoTime();
                JsonObject reply = request(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "token.move")
                                .put("tokenId", tokenId)
                                .put("x", x)
                                .put("y", 0)
                                .put("cid", UUID.randomUUID().toString()));
                acked.put(reply.getLong("seq"), x);
                ackTimes.add(new long[] {sent, System.nanoTime()});
                follow();
            }
            return null;
        }

        /**
         * Sends until answered: a closed socket is replaced (on the next node that is up) and the same command, with
         * the same id, goes again. A refusal ends the test: a rolling update should refuse nothing.
         */
        JsonObject request(String address, JsonObject body) {
            body.put("room", roomId);
            // Bounded: a client that can never get an answer fails the test with what it saw, not the build by hanging.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                if (System.nanoTime() > deadline)
                    throw new AssertionError("no answer in 90 s for " + body.encode() + " on node-" + node + " after "
                            + reconnects + " reconnects");
                String replyAddress = UUID.randomUUID().toString().substring(0, 30);
                socket.send(new JsonObject()
                        .put("type", "send")
                        .put("address", address)
                        .put("body", body)
                        .put("replyAddress", replyAddress));
                JsonObject answer = awaitOrClosed(frame -> replyAddress.equals(frame.getString("address")));
                if (answer == null) {
                    reconnect();
                    continue;
                }
                if ("err".equals(answer.getString("type")) && retryable(answer)) {
                    // The protocol's answer to "retry" and to an unknown outcome: send the same command (same cid).
                    retries++;
                    continue;
                }
                if ("err".equals(answer.getString("type")))
                    throw new AssertionError(body.encode() + " refused: " + answer.encode());
                return answer.getJsonObject("body");
            }
        }

        private static boolean retryable(JsonObject err) {
            // The gate's own refusals carry the code on the frame; a service's reply failure carries it in the
            // message's JSON.
            String code = err.getString("code");
            if (code == null && err.getString("message", "").startsWith("{"))
                code = new JsonObject(err.getString("message")).getString("code");
            return "TIMEOUT".equals(code) || "SERVICE_UNAVAILABLE".equals(code);
        }

        private JsonObject awaitOrClosed(java.util.function.Predicate<JsonObject> test) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                try {
                    return socket.await(test, Duration.ofMillis(250));
                } catch (AssertionError quiet) {
                    if (socket.isClosed()) return null;
                }
            }
            throw new AssertionError("no answer in 15 s from node-" + node + " for " + roomId);
        }

        private void connect() {
            for (int attempt = 0; ; attempt++) {
                int candidate = (node + attempt) % NODES;
                if (!up[candidate]) continue;
                try {
                    socket = BridgeClient.connect(vertx, bridgePorts[candidate], token, null, false)
                            .await(5, TimeUnit.SECONDS);
                    node = candidate;
                    socket.register(Addresses.roomGm(roomId));
                    return;
                } catch (Exception e) {
                    if (attempt > 50) throw new AssertionError("no node takes sockets", e);
                }
            }
        }

        /** What the browser does after a lost socket: another node, listen again, resync from the last seq. */
        private void reconnect() {
            // Why it closed (the node's shutdown, or a frame this client could not take) is what a flake needs.
            System.out.printf(
                    "rolling: room %s lost its socket to node-%d at seq %d: %s%n",
                    roomId, node, seq, socket.closeReason());
            socket.close();
            reconnects++;
            connect();
            resync();
        }

        /** Applies the room events received so far in seq order; a gap is filled with a sync. */
        private void follow() {
            // A copy: a resync below reads more frames into seen() (perhaps of a new socket); they are followed next
            // time.
            List<JsonObject> frames = new ArrayList<>(socket.seen());
            socket.seen().clear();
            for (JsonObject frame : frames) {
                if (!"rec".equals(frame.getString("type"))
                        || !Addresses.roomGm(roomId).equals(frame.getString("address"))) continue;
                JsonObject event = frame.getJsonObject("body");
                if (!event.containsKey("seq") || event.getLong("seq") <= seq) continue;
                if (event.getLong("seq") != seq + 1) resync();
                if (event.getLong("seq") == seq + 1) apply(event);
            }
        }

        private void resync() {
            resyncs++;
            JsonObject reply = request(
                    Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", seq));
            if (reply.containsKey("view")) {
                view = reply.getJsonObject("view");
                seq = reply.getLong("seq");
                return;
            }
            for (Object e : reply.getJsonArray("events", new JsonArray())) {
                JsonObject event = (JsonObject) e;
                if (event.getLong("seq") == seq + 1) apply(event);
            }
        }

        private void apply(JsonObject event) {
            JsonObject patch = event.getJsonObject("patch");
            if (patch != null) RoomViews.applyPatch(view, patch);
            seq = event.getLong("seq");
        }

        JsonObject catchUp() {
            follow();
            resync();
            socket.close();
            return view;
        }

        /** The longest wait for an acknowledgement, or between two, of moves sent within [from, to] (nanoTime). */
        long longestPauseMs(long from, long to) {
            long longest = 0;
            long previous = -1;
            for (long[] times : ackTimes) {
                if (times[0] >= from && times[0] <= to) {
                    longest = Math.max(longest, times[1] - (previous < 0 ? times[0] : Math.max(previous, times[0])));
                }
                previous = times[1];
            }
            return longest / 1_000_000;
        }
    }

    // ---- the nodes ----

    static void startNode(int i) throws Exception {
        JsonObject section = cluster.clusterSection();
        List<String> members = new ArrayList<>();
        section.getJsonArray("members").forEach(m -> members.add((String) m));
        NodeProcess process = NodeProcess.start(
                work,
                Map.ofEntries(
                        Map.entry("VTT_NODE_ID", "node-" + i),
                        Map.entry("VTT_DEPLOY", "http:1,bridge:1,map:1,persistence:1"),
                        Map.entry(
                                "VTT_CONFIG",
                                work.resolve("config.json").toAbsolutePath().toString()),
                        Map.entry("VTT_CLUSTER", "true"),
                        Map.entry("VTT_CLUSTER_NAME", section.getString("name")),
                        Map.entry("VTT_CLUSTER_PORT", section.getInteger("port").toString()),
                        Map.entry("VTT_CLUSTER_MEMBERS", String.join(",", members)),
                        Map.entry("VTT_HTTP_PORT", Integer.toString(httpPorts[i])),
                        Map.entry("VTT_BRIDGE_PORT", Integer.toString(bridgePorts[i])),
                        Map.entry("VTT_PG_URL", database.url()),
                        Map.entry("VTT_REDIS_URL", TestStorage.redisUrlFor(database)),
                        Map.entry("VTT_JWT_SECRET", "rolling-update-test-secret-of-32-characters"),
                        Map.entry("VTT_SHUTDOWN_GRACE_SECONDS", "20"),
                        Map.entry("VTT_DATA_DIR", work.resolve("node-" + i).toString())));
        process.awaitReady(Duration.ofSeconds(90));
        nodes[i] = process;
        up[i] = true;
    }

    /** Every node that is up sees {@code count} members and says it is ready. */
    static void awaitMembers(int count) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (int i = 0; i < NODES; i++) {
                        if (!up[i]) continue;
                        JsonObject ready = Http.getJson(httpPorts[i], "/health/ready");
                        if (!"UP".equals(ready.getString("status"))
                                || ready.getJsonObject("cluster").getInteger("members") != count) return false;
                    }
                    return true;
                });
    }

    static void awaitMoves(List<Mover> movers, int each, List<Future<?>> loops) throws Exception {
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
                .put("cluster", new JsonObject().put("heartbeatSeconds", 5));
    }

    static List<JsonObject> storedLog(String roomId) throws Exception {
        List<JsonObject> log = new ArrayList<>();
        try (Connection c = TestStorage.jdbc(database);
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT seq, type, data FROM events WHERE room_id = '" + roomId + "' ORDER BY seq")) {
            while (rs.next())
                log.add(new JsonObject()
                        .put("seq", rs.getLong(1))
                        .put("type", rs.getString(2))
                        .put("data", new JsonObject(rs.getString(3))));
        }
        return log;
    }
}
