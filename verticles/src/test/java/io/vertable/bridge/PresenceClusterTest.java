package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.bridge.PresenceChangesTest.Listener;
import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence changes when two clustered nodes serve one room: each node announces its own sockets, the lists agree. */
class PresenceClusterTest {

    static final int BURST = 20;
    static final Duration SETTLED = Duration.ofSeconds(30);

    static Node nodeA;
    static Node nodeB;
    static Rest rest;

    final List<BridgeClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        PgUrl database = TestStorage.freshDatabase("presence-cluster");
        TestCluster cluster = TestCluster.create(2);
        JsonObject overrides = new JsonObject().put("presence", new JsonObject().put("ttlSeconds", 300));
        nodeA = cluster.start("node-a", "http:1,bridge:1,persistence:1", database, overrides);
        nodeB = cluster.start("node-b", "http:1,bridge:1", database, overrides);
        await().atMost(SETTLED).until(() -> nodeB.context().clusterMembers() == 2);
        rest = new Rest(nodeA.httpPort());
    }

    @AfterAll
    static void stop() {
        for (Node node : List.of(nodeB, nodeA)) if (node != null) node.shutdown();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(BridgeClient::close);
    }

    @Test
    void joinsAndLeavesOnBothNodesReachEveryListener() {
        Table table = Table.create(rest, "Two nodes");
        String room = Addresses.room(table.roomId());
        List<JsonObject> players = new ArrayList<>();
        for (int i = 0; i < BURST; i++) players.add(table.join("P" + i, "PLAYER"));
        Listener gmOnA = listen(nodeA, table.gmToken(), room);
        JsonObject watcher = table.join("Watcher", "OBSERVER");
        Listener watcherOnB = listen(nodeB, watcher.getString("token"), room);
        Set<String> everyone = new HashSet<>(Set.of(table.gmId(), Table.userId(watcher)));

        // Alternate nodes; one player keeps a tab on each node.
        List<Listener> tabs = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            tabs.add(listen(i % 2 == 0 ? nodeA : nodeB, players.get(i).getString("token"), room));
            everyone.add(Table.userId(players.get(i)));
        }
        Listener secondTabOnB = listen(nodeB, players.get(0).getString("token"), room);
        gmOnA.awaitList(everyone);
        watcherOnB.awaitList(everyone);
        gmOnA.awaitWholeList(everyone);
        watcherOnB.awaitWholeList(everyone);

        // Every player tab closes; player 0 stays through its tab on the other node.
        tabs.forEach(tab -> tab.client.close());
        Set<String> staying = Set.of(table.gmId(), Table.userId(watcher), Table.userId(players.get(0)));
        gmOnA.awaitList(staying);
        watcherOnB.awaitList(staying);
        gmOnA.awaitWholeList(staying);
        watcherOnB.awaitWholeList(staying);
        assertThat(gmOnA.online).isEqualTo(staying);

        secondTabOnB.client.close();
        Set<String> watchers = Set.of(table.gmId(), Table.userId(watcher));
        gmOnA.awaitList(watchers);
        watcherOnB.awaitList(watchers);
    }

    private Listener listen(Node node, String token, String room) {
        BridgeClient client = BridgeClient.open(node.vertx(), node.bridgePort(), token);
        clients.add(client);
        client.register(room);
        return new Listener(client, room);
    }
}
