package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A raw WebSocket's frames go straight to its channel as bytes built once per message ({@link WebSocketFrames}): a real
 * vertx-web SockJS server and real Vert.x WebSocket clients show the client gets what Vert.x's own write path gives it
 * (the same message, split into frames the same way), in the order written, and nothing after the socket closes; SockJS's
 * own WebSocket transport keeps Vert.x's path and gets the same message in its {@code a[...]} framing.
 */
class StreamSocketTest {

    /** Small, so a long message is split into many frames as a server with this limit splits it. */
    static final int MAX_FRAME = 1_000;

    Vertx vertx;
    HttpServer server;
    WebSocketClient client;
    final BlockingQueue<StreamSocket> opened = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        // One event loop, as the bridge's sockets and its fan-out share their verticle's.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Router router = Router.router(vertx);
        router.route("/sock/*")
                .subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions())
                        .socketHandler(
                                socket -> opened.add(new StreamSocket(vertx, socket, (s, frame) -> false, MAX_FRAME))));
        server = vertx.createHttpServer().requestHandler(router).listen(0).await();
        client = vertx.createWebSocketClient();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private Opened connect(String uri) throws InterruptedException {
        List<String> messages = new CopyOnWriteArrayList<>();
        WebSocket ws = client.connect(new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(server.actualPort())
                        .setURI(uri))
                .await();
        ws.binaryMessageHandler(data -> messages.add("binary:" + data));
        ws.exceptionHandler(e -> messages.add("error:" + e));
        ws.textMessageHandler(text -> messages.add("text:" + text));
        StreamSocket socket = opened.poll(10, TimeUnit.SECONDS);
        assertThat(socket).as("the server saw the socket").isNotNull();
        return new Opened(ws, socket, messages);
    }

    private record Opened(WebSocket client, StreamSocket server, List<String> messages) {}

    /** 7-bit, 16-bit and 64-bit payload lengths, and a message of many frames. */
    private static final List<String> PAYLOADS =
            List.of("{\"a\":1}", "{\"b\":\"" + "x".repeat(300) + "\"}", "{\"c\":\"" + "y".repeat(70_000) + "\"}");

    @Test
    void aRawWebSocketGetsSharedBytesAsVertxWouldWriteThemAndSockJsKeepsItsFraming() throws Exception {
        Opened first = connect("/sock/websocket");
        Opened second = connect("/sock/websocket");
        Opened sockJs = connect("/sock/000/s1/websocket");
        assertThat(first.server().direct())
                .as("a raw WebSocket is written directly")
                .isTrue();
        assertThat(sockJs.server().direct())
                .as("SockJS's WebSocket transport frames messages itself")
                .isFalse();

        vertx.runOnContext(v -> {
            for (String payload : PAYLOADS) {
                ByteBuf shared = WebSocketFrames.binary(Buffer.buffer(payload), MAX_FRAME);
                try {
                    assertThat(first.server().writeShared(shared)).isTrue();
                    assertThat(second.server().writeShared(shared)).isTrue();
                } finally {
                    shared.release();
                }
                sockJs.server().write(Buffer.buffer(payload));
            }
        });

        List<String> expected = PAYLOADS.stream().map(p -> "binary:" + p).toList();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(second.messages()).hasSizeGreaterThanOrEqualTo(PAYLOADS.size()));
        assertThat(first.messages()).isEqualTo(expected);
        assertThat(second.messages()).isEqualTo(expected);
        // SockJS batches what waits in one turn into one a[...] frame: its messages, in order, are the same.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sockJsMessages(sockJs.messages()))
                .isEqualTo(PAYLOADS));
    }

    private static List<String> sockJsMessages(List<String> frames) {
        List<String> messages = new java.util.ArrayList<>();
        for (String frame : frames) {
            if (!frame.startsWith("text:a")) continue;
            for (Object message : new JsonArray(frame.substring("text:a".length()))) messages.add((String) message);
        }
        return messages;
    }

    @Test
    void directAndBridgeWritesKeepTheirOrderAndNothingFollowsTheClose() throws Exception {
        Opened raw = connect("/sock/websocket");
        int count = 200;
        vertx.runOnContext(v -> {
            for (int i = 0; i < count; i++) {
                Buffer frame = Buffer.buffer("{\"seq\":" + i + "}");
                if (i % 2 == 0) {
                    raw.server().write(frame); // the bridge's own writes (replies, pongs, refusals)
                } else {
                    ByteBuf shared = WebSocketFrames.binary(frame, MAX_FRAME);
                    raw.server().writeShared(shared);
                    shared.release();
                }
            }
            raw.server().close(4503, "CONNECTION_TOO_SLOW");
            ByteBuf late = WebSocketFrames.binary(Buffer.buffer("{\"late\":true}"), MAX_FRAME);
            assertThat(raw.server().writeShared(late)).as("refused after close").isFalse();
            late.release();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> raw.client().isClosed());
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) expected.add("binary:{\"seq\":" + i + "}");
        assertThat(raw.messages()).isEqualTo(expected);
        assertThat(raw.client().closeStatusCode()).isEqualTo((short) 4503);
    }
}
