package io.vertable.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two would-be owners of one room at once, as a split cluster could produce: the database takes the first writer's
 * events and refuses the second's, which steps down; the log never forks and no acknowledged move is lost.
 */
class RoomFenceTest {

    static PgUrl database;
    static Node edge;
    static Node other;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("fence-cluster");
        TestCluster cluster = TestCluster.create(2);
        JsonObject generous = TestNodes.generousBridgeLimits();
        edge = cluster.start("fence-edge", "http:1,bridge:1,persistence:1,map:1", database, generous);
        other = cluster.start("fence-other", "map:1", database, generous);
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.context().clusterMembers() == 2);
    }

    @AfterAll
    static void stop() {
        for (Node node : List.of(other, edge)) if (node != null) node.shutdown();
    }

    @Test
    void aSecondOwnerIsFencedOffByTheDatabaseAndStepsDown() throws Exception {
        Table table = Table.create(new Rest(edge.httpPort()), "Split");
        try (Player gm =
                new Player(edge.vertx(), edge.bridgePort(), table.gmToken(), table.gmId(), table.roomId(), true)) {
            JsonObject joined = gm.join();
            gm.ok(Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Hall"));
            String token = gm.createTokenOnActiveScene("Runner");
            String owner =
                    gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getString("owner");

            // The rogue loads the room now, on the node that does not own it, without the lock...
            Node rogueNode = owner.equals("fence-edge") ? other : edge;
            RoomOwner rogue = RoomOwner.load(
                            rogueNode.vertx(),
                            table.roomId(),
                            "rogue",
                            () -> {},
                            new DiceSeeds(new byte[32]),
                            rogueNode.context().meters(),
                            () -> {})
                    .await();
            // ...and the real owner moves on before the rogue starts answering, so the rogue is the stale one.
            Map<Long, Integer> acked = new HashMap<>();
            for (int x = 1; x <= 3; x++) acked.put(move(gm, token, x), x);
            rogue.serve().await();

            for (int x = 4; x <= 40; x++) acked.put(move(gm, token, x), x);
            await().atMost(Duration.ofSeconds(10)).until(() -> !rogue.active());
            assertThat(acked).hasSize(40);

            try (Connection c = TestStorage.jdbc(database)) {
                ResultSet range = c.createStatement()
                        .executeQuery(
                                "SELECT count(*), min(seq), max(seq), count(DISTINCT seq) FROM events WHERE room_id = '"
                                        + table.roomId() + "'");
                range.next();
                assertThat(range.getLong(2)).isEqualTo(1);
                assertThat(range.getLong(1)).as("no gap").isEqualTo(range.getLong(3));
                assertThat(range.getLong(4)).as("no fork").isEqualTo(range.getLong(1));
                for (Map.Entry<Long, Integer> ack : acked.entrySet()) {
                    ResultSet row = c.createStatement()
                            .executeQuery("SELECT data->>'x' FROM events WHERE room_id = '" + table.roomId()
                                    + "' AND seq = " + ack.getKey());
                    assertThat(row.next())
                            .as("acknowledged seq " + ack.getKey() + " is stored")
                            .isTrue();
                    assertThat(Double.parseDouble(row.getString(1)))
                            .isEqualTo(ack.getValue().doubleValue());
                }
            }
            assertThat(joined.getLong("seq")).isZero();
        }
    }

    private static long move(Player gm, String token, int x) {
        return gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "token.move")
                                .put("tokenId", token)
                                .put("x", x)
                                .put("y", 0))
                .getLong("seq");
    }
}
