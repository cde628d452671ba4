package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge speaks to any standard WebSocket client, not only browsers and Vert.x: the JDK's own
 * {@link java.net.http.HttpClient} opens the raw endpoint, joins a room and gets its answer.
 */
class JdkWebSocketTest {

    static Node node;
    static Table table;

    @BeforeAll
    static void start() {
        node = Node.start(TestNodes.config(TestNodes.standalone(
                "jdk-ws", "http:1,bridge:1,persistence:1,map:1", TestStorage.freshDatabase("jdkws"))));
        table = Table.create(new Rest(node.httpPort()), "Any client");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.shutdown();
    }

    @Test
    void theJdkWebSocketClientOpensTheBridgeAndJoinsARoom() throws Exception {
        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        HttpClient http = HttpClient.newHttpClient();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(
                        URI.create(
                                "ws://127.0.0.1:" + node.bridgePort() + "/eventbus/websocket?token=" + table.gmToken()),
                        new WebSocket.Listener() {
                            final java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();

                            // The bridge's raw endpoint sends each JSON message as one binary frame.
                            @Override
                            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                                byte[] bytes = new byte[data.remaining()];
                                data.get(bytes);
                                frame.writeBytes(bytes);
                                if (last) firstFrame.complete(frame.toString(StandardCharsets.UTF_8));
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                firstFrame.complete(data.toString());
                                ws.request(1);
                                return null;
                            }
                        })
                .get(20, TimeUnit.SECONDS);

        JsonObject join = new JsonObject()
                .put("type", "send")
                .put("address", Addresses.IN_ROOM)
                .put("replyAddress", "jdk-1")
                .put("body", new JsonObject().put("op", "join").put("room", table.roomId()));
        socket.sendText(join.encode(), true).get(20, TimeUnit.SECONDS);

        JsonObject reply = new JsonObject(firstFrame.get(20, TimeUnit.SECONDS));
        assertThat(reply.getString("address")).isEqualTo("jdk-1");
        assertThat(reply.getJsonObject("body").getBoolean("ok"))
                .as(reply.encode())
                .isTrue();
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(20, TimeUnit.SECONDS);
    }
}
