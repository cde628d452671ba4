package io.vertable.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Owners let go of rooms nobody uses (a snapshot first), keep the rooms people use, and a room that was let go comes
 * back on its next command with its state and its seq.
 */
class IdleRoomsTest {

    static PgUrl database;
    static Node node;
    static Rest rest;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("idle-rooms");
        JsonObject overrides = TestNodes.standalone("idle-node", "http:1,bridge:1,persistence:1,map:2", database);
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        // Long enough that setting up twelve rooms on a busy machine never outlasts it.
        overrides.put("rooms", new JsonObject().put("idleUnloadSeconds", 15));
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    @Test
    void idleRoomsAreLetGoBusyOnesKeptAndALetGoRoomComesBackWhole() throws Exception {
        List<Player> gms = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Table table = Table.create(rest, "Idle " + i);
            Player gm = Player.gm(node, table);
            gm.join();
            seqs.add(gm.ok(
                            Addresses.IN_MAP,
                            new JsonObject().put("op", "scene.create").put("name", "Hall " + i))
                    .getLong("seq"));
            gms.add(gm);
        }
        assertThat(node.context().meters().roomsOwned()).isEqualTo(12);

        // Room 0 stays in use (a command every few hundred ms, far inside the 5 s idle limit) while the rest go.
        Player busy = gms.get(0);
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (node.context().meters().roomsOwned() > 1) {
            assertThat(System.nanoTime()).as("idle rooms let go within 90 s").isLessThan(deadline);
            busy.ok(Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", 0));
            Thread.sleep(250); // the busy player's pace of play, not a wait for a condition
        }
        assertThat(node.context().meters().roomsOwned())
                .as("the room in use is kept")
                .isEqualTo(1);

        // Each room let go left a snapshot at its last seq, so its next owner loads without replaying the log.
        for (int i = 1; i < gms.size(); i++) {
            assertThat(latestSnapshot(gms.get(i).roomId)).as("room " + i).isEqualTo(seqs.get(i));
        }

        // A command brings a room back: same state, the next seq.
        Player returning = gms.get(3);
        JsonObject view = returning.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"));
        assertThat(view.getLong("seq")).isEqualTo(seqs.get(3));
        assertThat(view.getJsonObject("view").getJsonObject("scenes")).hasSize(1);
        long next = returning
                .ok(Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Cellar"))
                .getLong("seq");
        assertThat(next).isEqualTo(seqs.get(3) + 1);
        assertThat(node.context().meters().roomsOwned()).isEqualTo(2);
        gms.forEach(Player::close);
    }

    private static long latestSnapshot(String roomId) throws Exception {
        try (Connection c = TestStorage.jdbc(database);
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT coalesce(max(seq), -1) FROM snapshots WHERE room_id = '" + roomId + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
