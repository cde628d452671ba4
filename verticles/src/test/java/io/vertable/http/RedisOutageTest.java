package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node whose Redis is unreachable: it says so, keeps serving, and still limits with its local buckets. */
class RedisOutageTest {

    static Node node;
    static Rest rest;

    @BeforeAll
    static void start() {
        JsonObject overrides =
                TestNodes.standalone("no-redis", "http:1,persistence:1", TestStorage.freshDatabase("no-redis"));
        overrides.getJsonObject("redis").put("url", "redis://127.0.0.1:1");
        overrides.getJsonObject("rateLimits").put("loginPerMinute", 3);
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    @Test
    void readinessReportsDegradedButStaysInService() {
        Rest.Reply ready = rest.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().getString("status")).isEqualTo("DEGRADED");
        assertThat(ready.body().getJsonObject("checks").getJsonObject("redis").getString("status"))
                .isEqualTo("DOWN");
    }

    @Test
    void accountsRoomsAndLogoutStillWork() {
        Table table = Table.create(rest, "Offline cache");
        JsonObject pip = table.join("Pip", "PLAYER");
        String token = pip.getString("token");
        assertThat(rest.get("/api/rooms/" + table.roomId(), token).status()).isEqualTo(200);
        assertThat(rest.post("/api/auth/logout", token, null).status()).isEqualTo(204);
        // Redis could not store the revocation; this node still knows it from the bus.
        assertThat(rest.get("/api/me", token).code()).isEqualTo("TOKEN_REVOKED");
    }

    @Test
    void limitsFallBackToThisNodesMemory() {
        JsonObject wrong = new JsonObject().put("username", "nobody-here").put("password", "guess guess");
        for (int i = 0; i < 3; i++)
            assertThat(rest.post("/api/auth/login", null, wrong).code()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(rest.post("/api/auth/login", null, wrong).code()).isEqualTo("RATE_LIMITED");
    }
}
