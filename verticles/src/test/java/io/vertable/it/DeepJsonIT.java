package io.vertable.it;

import static org.awaitility.Awaitility.await;

import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Http;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON nested about 990 levels (the parser takes up to 1,000) at every door of a freshly started node, in a JVM of its
 * own: a warm JVM's compiled frames are small enough to hide a stack overflow that a cold one hits. Each attack is
 * refused at once with JSON_TOO_DEEP, nothing overflows, and the node's database access stays whole.
 */
class DeepJsonIT {

    private static final int DEPTH = 990;

    @TempDir
    Path work;

    @Test
    void deeplyNestedJsonIsRefusedAtEveryDoorAndTheNodeStaysHealthy() throws Exception {
        Map<String, String> env = Map.of(
                "VTT_HTTP_PORT", "0",
                "VTT_HTTP_HOST", "127.0.0.1",
                "VTT_BRIDGE_PORT", "0",
                "VTT_BRIDGE_HOST", "127.0.0.1",
                "VTT_NODE_ID", "deep",
                "VTT_PG_EMBEDDED_PORT", Integer.toString(TestNodes.freePort()),
                "VTT_REDIS_EMBEDDED_PORT", Integer.toString(TestNodes.freePort()),
                "VTT_DATA_DIR", work.resolve("data").toString());
        Vertx vertx = Vertx.vertx();
        // Each door is reported on its own: on a node without the limit every one of them fails.
        SoftAssertions softly = new SoftAssertions();
        try (var node = NodeProcess.start(work, env)) {
            int port = node.awaitReady(Duration.ofSeconds(90));
            Rest rest = new Rest(port);
            int bridgePort = Http.getJson(port, "/api/config").getInteger("bridgePort");
            Table table = Table.create(rest, "Deep");

            // 1. A bridge token.move carrying a deep extra field: refused before the room ever sees it.
            try (Player gm = new Player(vertx, bridgePort, table.gmToken(), table.gmId(), table.roomId(), true)) {
                gm.join();
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject().put("op", "scene.create").put("name", "Field"));
                String tokenId = gm.createTokenOnActiveScene("Target");
                JsonObject refusal = sendRaw(
                        gm.socket,
                        "{\"room\":\"" + table.roomId() + "\",\"op\":\"token.move\",\"tokenId\":\"" + tokenId
                                + "\",\"x\":5,\"y\":5,\"junk\":" + nested(DEPTH) + "}");
                softly.assertThat(refusal.getString("code"))
                        .as(refusal.encode())
                        .isEqualTo("JSON_TOO_DEEP");
                // The same move without the junk goes through on the same socket.
                JsonObject moved = gm.command(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "token.move")
                                .put("tokenId", tokenId)
                                .put("x", 5)
                                .put("y", 5));
                softly.assertThat(moved.getBoolean("ok")).as(moved.encode()).isTrue();
            }

            // 2. A character sheet whose attributes nest deep.
            Rest.Reply sheet = rest.post(
                    "/api/rooms/" + table.roomId() + "/characters",
                    table.gmToken(),
                    "{\"name\":\"Deep\",\"attributes\":" + nested(DEPTH) + "}");
            softly.assertThat(sheet.status()).as(sheet.body().encode()).isEqualTo(400);
            softly.assertThat(sheet.code()).isEqualTo("JSON_TOO_DEEP");

            // 3. Eight imports with deep event data at once, then an ordinary call and readiness.
            String guest = guestToken(rest, table);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<CompletableFuture<Rest.Reply>> imports = IntStream.range(0, 8)
                        .mapToObj(i -> CompletableFuture.supplyAsync(
                                () -> rest.post("/api/rooms/import", guest, deepImport()), pool))
                        .toList();
                for (CompletableFuture<Rest.Reply> attempt : imports) {
                    Rest.Reply reply = attempt.join();
                    softly.assertThat(reply.status()).as(reply.body().encode()).isEqualTo(400);
                    softly.assertThat(reply.code()).isEqualTo("JSON_TOO_DEEP");
                }
            } finally {
                pool.shutdownNow();
            }
            Rest.Reply me = rest.get("/api/me", guest);
            softly.assertThat(me.status()).as(me.body().encode()).isEqualTo(200);
            Rest.Reply rooms = rest.post("/api/rooms", table.gmToken(), new JsonObject().put("name", "After"));
            softly.assertThat(rooms.status()).as(rooms.body().encode()).isEqualTo(201);
            softly.assertThatCode(() -> await().atMost(Duration.ofSeconds(20)).until(() -> "UP"
                            .equals(Http.getJson(port, "/health/ready").getString("status"))))
                    .as("readiness")
                    .doesNotThrowAnyException();

            String log = node.stdout() + node.stderr();
            softly.assertThat(log).doesNotContain("StackOverflowError");
            softly.assertAll();
        } finally {
            vertx.close().await();
        }
    }

    /** A JSON object nested {@code depth} levels: {"a":{"a":…{"a":1}…}}. */
    static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** A room export whose one event carries deep data. */
    private static String deepImport() {
        return "{\"format\":\"vertable-room/1\",\"room\":{\"name\":\"Imported\"},\"events\":[{\"seq\":1,"
                + "\"type\":\"scene.created\",\"actor\":\"x\",\"ts\":1,\"data\":{\"sceneId\":\"s1\",\"name\":\"S\","
                + "\"width\":100,\"height\":100,\"grid\":{\"type\":\"none\"},\"junk\":" + nested(DEPTH - 4) + "}}]}";
    }

    /** A guest's session: any account may import, a guest who came by invite included. */
    private static String guestToken(Rest rest, Table table) {
        return table.join("Guest " + UUID.randomUUID().toString().substring(0, 4), "PLAYER")
                .getString("token");
    }

    /** Sends a body given as JSON text (never built as an object here) and returns the answer or refusal body. */
    private static JsonObject sendRaw(BridgeClient socket, String body) {
        String replyAddress = UUID.randomUUID().toString();
        socket.sendText("{\"type\":\"send\",\"address\":\"" + Addresses.IN_MAP + "\",\"replyAddress\":\"" + replyAddress
                + "\",\"body\":" + body + "}");
        JsonObject answer;
        try {
            answer = socket.await(frame -> replyAddress.equals(frame.getString("address")), Duration.ofSeconds(5));
        } catch (AssertionError silent) {
            return new JsonObject().put("code", "no answer within 5 s");
        }
        return "err".equals(answer.getString("type")) ? BridgeClient.errorBody(answer) : answer.getJsonObject("body");
    }
}
