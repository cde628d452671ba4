package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertable.kit.PgUrl;
import io.vertable.kit.StartupException;
import io.vertable.testing.Http;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A standalone node in this JVM, read through its HTTP interface like a probe or an operator would. */
class StandaloneNodeTest {

    static PgUrl database;
    static Node node;
    static int port;

    @BeforeAll
    static void startNode() {
        database = TestStorage.freshDatabase("standalone");
        node = Node.start(TestNodes.config(TestNodes.standalone("solo-1", "http:2,persistence:1,dice:1", database)));
        port = node.httpPort();
    }

    @AfterAll
    static void stopNode() {
        assertThat(node.shutdown()).isTrue();
    }

    @Test
    void liveAnswersWithTheNodeId() {
        HttpResponse<String> live = Http.get(port, "/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(live.body()).getString("node")).isEqualTo("solo-1");
    }

    @Test
    void readyReportsEveryCheckThePlanAndTheMembers() {
        HttpResponse<String> ready = Http.get(port, "/health/ready");
        JsonObject report = new JsonObject(ready.body());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(report.getString("status")).isEqualTo("UP");
        assertThat(report.getString("node")).isEqualTo("solo-1");
        assertThat(report.getJsonObject("cluster").getInteger("members")).isEqualTo(1);
        assertThat(report.getJsonObject("plan").getMap())
                .containsEntry("http", 2)
                .containsEntry("persistence", 1)
                .containsEntry("dice", 1)
                .containsEntry("map", 0);
        JsonObject checks = report.getJsonObject("checks");
        assertThat(checks.getJsonObject("postgres").getString("status")).isEqualTo("UP");
        assertThat(checks.getJsonObject("postgres").getString("via")).isEqualTo("solo-1");
        assertThat(checks.getJsonObject("redis").getString("status")).isEqualTo("UP");
        assertThat(checks.getJsonObject("cluster").getString("mode")).isEqualTo("standalone");
    }

    @Test
    void metricsArePrometheusTextWithVertxAndJvmMeters() {
        Http.get(port, "/health/live"); // at least one request to count
        HttpResponse<String> metrics = Http.get(port, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("vertx_http_server_requests_total")
                .contains("vertx_eventbus_handlers")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads");
    }

    @Test
    void servesTheBrowserClient() {
        HttpResponse<String> page = Http.get(port, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Vertable</title>").contains("node-status");
    }

    @Test
    void unknownApiRouteIsAProblemWithACatalogCode() {
        HttpResponse<String> missing = Http.get(port, "/api/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).contains("application/problem+json");
        JsonObject problem = new JsonObject(missing.body());
        assertThat(problem.getString("code")).isEqualTo("NOT_FOUND");
        assertThat(problem.getInteger("status")).isEqualTo(404);
        assertThat(problem.getString("instance")).isEqualTo("/api/nothing-here");
    }

    @Test
    void aPortAlreadyInUseRefusesTheStartWithOneLine() throws IOException {
        try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            JsonObject overrides = TestNodes.standalone("clash", "http:1", database)
                    .put("http", new JsonObject().put("host", "127.0.0.1").put("port", taken.getLocalPort()));
            assertThatThrownBy(() -> Node.start(TestNodes.config(overrides)))
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("http.port " + taken.getLocalPort() + ": already in use")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        // The failed node left nothing behind that breaks this one.
        assertThat(Http.get(port, "/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnreachableDatabaseRefusesTheStartNamingTheKey() {
        JsonObject overrides = TestNodes.standalone("nodb", "persistence:1", database)
                .put("postgres", new JsonObject().put("url", "postgresql://postgres@127.0.0.1:1/none"));
        assertThatThrownBy(() -> Node.start(TestNodes.config(overrides)))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("postgres.url postgresql://postgres@127.0.0.1:1/none: cannot connect");
    }

    @Test
    void readinessSaysWhenNoPersistenceRunsAnywhere() {
        Node edge = Node.start(TestNodes.config(TestNodes.standalone("edge-only", "http:1", database)));
        try {
            HttpResponse<String> ready = Http.get(edge.httpPort(), "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonObject postgres =
                    new JsonObject(ready.body()).getJsonObject("checks").getJsonObject("postgres");
            assertThat(postgres.getString("status")).isEqualTo("DOWN");
            assertThat(postgres.getString("reason")).isEqualTo("no persistence verticle runs in the cluster");
        } finally {
            edge.shutdown();
        }
    }
}
