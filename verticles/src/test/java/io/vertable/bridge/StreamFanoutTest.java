package io.vertable.bridge;

import static io.vertable.testing.BridgeClient.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.BridgeControl;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge's stream fan-out (one consumer per stream, each frame encoded once and written to every member socket):
 * it keeps the register-time rules of the per-socket delivery it replaced, and bounds what a socket that stops
 * reading can hold.
 */
class StreamFanoutTest {

    /** Small, so a stalled reader passes it quickly; a reading socket never comes near it. */
    static final int MAX_QUEUED_BYTES = 64 * 1024;

    static Node node;
    static Vertx vertx;
    static Rest rest;

    Table table;
    final List<BridgeClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        JsonObject overrides = TestNodes.standalone(
                "fanout-1", "http:1,bridge:1,persistence:1,map:1", TestStorage.freshDatabase("fanout"));
        overrides
                .getJsonObject("bridge")
                .put("maxQueuedBytes", MAX_QUEUED_BYTES)
                // A burst of drags passes; the user's limit is asked of Redis per frame (too slow a rate to lease),
                // over
                // pooled connections whose answers may come back out of order.
                .put("socketRatePerSecond", 10_000)
                .put("socketBurst", 10_000)
                .put("userRatePerSecond", 10)
                .put("userBurst", 10_000);
        node = Node.start(TestNodes.config(overrides));
        vertx = node.vertx();
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    @BeforeEach
    void table() {
        table = Table.create(rest, "Fan-out");
    }

    @AfterEach
    void closeClients() {
        clients.forEach(BridgeClient::close);
    }

    private BridgeClient open(String token, boolean sockJs) {
        BridgeClient client = BridgeClient.connect(vertx, node.bridgePort(), token, null, sockJs)
                .await();
        clients.add(client);
        return client;
    }

    /** Publishes markers on the address until the client has one: its registration is in place. */
    private static void awaitListening(BridgeClient client, String address) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            vertx.eventBus().publish(address, new JsonObject().put("marker", true));
            return client.seen().stream().anyMatch(rec(address));
        });
    }

    @ParameterizedTest(name = "sockJs={0}")
    @ValueSource(booleans = {false, true})
    void aGmStreamFrameIsNeverWrittenToAPlayerSocket(boolean sockJs) {
        JsonObject player = table.join("Pip", "PLAYER");
        String room = Addresses.room(table.roomId());
        String gmStream = Addresses.roomGm(table.roomId());
        BridgeClient gm = open(table.gmToken(), sockJs);
        BridgeClient pip = open(player.getString("token"), sockJs);
        BridgeClient otherPip = open(player.getString("token"), sockJs);
        for (BridgeClient client : List.of(gm, pip, otherPip)) client.register(room);
        gm.register(gmStream);
        pip.register(gmStream);
        pip.awaitRefusal("GM_ONLY");
        awaitListening(gm, gmStream);
        for (BridgeClient client : List.of(gm, pip, otherPip)) awaitListening(client, room);

        vertx.eventBus().publish(gmStream, new JsonObject().put("secret", "under the rug"));
        vertx.eventBus().publish(room, new JsonObject().put("after", "the secret"));
        for (BridgeClient client : List.of(gm, pip, otherPip)) {
            client.await(frame ->
                    rec(room).test(frame) && frame.getJsonObject("body").containsKey("after"));
        }
        assertThat(gm.seen()).anyMatch(frame -> frame.encode().contains("under the rug"));
        assertThat(pip.seen()).noneMatch(frame -> frame.encode().contains("under the rug"));
        assertThat(otherPip.seen()).noneMatch(frame -> frame.encode().contains("under the rug"));
        assertThat(pip.seen()).noneMatch(rec(gmStream));
    }

    @ParameterizedTest(name = "sockJs={0}")
    @ValueSource(booleans = {false, true})
    void aSocketThatUnregistersGetsNothingMore(boolean sockJs) {
        JsonObject player = table.join("Pip", "PLAYER");
        String room = Addresses.room(table.roomId());
        String own = Addresses.user(Table.userId(player));
        BridgeClient leaving = open(player.getString("token"), sockJs);
        BridgeClient staying = open(table.gmToken(), sockJs);
        leaving.register(room);
        staying.register(room);
        awaitListening(leaving, room);
        awaitListening(staying, room);

        // The unregister is taken at once, before the own stream's register is: once that stream answers, it is done.
        leaving.send(new JsonObject().put("type", "unregister").put("address", room));
        leaving.register(own);
        awaitListening(leaving, own);
        vertx.eventBus().publish(room, new JsonObject().put("gone", "too late"));
        vertx.eventBus().publish(own, new JsonObject().put("last", true));
        staying.await(
                frame -> rec(room).test(frame) && frame.getJsonObject("body").containsKey("gone"));
        leaving.await(
                frame -> rec(own).test(frame) && frame.getJsonObject("body").containsKey("last"));
        assertThat(leaving.seen()).noneMatch(frame -> frame.encode().contains("too late"));
    }

    @ParameterizedTest(name = "sockJs={0}")
    @ValueSource(booleans = {false, true})
    void aRegisterTakenBackBeforeItsLookupEndsHearsNothing(boolean sockJs) {
        JsonObject player = table.join("Pip", "PLAYER");
        String room = Addresses.room(table.roomId());
        String own = Addresses.user(Table.userId(player));
        BridgeClient pip = open(player.getString("token"), sockJs);
        pip.register(own);
        awaitListening(pip, own);
        // The register waits on the room's membership lookup; the unregister right behind it is taken at once. The GM
        // stream's register after them waits on the same lookup and is refused once it is done.
        pip.register(room);
        pip.send(new JsonObject().put("type", "unregister").put("address", room));
        pip.register(Addresses.roomGm(table.roomId()));
        pip.awaitRefusal("GM_ONLY");
        vertx.eventBus().publish(room, new JsonObject().put("late", "for the room"));
        vertx.eventBus().publish(own, new JsonObject().put("last", true));
        pip.await(frame -> rec(own).test(frame) && frame.getJsonObject("body").containsKey("last"));
        assertThat(pip.seen()).noneMatch(rec(room));
    }

    @Test
    void aSocketThatStopsReadingIsDroppedAndTheOthersKeepEverything() {
        JsonObject stalled = table.join("Stall", "PLAYER");
        String stalledId = Table.userId(stalled);
        String room = Addresses.room(table.roomId());
        BridgeClient slow = open(stalled.getString("token"), false);
        BridgeClient reader = open(table.gmToken(), false);
        slow.register(room);
        reader.register(room);
        awaitListening(slow, room);
        awaitListening(reader, room);
        // Presence lists the stalled player; when the bridge drops its socket, the room hears they left.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> reader.seen().stream().anyMatch(online(room, stalledId)));

        slow.pause();
        String padding = "x".repeat(16 * 1024);
        int sent = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (reader.seen().stream().noneMatch(leftTheRoom(room, stalledId))) {
            assertThat(System.nanoTime())
                    .as("the stalled socket is dropped within 60 s")
                    .isLessThan(deadline);
            int seq = sent++;
            vertx.eventBus().publish(room, new JsonObject().put("seq", seq).put("pad", padding));
            // The reader keeps up (it gets each frame before the next is sent), so only the stalled socket falls
            // behind.
            reader.await(frame ->
                    rec(room).test(frame) && frame.getJsonObject("body").getInteger("seq", -1) == seq);
        }
        List<Integer> readerSeqs = seqs(reader.seen(), room);
        assertThat(readerSeqs).as("the reader got every frame, in order").isEqualTo(range(sent));

        slow.resume();
        slow.awaitRefusal("CONNECTION_TOO_SLOW");
        assertThat(slow.awaitClosed(Duration.ofSeconds(20)))
                .as(slow.closeReason())
                .isTrue();
        assertThat(slow.closeStatus()).isEqualTo((short) BridgeControl.CLOSE_TOO_SLOW);
        assertThat(seqs(slow.seen(), room).size()).isLessThan(sent);
        assertThat(reader.isClosed()).isFalse();
    }

    /**
     * SockJS's XHR polling holds frames between polls, and those count against the bound like any unsent frame; what a
     * poll takes no longer does. A session polled as it should gets far more than the bound over time, in order.
     */
    private static final String PING =
            new JsonArray().add(new JsonObject().put("type", "ping").encode()).encode();

    @Test
    void anXhrPollingSessionGetsMoreThanTheBoundOverManyPolls() throws Exception {
        JsonObject player = table.join("Pip", "PLAYER");
        String own = Addresses.user(Table.userId(player));
        String token = player.getString("token");
        String base = "http://127.0.0.1:" + node.bridgePort() + "/eventbus/000/p" + System.nanoTime();
        assertThat(xhr(base + "/xhr?token=" + token, "").body()).startsWith("o");
        String register = new JsonArray()
                .add(new JsonObject()
                        .put("type", "register")
                        .put("address", own)
                        .encode())
                .encode();
        assertThat(xhr(base + "/xhr_send?token=" + token, register).statusCode())
                .isEqualTo(204);
        List<JsonObject> frames = new ArrayList<>();
        // The register is answered (204) before the gate has checked it and joined the stream: markers until one comes
        // back say the session listens, as awaitListening does for the other clients.
        // A poll with nothing to take waits, so the markers keep coming until one is delivered.
        long markers =
                vertx.setPeriodic(50, tick -> vertx.eventBus().publish(own, new JsonObject().put("marker", true)));
        try {
            long listening = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (frames.stream().noneMatch(frame -> frame.encode().contains("marker"))) {
                assertThat(System.nanoTime())
                        .as("the session listens within 20 s")
                        .isLessThan(listening);
                String polled = xhr(base + "/xhr?token=" + token, "").body();
                assertThat(polled).as("the session is still open").doesNotStartWith("c");
                if (polled.startsWith("a")) {
                    for (Object text : new JsonArray(polled.substring(1).trim()))
                        frames.add(new JsonObject((String) text));
                }
            }
        } finally {
            vertx.cancelTimer(markers);
        }
        frames.clear();
        String padding = "y".repeat(16 * 1024);
        int total = 4 * MAX_QUEUED_BYTES / padding.length();
        int published = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seqs(frames, own).size() < total) {
            assertThat(System.nanoTime())
                    .as("every frame within 60 s, got " + frames.size())
                    .isLessThan(deadline);
            // One frame (a quarter of the bound) waits for each poll: the bytes of the poll before may still count as
            // unsent until the network has taken them, which a busy machine makes slow.
            for (int i = 0; i < 1 && published < total; i++) {
                vertx.eventBus()
                        .publish(own, new JsonObject().put("seq", published++).put("pad", padding));
            }
            // A client pings as the browser's does; the bridge closes a session silent for its ping timeout (10 s),
            // which a busy machine reaches before the last frame.
            assertThat(xhr(base + "/xhr_send?token=" + token, PING).statusCode())
                    .isEqualTo(204);
            String polled = xhr(base + "/xhr?token=" + token, "").body();
            assertThat(polled).as("the session is still open").doesNotStartWith("c");
            if (polled.startsWith("a")) {
                for (Object text : new JsonArray(polled.substring(1).trim())) frames.add(new JsonObject((String) text));
            }
        }
        assertThat(seqs(frames, own)).isEqualTo(range(total));
        assertThat(frames).noneMatch(frame -> "err".equals(frame.getString("type")));
    }

    /** A burst of one player's drags reaches the room in the order they were sent, whatever order the checks end in. */
    @Test
    void aBurstOfDragsArrivesInTheOrderItWasSent() {
        JsonObject player = table.join("Pip", "PLAYER");
        String pipId = Table.userId(player);
        String room = Addresses.room(table.roomId());
        BridgeClient sender = open(player.getString("token"), false);
        BridgeClient watcher = open(table.gmToken(), false);
        watcher.register(room);
        awaitListening(watcher, room);
        // Live traffic passes through the room's owner (it filters by vision): the GM's join loads the room.
        String joined = watcher.request(
                Addresses.IN_ROOM, new JsonObject().put("room", table.roomId()).put("op", "join"));
        watcher.await(frame -> joined.equals(frame.getString("address")) && frame.containsKey("body"));
        int count = 2_000;
        for (int i = 0; i < count; i++) {
            sender.send(new JsonObject()
                    .put("type", "send")
                    .put("address", Addresses.IN_LIVE)
                    .put(
                            "body",
                            new JsonObject()
                                    .put("room", table.roomId())
                                    .put("op", "drag")
                                    .put("x", i)
                                    .put("y", 0)));
        }
        watcher.await(
                frame -> rec(room).test(frame)
                        && pipId.equals(frame.getJsonObject("body").getString("from"))
                        && frame.getJsonObject("body").getDouble("x") == count - 1,
                Duration.ofSeconds(60));
        List<Integer> xs = new ArrayList<>();
        for (JsonObject frame : watcher.seen()) {
            if (rec(room).test(frame)
                    && pipId.equals(frame.getJsonObject("body").getString("from"))) {
                xs.add(frame.getJsonObject("body").getDouble("x").intValue());
            }
        }
        assertThat(xs).isEqualTo(range(count));
        assertThat(sender.seen()).noneMatch(frame -> "err".equals(frame.getString("type")));
    }

    /** The bridge still closes a socket that stops pinging (its ping timeout goes through the stream socket). */
    @Test
    void aSocketThatNeverPingsIsClosed() {
        var client = vertx.createWebSocketClient();
        var options = new io.vertx.core.http.WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(node.bridgePort())
                .setURI("/eventbus/websocket?token=" + table.gmToken())
                .setAllowOriginHeader(false);
        var socket = client.connect(options).await();
        var closed = new java.util.concurrent.CompletableFuture<Void>();
        socket.closeHandler(v -> closed.complete(null));
        socket.writeTextMessage(new JsonObject()
                .put("type", "register")
                .put("address", Addresses.room(table.roomId()))
                .encode());
        try {
            // The bridge's ping timeout is 10 s, checked every 10 s: closed within 20 s, never while pinging.
            await().atMost(Duration.ofSeconds(40)).until(closed::isDone);
        } finally {
            client.close();
        }
    }

    private static java.net.http.HttpResponse<String> xhr(String url, String body) throws Exception {
        var client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        return client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static java.util.function.Predicate<JsonObject> online(String room, String userId) {
        return frame -> rec(room).test(frame) && presenceHas(frame, userId);
    }

    /**
     * The change the bridge sends at once when the user's last socket in the room goes. Not a whole list without them:
     * the reader's own join list may have been read before the stalled player's join was recorded, and would say they
     * left before a frame was sent.
     */
    private static java.util.function.Predicate<JsonObject> leftTheRoom(String room, String userId) {
        return frame -> rec(room).test(frame)
                && "presence.changed".equals(frame.getJsonObject("body").getString("type"))
                && frame.getJsonObject("body")
                        .getJsonArray("left", new JsonArray())
                        .contains(userId);
    }

    private static boolean presenceHas(JsonObject frame, String userId) {
        JsonObject body = frame.getJsonObject("body");
        return "presence".equals(body.getString("type"))
                && body.getJsonArray("online").stream()
                        .anyMatch(entry -> userId.equals(((JsonObject) entry).getString("userId")));
    }

    private static List<Integer> seqs(List<JsonObject> frames, String room) {
        List<Integer> seqs = new ArrayList<>();
        for (JsonObject frame : frames) {
            if (rec(room).test(frame) && frame.getJsonObject("body").getValue("seq") instanceof Integer seq) {
                seqs.add(seq);
            }
        }
        return seqs;
    }

    private static List<Integer> range(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(i);
        return all;
    }
}
