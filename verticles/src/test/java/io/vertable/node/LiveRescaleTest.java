package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live rescale through the REST API (ADR 11) on a cluster of two: {@code ops-a} is the door (http, bridge) with one
 * map instance and the database, {@code ops-b} a core node whose map instances the operator scales 1 → 3 → 1 through
 * ops-a's HTTP while GMs keep moving tokens in busy rooms.
 */
class LiveRescaleTest {

    static PgUrl database;
    static TestCluster cluster;
    static Node doorNode;
    static Node coreNode;
    static Rest rest;
    static String adminToken;
    static String gmToken;
    static String gmId;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("rescale");
        cluster = TestCluster.create(3);
        JsonObject generous = io.vertable.testing.TestNodes.generousBridgeLimits();
        doorNode = cluster.start("ops-a", "http:1,bridge:1,persistence:1,map:1", database, generous);
        coreNode = cluster.start("ops-b", "persistence:1,map:1", database);
        await().atMost(Duration.ofSeconds(30)).until(() -> doorNode.context().clusterMembers() == 2);
        rest = new Rest(doorNode.httpPort());
        adminToken = register("operator").getString("token"); // the first account ever is ADMIN
        JsonObject gm = register("gamemaster");
        gmToken = gm.getString("token");
        gmId = gm.getJsonObject("user").getString("id");
    }

    @AfterAll
    static void stop() {
        for (Node node : List.of(doorNode, coreNode)) if (node != null) node.shutdown();
    }

    @Test
    void scalingMapUpAndDownUnderLoadLosesNoAcknowledgedMoveAndSpreadsClaims() throws Exception {
        // Six busy rooms, claimed before the scale-up, each with a GM moving a token without pause.
        List<Player> early = busyRooms("early", 6);
        Movers before = Movers.start(early);
        before.awaitEach(10);

        Rest.Reply up = rescale("ops-b", "map", 3);
        assertThat(up.status()).as(up.body().encode()).isEqualTo(200);
        assertThat(up.body().getInteger("from")).isEqualTo(1);
        assertThat(up.body().getInteger("to")).isEqualTo(3);
        assertThat(node(cluster(), "ops-b").getJsonObject("verticles").getInteger("map"))
                .isEqualTo(3);
        before.awaitEach(before.leastAcked() + 10);

        // New rooms are claimed in proportion to instances: ops-a has one, ops-b three, each instance about a quarter.
        Map<String, Integer> roomsBefore = roomsByInstance();
        List<Player> late = busyRooms("late", 24);
        Map<String, Integer> claimed = new HashMap<>();
        roomsByInstance()
                .forEach((instance, rooms) -> claimed.put(instance, rooms - roomsBefore.getOrDefault(instance, 0)));
        System.out.printf("rescale: 24 new rooms over the 4 map instances: %s%n", claimed.values());
        assertThat(claimed).hasSize(4);
        assertThat(claimed.values()).allSatisfy(n -> assertThat(n).isBetween(3, 9));

        // Scale down while all 30 rooms are busy: about half of the late ones live on the two instances that stop.
        Movers after = Movers.start(late);
        after.awaitEach(5);
        long stopAsked = System.nanoTime();
        Rest.Reply down = rescale("ops-b", "map", 1);
        long stopAnswered = System.nanoTime();
        assertThat(down.status()).as(down.body().encode()).isEqualTo(200);
        assertThat(down.body().getInteger("from")).isEqualTo(3);
        assertThat(down.body().getInteger("to")).isEqualTo(1);
        before.awaitEach(before.leastAcked() + 10);
        after.awaitEach(after.leastAcked() + 10);
        before.stop();
        after.stop();

        // Every room still has exactly one owner, on the instances that are left.
        JsonObject view = cluster();
        assertThat(node(view, "ops-b").getJsonObject("roomsByInstance").size()).isEqualTo(1);
        int owned =
                node(view, "ops-a").getInteger("rooms") + node(view, "ops-b").getInteger("rooms");
        long longestPause = after.longestPauseMs(stopAsked, stopAnswered);
        System.out.printf(
                "rescale: %d moves acknowledged in 30 busy rooms, refusals %s %s; 3 → 1 took %d ms, longest pause"
                        + " between two acknowledged moves of one room across it %d ms; rooms owned after: %d%n",
                before.ackedTotal() + after.ackedTotal(),
                before.refused,
                after.refused,
                (stopAnswered - stopAsked) / 1_000_000,
                longestPause,
                owned);
        assertThat(owned).isEqualTo(30);
        assertThat(before.refused).as("a rescale refuses no command").isEmpty();
        assertThat(after.refused).as("a rescale refuses no command").isEmpty();
        // The pause is a figure to read in the output above (4 s was seen on a quiet machine, 5.04 s on a busy one);
        // the bound only catches a room that never came back.
        assertThat(longestPause).as("a room comes back after a rescale").isLessThan(30_000);

        // No acknowledged move is missing from the log, and the log has no gap.
        for (Movers movers : List.of(before, after)) {
            for (int i = 0; i < movers.players.size(); i++) {
                Map<Long, Integer> log = storedMoves(movers.players.get(i).roomId);
                for (Map.Entry<Long, Integer> ack : movers.acked.get(i).entrySet())
                    assertThat(log.get(ack.getKey()))
                            .as("room %d seq %d", i, ack.getKey())
                            .isEqualTo(ack.getValue());
            }
        }
        early.forEach(Player::close);
        late.forEach(Player::close);
    }

    private static List<Player> busyRooms(String name, int count) {
        List<Player> gms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Player gm = seat(room(name + "-" + i));
            gm.ok(Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Hall"));
            gms.add(gm);
        }
        return gms;
    }

    @Test
    void badRescalesAreRefusedWithTheirCodeAndChangeNothing() {
        JsonObject plans = plans();
        String playerToken = gmToken;

        assertRefused(
                rest.send("PUT", "/api/admin/nodes/ops-b/verticles/map", null, instances(2)), 401, "UNAUTHENTICATED");
        assertRefused(
                rest.send("PUT", "/api/admin/nodes/ops-b/verticles/map", playerToken, instances(2)), 403, "ADMIN_ONLY");
        assertRefused(rest.get("/api/admin/cluster", playerToken), 403, "ADMIN_ONLY");
        for (Object bad : List.of(-1, 65, 2.5, "2"))
            assertRefused(
                    rest.send(
                            "PUT",
                            "/api/admin/nodes/ops-b/verticles/map",
                            adminToken,
                            new JsonObject().put("instances", bad)),
                    400,
                    "INSTANCES_OUT_OF_RANGE");
        assertRefused(
                rest.send("PUT", "/api/admin/nodes/ops-b/verticles/mapp", adminToken, instances(2)),
                404,
                "UNKNOWN_VERTICLE");
        assertRefused(
                rest.send("PUT", "/api/admin/nodes/nobody/verticles/map", adminToken, instances(2)),
                404,
                "NODE_NOT_FOUND");

        // A node without a database URL cannot start persistence; a node that left is not found.
        Node leaving = cluster.start(
                "ops-c", "dice:1", database, new JsonObject().put("postgres", new JsonObject().put("url", "")));
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> doorNode.context().clusterMembers() == 3);
            assertRefused(rescale("ops-c", "persistence", 1), 409, "NODE_CANNOT_RUN");
            Rest.Reply three = rescale("ops-c", "dice", 2);
            assertThat(three.status()).as(three.body().encode()).isEqualTo(200);
            assertThat(node(cluster(), "ops-c").getString("plan")).isEqualTo("dice:2");
        } finally {
            leaving.shutdown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> doorNode.context().clusterMembers() == 2);
        assertRefused(rescale("ops-c", "dice", 1), 404, "NODE_NOT_FOUND");

        assertThat(plans()).as("refused rescales change nothing").isEqualTo(plans);
    }

    // ---- helpers ----

    /** Each busy room's GM moves its token in a loop; what was acknowledged (seq → x, when) and refused is kept. */
    static final class Movers {
        final List<Player> players;
        final List<Map<Long, Integer>> acked = new ArrayList<>();
        final List<List<Long>> ackedAt = new ArrayList<>();
        final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Future<?>> loops = new ArrayList<>();
        final ExecutorService pool;

        private Movers(List<Player> players) {
            this.players = players;
            this.pool = Executors.newFixedThreadPool(players.size());
        }

        static Movers start(List<Player> players) {
            Movers movers = new Movers(players);
            for (Player player : players) {
                String token = token(player);
                Map<Long, Integer> acked = new ConcurrentHashMap<>();
                List<Long> times = new java.util.concurrent.CopyOnWriteArrayList<>();
                movers.acked.add(acked);
                movers.ackedAt.add(times);
                movers.loops.add(movers.pool.submit(() -> {
                    for (int x = 1; movers.running.get(); x++) {
                        JsonObject reply = player.map(
                                "token.move",
                                new JsonObject()
                                        .put("tokenId", token)
                                        .put("x", x)
                                        .put("y", 1));
                        if (reply.getBoolean("ok", false)) {
                            acked.put(reply.getLong("seq"), x);
                            times.add(System.nanoTime());
                        } else {
                            movers.refused
                                    .computeIfAbsent(reply.getString("code"), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            return movers;
        }

        /** The longest wait between two acknowledged moves of one room that overlaps [from, to] (nanoTime). */
        long longestPauseMs(long from, long to) {
            long longest = 0;
            for (List<Long> times : ackedAt) {
                for (int i = 1; i < times.size(); i++) {
                    if (times.get(i) < from || times.get(i - 1) > to) continue;
                    longest = Math.max(longest, times.get(i) - times.get(i - 1));
                }
            }
            return longest / 1_000_000;
        }

        int leastAcked() {
            return acked.stream().mapToInt(Map::size).min().orElse(0);
        }

        int ackedTotal() {
            return acked.stream().mapToInt(Map::size).sum();
        }

        /** Waits until every room has at least {@code moves} acknowledged moves (a mover that died says why). */
        void awaitEach(int moves) throws Exception {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> leastAcked() >= moves || loops.stream().anyMatch(Future::isDone));
            for (Future<?> loop : loops) if (loop.isDone()) loop.get();
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> loop : loops) loop.get(60, TimeUnit.SECONDS);
            pool.shutdown();
        }
    }

    private static JsonObject register(String username) {
        Rest.Reply reply = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", username)
                        .put("password", "a long enough secret")
                        .put("displayName", username));
        assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
        return reply.body();
    }

    private static String room(String name) {
        Rest.Reply room = rest.post("/api/rooms", gmToken, new JsonObject().put("name", name));
        assertThat(room.status()).as(room.body().encode()).isEqualTo(201);
        return room.body().getString("id");
    }

    /** The GM at the room's table: joined, which makes a map instance claim the room. */
    private static Player seat(String roomId) {
        Player gm = new Player(doorNode.vertx(), doorNode.bridgePort(), gmToken, gmId, roomId, true);
        gm.join();
        return gm;
    }

    private static String token(Player gm) {
        return gm.createTokenOnActiveScene("Runner");
    }

    private static JsonObject instances(int count) {
        return new JsonObject().put("instances", count);
    }

    private static Rest.Reply rescale(String nodeId, String verticle, int count) {
        // A scale-down answers once every room is handed over; on a loaded 2-core machine that can pass 15 s.
        return rest.send(
                "PUT",
                "/api/admin/nodes/" + nodeId + "/verticles/" + verticle,
                adminToken,
                instances(count),
                java.time.Duration.ofSeconds(60));
    }

    private static JsonObject cluster() {
        Rest.Reply reply = rest.get("/api/admin/cluster", adminToken);
        assertThat(reply.status()).as(reply.body().encode()).isEqualTo(200);
        return reply.body();
    }

    private static JsonObject node(JsonObject view, String nodeId) {
        return view.getJsonArray("nodes").stream()
                .map(JsonObject.class::cast)
                .filter(n -> nodeId.equals(n.getString("node")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + nodeId + " in " + view.encode()));
    }

    /** Node → plan, as the cluster view reports them. */
    private static JsonObject plans() {
        JsonObject plans = new JsonObject();
        cluster()
                .getJsonArray("nodes")
                .forEach(n -> plans.put(((JsonObject) n).getString("node"), ((JsonObject) n).getString("plan")));
        return plans;
    }

    /** Rooms per map instance across the cluster. */
    private static Map<String, Integer> roomsByInstance() {
        Map<String, Integer> rooms = new HashMap<>();
        cluster().getJsonArray("nodes").forEach(n -> ((JsonObject) n)
                .getJsonObject("roomsByInstance")
                .forEach(e -> rooms.put(e.getKey(), ((Number) e.getValue()).intValue())));
        return rooms;
    }

    private static void assertRefused(Rest.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body().encode()).isEqualTo(status);
        assertThat(reply.code()).isEqualTo(code);
    }

    /** The room's stored moves, seq → x, after checking the log is gap-free from 1. */
    private static Map<Long, Integer> storedMoves(String roomId) throws Exception {
        Map<Long, Integer> moves = new HashMap<>();
        try (Connection c = TestStorage.jdbc(database);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT seq, type, data->>'x' FROM events WHERE room_id = '" + roomId
                                + "' ORDER BY seq")) {
            long expected = 1;
            while (rs.next()) {
                assertThat(rs.getLong(1)).as("gap-free log of " + roomId).isEqualTo(expected++);
                if ("token.moved".equals(rs.getString(2)))
                    moves.put(rs.getLong(1), (int) Double.parseDouble(rs.getString(3)));
            }
        }
        return moves;
    }
}
