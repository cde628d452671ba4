package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.testing.Rest;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The server role ADMIN: the first account ever, and usernames the operator grants in config. */
class ServerRoleTest {

    @Test
    void theFirstAccountIsAdminAndConfigGrantsMore() {
        JsonObject overrides =
                TestNodes.standalone("roles", "http:1,persistence:1", TestStorage.freshDatabase("roles"));
        overrides.put("auth", new JsonObject().put("admins", new JsonArray().add("operator")));
        Node node = Node.start(TestNodes.config(overrides));
        try {
            Rest rest = new Rest(node.httpPort());
            assertThat(register(rest, "first").getBoolean("admin")).isTrue();
            assertThat(register(rest, "second").getBoolean("admin")).isFalse();
            assertThat(register(rest, "operator").getBoolean("admin")).isTrue();
            String token = rest.post(
                            "/api/auth/login",
                            null,
                            new JsonObject().put("username", "second").put("password", "a long enough secret"))
                    .body()
                    .getString("token");
            assertThat(rest.get("/api/me", token).body().getBoolean("admin")).isFalse();
        } finally {
            node.shutdown();
        }
    }

    private static JsonObject register(Rest rest, String username) {
        Rest.Reply reply = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", username)
                        .put("password", "a long enough secret")
                        .put("displayName", username));
        assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
        return reply.body().getJsonObject("user");
    }
}
