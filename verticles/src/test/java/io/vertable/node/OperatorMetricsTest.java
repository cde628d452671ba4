package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.http.HttpVerticle;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Http;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code vertable_*} series on {@code /metrics} after real activity: rooms, sockets, refusals, appends, handovers. */
class OperatorMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("(?m)^(vertable_[a-z_]+)(\\{[^}]*})? ([0-9.eE+-]+)$");

    @Test
    void anOperatorSeesRoomsSocketsRefusalsAppendsAndHandovers() {
        JsonObject overrides = TestNodes.standalone(
                "metrics", "http:1,bridge:1,persistence:1,map:1", TestStorage.freshDatabase("metrics"));
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        Node node = Node.start(TestNodes.config(overrides));
        try {
            Rest rest = new Rest(node.httpPort());
            Table first = Table.create(rest, "First");
            Table second = Table.create(rest, "Second");
            Player gm =
                    new Player(node.vertx(), node.bridgePort(), first.gmToken(), first.gmId(), first.roomId(), true);
            Player other =
                    new Player(node.vertx(), node.bridgePort(), second.gmToken(), second.gmId(), second.roomId(), true);
            gm.join();
            other.join();
            long stored = 0; // the room's seq: every event it stored (a first scene is also activated)
            for (int i = 0; i < 20; i++) {
                JsonObject create = new JsonObject().put("op", "scene.create").put("name", "Scene " + i);
                stored = gm.ok(Addresses.IN_MAP, create).getLong("seq");
            }
            // A stream of a room this GM is not in: refused with NOT_A_MEMBER.
            gm.socket.register(Addresses.roomGm(second.roomId()));
            gm.socket.awaitRefusal("NOT_A_MEMBER");
            // No token: the upgrade is refused with UNAUTHENTICATED.
            boolean refused = BridgeClient.connect(node.vertx(), node.bridgePort(), null, null, false)
                    .transform(done -> Future.succeededFuture(done.failed()))
                    .await();
            assertThat(refused).isTrue();

            Map<String, Double> before = scrape(node);
            assertThat(before.get("vertable_rooms_owned")).isEqualTo(2.0);
            assertThat(before.get("vertable_bridge_sockets")).isEqualTo(2.0);
            assertThat(before.get("vertable_events_appended_total")).isEqualTo((double) stored);
            assertThat(before.get("vertable_append_latency_seconds_count")).isBetween(1.0, 20.0);
            assertThat(before.get("vertable_append_latency_seconds_sum"))
                    .isGreaterThan(0.0)
                    .isLessThan(20.0);
            assertThat(before.get("vertable_bridge_refusals_total{code=\"NOT_A_MEMBER\"}"))
                    .isEqualTo(1.0);
            assertThat(before.get("vertable_bridge_refusals_total{code=\"UNAUTHENTICATED\"}"))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(before.get("vertable_room_handovers_total")).isZero();
            assertThat(before.get("vertable_room_failovers_total")).isZero();

            // A second map instance, then back to one: the newest stops and hands over whatever it owned.
            node.rescale(VerticleName.MAP, 2).await();
            List<Player> late = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Table table = Table.create(rest, "Late " + i);
                late.add(Player.gm(node, table));
                late.get(i).join();
            }
            int onNewest = node.context().meters().roomsByInstance().values().stream()
                    .mapToInt(Integer::intValue)
                    .min()
                    .orElseThrow();
            assertThat(onNewest)
                    .as("the second instance claimed some of the late rooms")
                    .isPositive();
            node.rescale(VerticleName.MAP, 1).await();
            gm.close();
            await(() -> scrape(node).get("vertable_bridge_sockets") == 5.0); // the other GM and the four late ones

            Map<String, Double> after = scrape(node);
            assertThat(after.get("vertable_rooms_owned")).isEqualTo(6.0);
            assertThat(after.get("vertable_room_handovers_total")).isEqualTo((double) onNewest);
            System.out.printf("metrics: rooms on the instance that stopped %d, series %s%n", onNewest, after);
            other.close();
            late.forEach(Player::close);
        } finally {
            node.shutdown();
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(condition);
    }

    /** Every {@code vertable_*} sample by name and labels, as Prometheus would read it. */
    private static Map<String, Double> scrape(Node node) {
        var response = Http.get(node.httpPort(), HttpVerticle.METRICS_PATH);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        Matcher sample = SAMPLE.matcher(response.body());
        while (sample.find())
            samples.put(
                    sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)),
                    Double.parseDouble(sample.group(3)));
        return samples;
    }
}
