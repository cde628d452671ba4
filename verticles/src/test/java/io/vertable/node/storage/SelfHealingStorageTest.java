package io.vertable.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.DeploymentPlan;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Http;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with its own embedded PostgreSQL and Redis, whose servers are killed with SIGKILL under it: it refuses with
 * {@code STORE_UNAVAILABLE} (never INTERNAL) while the database is gone, brings both back by itself, and serves the
 * data it had.
 */
class SelfHealingStorageTest {

    private static final Duration COMES_BACK = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;

    static Node node;
    static Rest rest;
    static String token;

    @BeforeAll
    static void start() {
        var config = new JsonObject()
                .put("node", new JsonObject().put("id", "healer").put("dataDir", dataDir.toString()))
                .put(
                        "deploy",
                        DeploymentPlan.parse("http:1,bridge:1,map:1,persistence:1", "test")
                                .toJson())
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("postgres", new JsonObject().put("url", "").put("embeddedPort", 0))
                .put("redis", new JsonObject().put("url", "").put("embeddedPort", 0))
                // The test retries a write until the database is back: well within the limits, however long that takes.
                .put(
                        "rateLimits",
                        new JsonObject()
                                .put("loginPerMinute", 10_000)
                                .put("registerPerHour", 100_000)
                                .put("restWritesPerMinute", 100_000))
                .put("shutdown", new JsonObject().put("graceSeconds", 5));
        node = Node.start(TestNodes.config(config));
        rest = new Rest(node.httpPort());
        Rest.Reply registered = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", "healer")
                        .put("password", "a long enough secret")
                        .put("displayName", "Healer"));
        assertThat(registered.status()).as(registered.body().encode()).isEqualTo(201);
        token = registered.body().getString("token");
        assertThat(createRoom("Before the crash").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (node != null) assertThat(node.shutdown()).isTrue();
    }

    @Test
    void aKilledPostgresRefusesWithTheOutageCodeThenComesBackWithItsData() throws Exception {
        // A GM at a live table, the room loaded by its owner.
        Table table = Table.create(rest, "Crypt");
        Player gm = Player.gm(node, table);
        gm.join();
        gm.ok(Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Hall"));

        // Its port taken, PostgreSQL cannot come back until the refusals below were seen: the supervisor restarts a
        // dead server within a second, which could otherwise beat the first command on a busy machine.
        io.vertable.kit.PgUrl url = new io.vertable.kit.PgUrl(
                node.context().config().section("postgres").getString("url"));
        TestStorage.HeldPort portTaken =
                TestStorage.killAndHoldPort(dataDir.resolve("postgres").resolve("postmaster.pid"), url);
        List<String> seen = new ArrayList<>();
        try {
            // Commands during the outage: the first reaches the loaded owner (which steps down), the next has to load
            // the room again. Each is told the database is away (so the table pauses and re-sends): never
            // "unavailable" in other words, never a timeout.
            for (int i = 0; i < 2; i++) {
                JsonObject answer = gm.command(
                        Addresses.IN_MAP,
                        new JsonObject().put("op", "scene.create").put("name", "Cellar " + i));
                assertThat(answer.getString("code")).as(answer.encode()).isEqualTo("STORE_UNAVAILABLE");
            }
            gm.close();
            // A REST write meanwhile: a clear, retryable refusal (never 500 INTERNAL).
            Rest.Reply refused = createRoom("During the outage");
            seen.add(refused.status() + " " + refused.code());
            assertThat(refused.status()).as(seen.toString()).isEqualTo(503);
            assertThat(refused.code()).as(seen.toString()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(refused.header("Retry-After")).isEqualTo("5");
        } finally {
            portTaken.close();
        }

        // Then it is served again by itself (refused the same way until the supervisor has brought it back).
        long deadline = System.nanoTime() + COMES_BACK.toNanos();
        Rest.Reply created;
        while (true) {
            created = createRoom("During the outage");
            if (created.status() == 201) break;
            seen.add(created.status() + " " + created.code());
            assertThat(created.status()).as(seen.toString()).isEqualTo(503);
            assertThat(created.code()).as(seen.toString()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(created.header("Retry-After")).isEqualTo("5");
            assertThat(System.nanoTime())
                    .as("PostgreSQL back within " + COMES_BACK)
                    .isLessThan(deadline);
            Http.get(node.httpPort(), "/health/ready"); // paces the loop on a real round trip
        }
        System.out.printf("postgres outage: %d refusals before it came back%n", seen.size());

        awaitReadiness("UP"::equals, COMES_BACK);
        List<String> names = new ArrayList<>();
        rest.get("/api/rooms", token)
                .body()
                .getJsonArray("rooms")
                .forEach(r -> names.add(((JsonObject) r).getString("name")));
        assertThat(names).contains("Before the crash", "During the outage");
    }

    @Test
    void aKilledRedisDegradesTheNodeUntilItIsBack() throws Exception {
        awaitReadiness("UP"::equals, COMES_BACK);
        TestStorage.killServer(dataDir.resolve("redis").resolve("redis.pid"));
        awaitReadiness("DEGRADED"::equals, COMES_BACK);
        awaitReadiness("UP"::equals, COMES_BACK);
        assertThat(rest.get("/api/me", token).status()).isEqualTo(200);
    }

    private static Rest.Reply createRoom(String name) {
        return rest.post("/api/rooms", token, new JsonObject().put("name", name));
    }

    private static String awaitReadiness(java.util.function.Predicate<String> wanted, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        String status;
        do {
            status = new JsonObject(Http.get(node.httpPort(), "/health/ready").body()).getString("status");
            if (wanted.test(status)) return status;
        } while (System.nanoTime() < deadline);
        assertThat(status).as("readiness within " + within).matches(wanted::test);
        return status;
    }
}
