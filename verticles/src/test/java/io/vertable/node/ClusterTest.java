package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Http;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three clustered nodes on loopback in this JVM, each with a different plan: an edge node (http), and two core nodes
 * with unequal persistence instance counts (1 and 2).
 */
class ClusterTest {

    static TestCluster cluster;
    static Node edge;
    static Node coreOne;
    static Node coreTwo;
    static final java.util.Set<String> probed = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startCluster() {
        PgUrl database = TestStorage.freshDatabase("cluster");
        cluster = TestCluster.create(3);
        edge = cluster.start("edge", "http:1", database);
        coreOne = cluster.start("core-1", "persistence:1,dice:1", database);
        coreTwo = cluster.start("core-2", "persistence:2,map:1,chat:1", database);
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.context().clusterMembers() == 3);
    }

    @AfterAll
    static void stopCluster() {
        for (Node node : List.of(edge, coreOne, coreTwo)) if (node != null) node.shutdown();
    }

    private static JsonObject ask(Node from, String address) {
        return from.vertx()
                .eventBus()
                .<JsonObject>request(address, null)
                .await()
                .body();
    }

    @Test
    void theEdgeNodeIsReadyThroughPersistenceOnAnotherNode() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonObject report = Http.getJson(edge.httpPort(), "/health/ready");
            assertThat(report.getString("status")).as(report.encode()).isEqualTo("UP");
            assertThat(report.getJsonObject("cluster").getInteger("members")).isEqualTo(3);
            assertThat(report.getJsonObject("checks").getJsonObject("cluster").getString("status"))
                    .isEqualTo("UP");
            assertThat(report.getJsonObject("checks").getJsonObject("postgres").getString("via"))
                    .isIn("core-1", "core-2");
        });
    }

    @Test
    void verticlesOnDifferentNodesAnswerEachOther() {
        assertThat(ask(edge, Addresses.status(VerticleName.DICE)).getString("node"))
                .isEqualTo("core-1");
        assertThat(ask(edge, Addresses.status(VerticleName.MAP)).getString("node"))
                .isEqualTo("core-2");
        assertThat(ask(coreOne, Addresses.status(VerticleName.CHAT)).getString("node"))
                .isEqualTo("core-2");
        assertThat(ask(coreTwo, Addresses.status(VerticleName.HTTP)).getString("node"))
                .isEqualTo("edge");
    }

    @Test
    void pointToPointWorkReachesEveryNodeInProportionToItsInstances() {
        String address = Addresses.status(VerticleName.PERSISTENCE);
        // Subscriptions reach each node's view asynchronously: wait until the edge reaches all three instances.
        await().atMost(Duration.ofSeconds(15))
                .until(() -> sendAll(edge, address, 30, reply -> reply.getString("instance"))
                                .size()
                        == 3);

        for (Node sender : List.of(edge, coreOne)) {
            List<JsonObject> replies = send(sender, address, 300);
            Map<String, Long> byNode = count(replies, reply -> reply.getString("node"));
            Map<String, Long> byInstance = count(replies, reply -> reply.getString("instance"));
            // core-1 runs one instance, core-2 two: a third and two thirds of the work, each instance a third.
            assertThat(byNode.get("core-1"))
                    .as("from %s: %s", sender.id(), byNode)
                    .isBetween(80L, 120L);
            assertThat(byNode.get("core-2"))
                    .as("from %s: %s", sender.id(), byNode)
                    .isBetween(180L, 220L);
            assertThat(byInstance).hasSize(3);
            assertThat(byInstance.values()).allSatisfy(n -> assertThat(n).isBetween(70L, 130L));
        }
    }

    /**
     * The Vert.x 5 defect the balanced consumers work around (docs/adr/0003-balanced-point-to-point.md). If this
     * fails, Vert.x balances by itself now and {@code BalancedConsumers} can go.
     */
    @Test
    void plainClusteredConsumersStarveANodeWithOneInstance() {
        String address = "test.raw." + UUID.randomUUID();
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        register(coreOne, address, "core-1#1", received);
        await().atMost(Duration.ofSeconds(15)).until(() -> reached(edge, address, "core-1#1"));
        register(coreTwo, address, "core-2#1", received);
        register(coreTwo, address, "core-2#2", received);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> reached(edge, address, "core-2#1") && reached(edge, address, "core-2#2"));

        for (int i = 0; i < 60; i++) edge.vertx().eventBus().send(address, i);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        received.values().stream().mapToInt(AtomicInteger::get).sum() == 60);
        assertThat(received.get("core-1#1"))
                .as("one instance, weight 0: starved")
                .isNull();
    }

    private static void register(Node node, String address, String name, Map<String, AtomicInteger> received) {
        EventBus bus = node.vertx().eventBus();
        MessageConsumer<Object> consumer = bus.consumer(address, m -> {
            // Probes that were still in flight when the count was reset do not count.
            if (m.body() instanceof Integer)
                received.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            else probed.add(name);
        });
        consumer.completion().await();
    }

    private static boolean reached(Node from, String address, String name) {
        from.vertx().eventBus().send(address, "probe");
        return probed.contains(name);
    }

    private static List<JsonObject> send(Node from, String address, int count) {
        List<Future<JsonObject>> replies = new ArrayList<>();
        EventBus bus = from.vertx().eventBus();
        for (int i = 0; i < count; i++)
            replies.add(bus.<JsonObject>request(address, null).map(m -> m.body()));
        try {
            Future.all(replies).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("requests did not complete", e);
        }
        return replies.stream().map(Future::result).toList();
    }

    private static Map<String, Long> sendAll(Node from, String address, int count, Function<JsonObject, String> key) {
        return count(send(from, address, count), key);
    }

    private static Map<String, Long> count(List<JsonObject> replies, Function<JsonObject, String> key) {
        return replies.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }
}
