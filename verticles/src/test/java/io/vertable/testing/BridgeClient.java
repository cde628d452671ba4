package io.vertable.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bridge client speaking the real wire protocol, over the raw WebSocket endpoint ({@code /eventbus/websocket}, one
 * JSON frame per message) or SockJS's WebSocket transport ({@code o}, {@code h}, {@code a[...]}, {@code c[...]}).
 * Every frame the server sends is kept, in order, so a test can scan all of them.
 */
public final class BridgeClient implements AutoCloseable {

    private final WebSocketClient
            client; // kept referenced: Vert.x 5 closes a WebSocketClient that is garbage-collected
    private final WebSocket socket;
    private final boolean sockJs;
    private final LinkedBlockingQueue<JsonObject> incoming = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Vertx vertx;
    private final long pinger;
    private volatile Throwable failure;

    private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket, boolean sockJs) {
        this.vertx = vertx;
        this.client = client;
        this.socket = socket;
        this.sockJs = sockJs;
        socket.handler(this::received);
        // Kept so a test can say why its socket closed (a frame it could not take, a reset ...).
        socket.exceptionHandler(e -> {
            if (failure == null) failure = e;
        });
        socket.closeHandler(v -> closed.complete(null));
        // The bridge closes sockets that stay silent for its ping timeout; the JS client pings every 5 s, so do we.
        this.pinger = vertx.setPeriodic(5_000, id -> {
            if (!closed.isDone()) sendText(new JsonObject().put("type", "ping").encode());
        });
    }

    /**
     * What a browser takes in one message, near enough: a sync after a stretch of missed events is hundreds of them in
     * one reply. Vert.x's defaults (64 KB frames) would drop the connection without a close frame instead.
     */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    public static Future<BridgeClient> connect(Vertx vertx, int port, String token, String origin, boolean sockJs) {
        WebSocketClient client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setMaxFrameSize(MAX_MESSAGE_BYTES).setMaxMessageSize(MAX_MESSAGE_BYTES));
        String path = sockJs
                ? "/eventbus/123/" + UUID.randomUUID().toString().substring(0, 8) + "/websocket"
                : "/eventbus/websocket";
        var options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(token == null ? path : path + "?token=" + token);
        // Vert.x adds an Origin of its own unless told not to; a test chooses whether to send one.
        options.setAllowOriginHeader(origin != null);
        if (origin != null) options.addHeader("origin", origin);
        return client.connect(options).map(ws -> new BridgeClient(vertx, client, ws, sockJs));
    }

    /** Connects over the raw WebSocket endpoint, waiting for the handshake. */
    public static BridgeClient open(Vertx vertx, int port, String token) {
        return connect(vertx, port, token, null, false).await();
    }

    private void received(Buffer data) {
        String text = data.toString();
        if (!sockJs) {
            incoming.add(new JsonObject(text));
            return;
        }
        if (text.startsWith("a")) {
            for (Object frame : new JsonArray(text.substring(1))) incoming.add(new JsonObject((String) frame));
        }
    }

    public void send(JsonObject frame) {
        sendText(frame.encode());
    }

    /** Sends text as is (on SockJS, wrapped in the transport's array as a client would). */
    public void sendText(String text) {
        socket.writeTextMessage(sockJs ? new JsonArray().add(text).encode() : text);
    }

    public void sendBinary(byte[] bytes) {
        socket.writeBinaryMessage(Buffer.buffer(bytes));
    }

    public void register(String address) {
        send(new JsonObject().put("type", "register").put("address", address));
    }

    /** A send with a reply address, as the JS client's {@code send(address, body, callback)} does. */
    public String request(String address, Object body) {
        String replyAddress = UUID.randomUUID().toString();
        send(new JsonObject()
                .put("type", "send")
                .put("address", address)
                .put("body", body)
                .put("replyAddress", replyAddress));
        return replyAddress;
    }

    /** Waits for the next frame matching {@code test}; frames passed over stay in {@link #seen()}. */
    public JsonObject await(Predicate<JsonObject> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject frame;
            try {
                frame = left <= 0 ? null : incoming.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (frame == null) throw new AssertionError("no matching frame within " + timeout + "; seen " + seen);
            seen.add(frame);
            if (test.test(frame)) return frame;
        }
    }

    public JsonObject await(Predicate<JsonObject> test) {
        return await(test, Duration.ofSeconds(10));
    }

    /** The refusal frame with this catalog code (a bridge {@code err} carrying our {@code code}). */
    public JsonObject awaitRefusal(String code) {
        return await(frame -> "err".equals(frame.getString("type")) && code.equals(frame.getString("code")));
    }

    /** Every frame received so far (awaited ones and those drained now). */
    public List<JsonObject> seen() {
        incoming.drainTo(seen);
        return seen;
    }

    /** Stops reading: the server's frames pile up in the network and then on the server, as with a stalled tab. */
    public void pause() {
        socket.pause();
    }

    public void resume() {
        socket.resume();
    }

    public boolean awaitClosed(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The WebSocket close status the server sent (e.g. 1009, message too big), or null. */
    public Short closeStatus() {
        return socket.closeStatusCode();
    }

    /** Why the socket closed, as far as this side saw: the close status and reason, and any transport error. */
    public String closeReason() {
        return "closed=" + closed.isDone() + " status=" + socket.closeStatusCode() + " reason=" + socket.closeReason()
                + " error=" + failure;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        vertx.cancelTimer(pinger);
        if (!closed.isDone()) socket.close();
        client.close();
    }

    public static Predicate<JsonObject> rec(String address) {
        return frame -> "rec".equals(frame.getString("type")) && address.equals(frame.getString("address"));
    }

    public static JsonObject errorBody(JsonObject errFrame) {
        return new JsonObject(errFrame.getString("message"));
    }
}
