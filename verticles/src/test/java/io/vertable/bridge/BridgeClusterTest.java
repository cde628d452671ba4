package io.vertable.bridge;

import static io.vertable.testing.BridgeClient.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.TrustedHeaders;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two clustered nodes, each with its own http and bridge, sharing PostgreSQL and Redis as a real deployment does. */
class BridgeClusterTest {

    static Node nodeA;
    static Node nodeB;
    static Rest restA;
    static Rest restB;
    static final AtomicInteger commandsFromPip = new AtomicInteger();
    static MessageConsumer<JsonObject> roomService;
    static String pipId;

    @BeforeAll
    static void start() {
        PgUrl database = TestStorage.freshDatabase("bridge-cluster");
        TestCluster cluster = TestCluster.create(2);
        JsonObject limits = new JsonObject()
                .put("rateLimits", new JsonObject().put("loginPerMinute", 3))
                .put("bridge", new JsonObject().put("userRatePerSecond", 1).put("userBurst", 10));
        nodeA = cluster.start("node-a", "http:1,bridge:1,persistence:1", database, limits);
        nodeB = cluster.start("node-b", "http:1,bridge:1", database, limits);
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeB.context().clusterMembers() == 2);
        restA = new Rest(nodeA.httpPort());
        restB = new Rest(nodeB.httpPort());
        roomService = nodeA.vertx().eventBus().consumer(Addresses.CHAT_COMMAND, message -> {
            if (message.headers().get(TrustedHeaders.USER_ID).equals(pipId)) commandsFromPip.incrementAndGet();
            message.reply(new JsonObject().put("ok", true));
        });
        roomService.completion().await();
    }

    @AfterAll
    static void stop() {
        for (Node node : List.of(nodeB, nodeA)) if (node != null) node.shutdown();
    }

    @Test
    void loginAttemptsAreLimitedAcrossNodes() {
        String username = "target-" + System.nanoTime();
        JsonObject wrong = new JsonObject().put("username", username).put("password", "guess guess");
        // The per-username limit is 3 a minute, shared: alternate the nodes and the fourth attempt is refused.
        assertThat(restA.post("/api/auth/login", null, wrong).code()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(restB.post("/api/auth/login", null, wrong).code()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(restA.post("/api/auth/login", null, wrong).code()).isEqualTo("INVALID_CREDENTIALS");
        Rest.Reply limited = restB.post("/api/auth/login", null, wrong);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("RATE_LIMITED");
        assertThat(Integer.parseInt(limited.header("retry-after"))).isPositive();
        assertThat(limited.body().getLong("retryAfterMs")).isPositive();
    }

    @Test
    void aUsersBridgeMessagesAreLimitedAcrossNodes() {
        Table table = Table.create(restA, "Shared limit");
        JsonObject pip = table.join("Pip", "PLAYER");
        pipId = Table.userId(pip);
        try (BridgeClient onA = BridgeClient.open(nodeA.vertx(), nodeA.bridgePort(), pip.getString("token"));
                BridgeClient onB = BridgeClient.open(nodeB.vertx(), nodeB.bridgePort(), pip.getString("token"))) {
            // 20 commands on each node: each socket's own limit (burst 40) lets them all through, the user's (burst
            // 10, 1/s) does not, wherever they come from.
            for (int i = 0; i < 20; i++) {
                onA.send(command(table, i));
                onB.send(command(table, i));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> refusals(onA) + refusals(onB) + commandsFromPip.get() >= 40);
            assertThat(refusals(onA)).isPositive();
            assertThat(refusals(onB)).isPositive();
            assertThat(commandsFromPip.get()).isBetween(10, 15);
        }
    }

    private static long refusals(BridgeClient client) {
        return client.seen().stream()
                .filter(f -> "RATE_LIMITED".equals(f.getString("code")))
                .count();
    }

    private static JsonObject command(Table table, int i) {
        return new JsonObject()
                .put("type", "send")
                .put("address", Addresses.IN_CHAT)
                .put("body", new JsonObject().put("room", table.roomId()).put("i", i));
    }

    @Test
    void aKickThroughNodeAClosesTheVictimsSocketOnNodeB() {
        Table table = Table.create(restA, "Cross-node kick");
        JsonObject victim = table.join("Vic", "PLAYER");
        try (BridgeClient onB = BridgeClient.open(nodeB.vertx(), nodeB.bridgePort(), victim.getString("token"))) {
            onB.register(Addresses.room(table.roomId()));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                nodeA.vertx().eventBus().publish(Addresses.room(table.roomId()), new JsonObject().put("marker", 1));
                return onB.seen().stream().anyMatch(rec(Addresses.room(table.roomId())));
            });
            Rest.Reply kick =
                    restA.delete("/api/rooms/" + table.roomId() + "/members/" + Table.userId(victim), table.gmToken());
            assertThat(kick.status()).isEqualTo(200);
            onB.awaitRefusal("KICKED");
            assertThat(onB.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void presenceIsTheSameListOnBothNodes() {
        Table table = Table.create(restA, "Who is here");
        JsonObject pip = table.join("Pip", "PLAYER");
        try (BridgeClient gmOnA = BridgeClient.open(nodeA.vertx(), nodeA.bridgePort(), table.gmToken());
                BridgeClient pipOnB = BridgeClient.open(nodeB.vertx(), nodeB.bridgePort(), pip.getString("token"))) {
            gmOnA.register(Addresses.room(table.roomId()));
            pipOnB.register(Addresses.room(table.roomId()));
            List<String> both = List.of(table.gmId(), Table.userId(pip));
            gmOnA.await(frame -> online(frame).containsAll(both));
            pipOnB.await(frame -> online(frame).containsAll(both));
        }
    }

    private static List<String> online(JsonObject frame) {
        JsonObject body = frame.getJsonObject("body");
        if (body == null || !"presence".equals(body.getString("type"))) return List.of();
        return body.getJsonArray("online").stream()
                .map(o -> ((JsonObject) o).getString("userId"))
                .toList();
    }
}
