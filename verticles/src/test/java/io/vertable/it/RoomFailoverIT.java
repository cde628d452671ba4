package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.room.RoomViews;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertable.testing.ViewFollower;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A room survives its node: an edge node (http, bridge, persistence) in this JVM and map-only nodes as
 * separate JVMs of the packaged jar. Players keep moving tokens while the room's owner is killed with SIGKILL, and
 * again while the next owner stops gracefully.
 */
class RoomFailoverIT {

    static PgUrl database;
    static TestCluster cluster;
    static Node edge;

    /** Kept after the run: the map nodes' logs are the first thing to read when this test fails. */
    static final Path work = Path.of("target", "failover-" + System.currentTimeMillis());

    static final Map<String, NodeProcess> mapNodes = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        java.nio.file.Files.createDirectories(work);
        database = TestStorage.freshDatabase("failover");
        cluster = TestCluster.create(4);
        JsonObject generous = TestNodes.generousBridgeLimits();
        edge = cluster.start("edge", "http:1,bridge:1,persistence:1", database, generous);
        startMapNode("map-a");
        startMapNode("map-b");
        await().atMost(Duration.ofSeconds(60)).until(() -> edge.context().clusterMembers() == 3);
    }

    static void startMapNode(String id) throws Exception {
        Map<String, String> env = NodeProcess.clusterEnv(cluster);
        env.putAll(Map.of(
                "VTT_NODE_ID",
                id,
                "VTT_DEPLOY",
                "map:1",
                "VTT_JWT_SECRET",
                TestNodes.CLUSTER_JWT_SECRET,
                "VTT_DATA_DIR",
                work.resolve(id).toString()));
        NodeProcess process = NodeProcess.start(work, env);
        process.awaitReady(Duration.ofSeconds(90));
        mapNodes.put(id, process);
    }

    @AfterAll
    static void stop() throws Exception {
        for (NodeProcess process : mapNodes.values()) process.close();
        if (edge != null) edge.shutdown();
    }

    /** What one mover saw: acknowledged moves (seq → x) and refusals by code. */
    /** @param timings {sent, acknowledged} in nanoTime for every acknowledged move */
    record Moves(Map<Long, Integer> acked, Map<String, AtomicInteger> refused, List<long[]> timings) {}

    @Test
    void playersKeepPlayingWhileTheRoomsOwnerIsKilledAndThenHandedOver() throws Exception {
        Rest rest = new Rest(edge.httpPort());
        Table table = Table.create(rest, "Failover");
        JsonObject pipSession = table.join("Pip", "PLAYER");
        JsonObject quinSession = table.join("Quin", "PLAYER");
        Player gm = new Player(edge.vertx(), edge.bridgePort(), table.gmToken(), table.gmId(), table.roomId(), true);
        Player pip = new Player(
                edge.vertx(),
                edge.bridgePort(),
                pipSession.getString("token"),
                Table.userId(pipSession),
                table.roomId(),
                false);
        Player quin = new Player(
                edge.vertx(),
                edge.bridgePort(),
                quinSession.getString("token"),
                Table.userId(quinSession),
                table.roomId(),
                false);
        ViewFollower gmView = new ViewFollower(gm);
        ViewFollower pipView = new ViewFollower(pip);
        ViewFollower quinView = new ViewFollower(quin);

        gm.ok(Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Keep"));
        String scene = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getString("activeScene");
        String pipsToken = tokenFor(gm, scene, pip.userId);
        String quinsToken = tokenFor(gm, scene, quin.userId);
        String firstOwner =
                gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getString("owner");
        assertThat(mapNodes).containsKey(firstOwner);

        // 1. SIGKILL the owner while both players move.
        AtomicLong killedAt = new AtomicLong();
        List<Moves> beforeKill = play(List.of(pip, quin), List.of(pipsToken, quinsToken), 60, 15, () -> {
            killedAt.set(System.nanoTime());
            mapNodes.remove(firstOwner).kill();
        });
        String secondOwner =
                gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getString("owner");
        assertThat(secondOwner).isNotEqualTo(firstOwner);
        // Unavailability as a player feels it: kill → acknowledgement of the first move sent after the kill.
        long firstServedAfterKill = beforeKill.stream()
                .flatMap(m -> m.timings().stream())
                .filter(t -> t[0] > killedAt.get())
                .mapToLong(t -> t[1])
                .min()
                .orElseThrow();
        System.out.printf(
                "failover: owner %s killed, room served again by %s after %d ms%n",
                firstOwner, secondOwner, (firstServedAfterKill - killedAt.get()) / 1_000_000);

        // 2. A fresh node joins; the owner then stops gracefully while both players move: no move is lost or refused.
        startMapNode("map-c");
        await().atMost(Duration.ofSeconds(60)).until(() -> edge.context().clusterMembers() == 3);
        AtomicLong stoppedAt = new AtomicLong();
        List<Moves> duringHandover = play(List.of(pip, quin), List.of(pipsToken, quinsToken), 60, 15, () -> {
            stoppedAt.set(System.nanoTime());
            mapNodes.get(secondOwner).terminate();
        });
        assertThat(mapNodes.remove(secondOwner).awaitExit(Duration.ofSeconds(30)))
                .isZero();
        String thirdOwner =
                gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getString("owner");
        assertThat(thirdOwner).isNotEqualTo(secondOwner);
        for (Moves moves : duringHandover)
            assertThat(moves.refused()).as("graceful handover refuses nothing").isEmpty();

        // 3. The log: no gap, no duplicate, every acknowledged move in it.
        List<JsonObject> log = TestStorage.storedLog(database, table.roomId());
        for (int i = 0; i < log.size(); i++)
            assertThat(log.get(i).getLong("seq")).isEqualTo(i + 1L);
        Map<Long, JsonObject> bySeq = new HashMap<>();
        log.forEach(e -> bySeq.put(e.getLong("seq"), e));
        int ackedTotal = 0;
        for (Moves moves : concat(beforeKill, duringHandover)) {
            for (Map.Entry<Long, Integer> ack : moves.acked().entrySet()) {
                JsonObject stored = bySeq.get(ack.getKey());
                assertThat(stored).as("acknowledged seq " + ack.getKey()).isNotNull();
                assertThat(stored.getJsonObject("data").getDouble("x"))
                        .isEqualTo(ack.getValue().doubleValue());
                ackedTotal++;
            }
        }
        System.out.printf(
                "failover run: %d acknowledged moves, %d events stored, refusals during the kill %s%n",
                ackedTotal, log.size(), beforeKill.stream().map(Moves::refused).toList());

        // 4. Every client converges to the state the log describes, resyncing by itself.
        JsonObject state = RoomReducer.empty(table.roomId());
        for (JsonObject e : log)
            RoomReducer.apply(state, e.getLong("seq"), e.getString("type"), e.getJsonObject("data"));
        assertThat(gmView.catchUp()).isEqualTo(RoomViews.gm(state));
        assertThat(pipView.catchUp()).isEqualTo(RoomViews.player(state));
        assertThat(quinView.catchUp()).isEqualTo(RoomViews.player(state));
        for (Player p : List.of(gm, pip, quin)) p.close();
    }

    private static String tokenFor(Player gm, String scene, String owner) {
        long seq = gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "token.create")
                                .put("sceneId", scene)
                                .put("name", "Hero")
                                .put("x", 0)
                                .put("y", 0)
                                .put("owners", new JsonArray().add(owner)))
                .getLong("seq");
        return gm.awaitSeq(seq).getJsonObject("data").getString("tokenId");
    }

    /**
     * Each player moves its token {@code count} times; once every player has {@code disruptAfter} acknowledged
     * moves, {@code disruption} runs (on this thread) while they carry on.
     */
    private static List<Moves> play(
            List<Player> players, List<String> tokens, int count, int disruptAfter, ThrowingRunnable disruption)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(players.size());
        List<Moves> results = new CopyOnWriteArrayList<>();
        AtomicInteger ready = new AtomicInteger();
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (int p = 0; p < players.size(); p++) {
            Player player = players.get(p);
            String token = tokens.get(p);
            Moves moves = new Moves(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new CopyOnWriteArrayList<>());
            results.add(moves);
            running.add(pool.submit(() -> {
                for (int x = 1; x <= count; x++) {
                    int target = x * 7 + (int) (System.nanoTime() % 5);
                    long sent = System.nanoTime();
                    JsonObject reply = player.command(
                            Addresses.IN_MAP,
                            new JsonObject()
                                    .put("op", "token.move")
                                    .put("tokenId", token)
                                    .put("x", target)
                                    .put("y", x));
                    if (reply.getBoolean("ok", false)) {
                        moves.acked().put(reply.getLong("seq"), target);
                        moves.timings().add(new long[] {sent, System.nanoTime()});
                        if (moves.acked().size() == disruptAfter) ready.incrementAndGet();
                    } else {
                        moves.refused()
                                .computeIfAbsent(reply.getString("code"), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                }
                return null;
            }));
        }
        // Wait until every mover is ready, or one of them has ended (its failure says what it saw).
        await().atMost(Duration.ofSeconds(90))
                .until(() -> ready.get() == players.size()
                        || running.stream().anyMatch(java.util.concurrent.Future::isDone));
        for (java.util.concurrent.Future<?> f : running) if (f.isDone()) f.get();
        disruption.run();
        for (java.util.concurrent.Future<?> f : running) f.get(5, TimeUnit.MINUTES);
        pool.shutdown();
        return results;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<Moves> concat(List<Moves> a, List<Moves> b) {
        List<Moves> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
