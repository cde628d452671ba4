package io.vertable.bridge;

import static io.vertable.testing.BridgeClient.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.TrustedHeaders;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge's front door, tried over the real wire protocol (raw WebSocket and SockJS): every case of the bad
 * input list, and the legitimate flows beside them.
 */
class BridgeSecurityTest {

    static Node node;
    static Vertx vertx;
    static Rest rest;
    static int bridgePort;

    /** What reached a service behind the bridge: a consumer of the chat service address stands in for the chat verticle. */
    static final List<Message<Object>> delivered = new CopyOnWriteArrayList<>();

    static MessageConsumer<Object> roomService;

    Table table;
    JsonObject player;
    JsonObject otherPlayer;
    final List<BridgeClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        JsonObject overrides =
                TestNodes.standalone("bridge-1", "http:1,bridge:1,persistence:1", TestStorage.freshDatabase("bridge"));
        overrides.put("presence", new JsonObject().put("ttlSeconds", 3)); // the bridge's sweep runs every second
        node = Node.start(TestNodes.config(overrides));
        vertx = node.vertx();
        rest = new Rest(node.httpPort());
        bridgePort = node.bridgePort();
        roomService = vertx.eventBus().consumer(Addresses.CHAT_COMMAND, message -> {
            delivered.add(message);
            message.reply(new JsonObject().put("ok", true).put("body", message.body()));
        });
        roomService.completion().await();
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    @BeforeEach
    void table() {
        table = Table.create(rest, "Front door");
        player = table.join("Pip", "PLAYER");
        otherPlayer = table.join("Quin", "PLAYER");
        delivered.clear();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(BridgeClient::close);
    }

    private BridgeClient open(JsonObject session) {
        return open(session.getString("token"), false);
    }

    private BridgeClient open(String token, boolean sockJs) {
        BridgeClient client =
                BridgeClient.connect(vertx, bridgePort, token, null, sockJs).await();
        clients.add(client);
        return client;
    }

    private static int upgradeStatus(String token, String origin) {
        Future<BridgeClient> attempt = BridgeClient.connect(vertx, bridgePort, token, origin, false);
        try {
            attempt.await(10, TimeUnit.SECONDS).close();
            return 101;
        } catch (UpgradeRejectedException e) {
            return e.getStatus();
        } catch (Exception e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) return rejected.getStatus();
            throw new AssertionError(e);
        }
    }

    private static String room(Table table) {
        return Addresses.room(table.roomId());
    }

    /** Proves the socket is still served, and that everything before this point has been seen. */
    private void roundTrip(BridgeClient client) {
        String reply = client.request(
                Addresses.IN_CHAT, new JsonObject().put("room", table.roomId()).put("op", "ping"));
        client.await(rec(reply));
    }

    // ---- connecting ----

    @Test
    void socketsNeedAValidUnrevokedTokenFromAnAllowedOrigin() {
        String token = player.getString("token");
        assertThat(upgradeStatus(null, null)).isEqualTo(401);
        assertThat(upgradeStatus("garbage", null)).isEqualTo(401);
        JsonObject claims = new JsonObject()
                .put("sub", Table.userId(player))
                .put("name", "Pip")
                .put("jti", "x");
        String otherKey = JWTAuth.create(
                        vertx,
                        new JWTAuthOptions()
                                .addPubSecKey(new PubSecKeyOptions()
                                        .setAlgorithm("HS256")
                                        .setBuffer("some other key that is long enough")))
                .generateToken(claims, new JWTOptions());
        assertThat(upgradeStatus(otherKey, null)).isEqualTo(401);
        assertThat(upgradeStatus(token, "http://evil.example")).isEqualTo(403);
        assertThat(upgradeStatus(token, "http://127.0.0.1:" + node.httpPort())).isEqualTo(101);
        assertThat(upgradeStatus(token, null))
                .as("non-browser clients send no Origin")
                .isEqualTo(101);

        String gmSession =
                rest.post("/api/auth/refresh", table.gmToken(), null).body().getString("token");
        assertThat(rest.post("/api/auth/logout", gmSession, null).status()).isEqualTo(204);
        assertThat(upgradeStatus(gmSession, null)).as("logged out").isEqualTo(401);
    }

    // ---- registering ----

    @ParameterizedTest(name = "sockJs={0}")
    @ValueSource(booleans = {false, true})
    void aMemberListensToItsRoomAndItsOwnStream(boolean sockJs) {
        BridgeClient client = open(player.getString("token"), sockJs);
        client.register(room(table));
        client.register(Addresses.user(Table.userId(player)));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            vertx.eventBus().publish(room(table), new JsonObject().put("type", "hello"));
            return client.seen().stream().anyMatch(rec(room(table)));
        });
        vertx.eventBus().publish(Addresses.user(Table.userId(player)), new JsonObject().put("type", "for you"));
        assertThat(client.await(rec(Addresses.user(Table.userId(player))))
                        .getJsonObject("body")
                        .getString("type"))
                .isEqualTo("for you");
    }

    @ParameterizedTest(name = "sockJs={0}")
    @ValueSource(booleans = {false, true})
    void registrationsOutsideTheUsersRightsAreRefusedAndReceiveNothing(boolean sockJs) {
        Table otherTable = Table.create(rest, "Elsewhere");
        BridgeClient client = open(player.getString("token"), sockJs);
        List<String> forbidden = List.of(
                room(otherTable),
                Addresses.roomGm(table.roomId()),
                Addresses.user(Table.userId(otherPlayer)),
                Addresses.PERSIST_ROOMS,
                Addresses.IN_CHAT,
                "vtt.room." + table.roomId() + ".secret");
        List<String> codes = List.of(
                "NOT_A_MEMBER",
                "GM_ONLY",
                "ADDRESS_NOT_ALLOWED",
                "ADDRESS_NOT_ALLOWED",
                "ADDRESS_NOT_ALLOWED",
                "ADDRESS_NOT_ALLOWED");
        for (int i = 0; i < forbidden.size(); i++) {
            client.register(forbidden.get(i));
            JsonObject refusal = client.awaitRefusal(codes.get(i));
            assertThat(refusal.getString("address")).isEqualTo(forbidden.get(i));
        }
        client.register("vtt.room." + "x".repeat(10_000));
        client.awaitRefusal("ADDRESS_TOO_LONG");

        forbidden.forEach(address -> vertx.eventBus().publish(address, new JsonObject().put("secret", "s3cret")));
        client.register(room(table));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            vertx.eventBus().publish(room(table), new JsonObject().put("marker", true));
            return client.seen().stream().anyMatch(rec(room(table)));
        });
        assertThat(client.seen()).noneMatch(frame -> frame.encode().contains("s3cret"));
    }

    @Test
    void aSocketListensToABoundedNumberOfAddresses() {
        var overrides = TestNodes.standalone("bridge-small", "bridge:1", TestStorage.freshDatabase("bridge-small"));
        overrides.getJsonObject("bridge").put("maxHandlersPerSocket", 1);
        overrides.getJsonObject("redis").put("url", TestStorage.redisUrl());
        overrides.put("jwt", new JsonObject().put("secret", TestNodes.signingKey(node))); // the player's token works
        // The membership lookups of this node go to the main node's persistence: both share nothing but the process,
        // so give this node its own persistence instead.
        overrides.put("deploy", new JsonObject().put("bridge", 1).put("persistence", 1));
        Node small = Node.start(TestNodes.config(overrides));
        try (BridgeClient client = BridgeClient.open(small.vertx(), small.bridgePort(), player.getString("token"))) {
            client.register(Addresses.user(Table.userId(player)));
            client.register(Addresses.user(Table.userId(player)) + "x");
            client.awaitRefusal("TOO_MANY_HANDLERS");
        } finally {
            small.shutdown();
        }
    }

    // ---- sending ----

    @ParameterizedTest(name = "sockJs={0}")
    @ValueSource(booleans = {false, true})
    void spoofedHeadersAreReplacedByTrustedOnes(boolean sockJs) {
        BridgeClient client = open(player.getString("token"), sockJs);
        String replyAddress = "c5a4b7b0-0000-4000-8000-000000000001";
        client.send(new JsonObject()
                .put("type", "send")
                .put("address", Addresses.IN_CHAT)
                .put("replyAddress", replyAddress)
                .put("body", new JsonObject().put("room", table.roomId()).put("op", "ping"))
                .put(
                        "headers",
                        new JsonObject()
                                .put(TrustedHeaders.USER_ID, table.gmId())
                                .put(TrustedHeaders.ROOM_ROLE, "GM")
                                .put(TrustedHeaders.ADMIN, "true")
                                .put("x-anything", "evil")));
        client.await(rec(replyAddress));
        assertThat(delivered).hasSize(1);
        MultiMap headers = delivered.get(0).headers();
        assertThat(headers.get(TrustedHeaders.USER_ID)).isEqualTo(Table.userId(player));
        assertThat(headers.get(TrustedHeaders.USER_NAME)).isEqualTo("Pip");
        assertThat(headers.get(TrustedHeaders.ROOM_ROLE)).isEqualTo("PLAYER");
        assertThat(headers.get(TrustedHeaders.ADMIN)).isNull();
        assertThat(headers.get("x-anything")).isNull();
    }

    @Test
    void badSendsAreRefusedWithCodesAndNothingReachesAService() {
        BridgeClient client = open(player);
        record Case(JsonObject frame, String code) {}
        JsonObject command = new JsonObject().put("room", table.roomId()).put("op", "token.move");
        List<Case> cases = List.of(
                new Case(
                        send(
                                Addresses.PERSIST_ROOMS,
                                new JsonObject().put("op", "members").put("roomId", table.roomId())),
                        "ADDRESS_NOT_ALLOWED"),
                new Case(send("vtt.in.nothing", command), "ADDRESS_NOT_ALLOWED"),
                new Case(send("__vertx.reply.1", command), "REPLY_ADDRESS_NOT_OWNED"),
                new Case(send(Addresses.IN_CHAT, null), "BODY_NOT_JSON"),
                new Case(send(Addresses.IN_CHAT, "just text"), "BODY_NOT_JSON"),
                new Case(send(Addresses.IN_CHAT, new JsonObject().put("op", "ping")), "ROOM_REQUIRED"),
                new Case(
                        send(
                                Addresses.IN_CHAT,
                                new JsonObject().put("room", "../x").put("op", "ping")),
                        "ROOM_REQUIRED"),
                new Case(
                        send(
                                Addresses.IN_CHAT,
                                new JsonObject()
                                        .put(
                                                "room",
                                                Table.create(rest, "Not yours").roomId())),
                        "NOT_A_MEMBER"),
                new Case(send(Addresses.IN_CHAT, command.copy().put("note", "x".repeat(70_000))), "PAYLOAD_TOO_LARGE"),
                new Case(send("vtt.in." + "x".repeat(10_000), command), "ADDRESS_TOO_LONG"),
                new Case(send(Addresses.IN_CHAT, command).put("type", "publish"), "ADDRESS_NOT_ALLOWED"));
        int n = 0;
        for (Case c : cases) {
            String replyAddress = String.format("c5a4b7b0-0000-4000-8000-%012d", ++n);
            client.send(c.frame().put("replyAddress", replyAddress));
            JsonObject refusal = client.awaitRefusal(c.code());
            assertThat(refusal.getString("address")).as(c.code()).isEqualTo(replyAddress);
            assertThat(BridgeClient.errorBody(refusal).getString("code")).isEqualTo(c.code());
        }
        roundTrip(client);
        assertThat(delivered)
                .as("only the final legitimate command reached the service")
                .hasSize(1);
    }

    private static JsonObject send(String address, Object body) {
        return new JsonObject().put("type", "send").put("address", address).put("body", body);
    }

    @Test
    void replyAddressesBelongToTheSocketThatReceivedThem() {
        BridgeClient owner = open(player);
        BridgeClient thief = open(otherPlayer);
        String ownStream = Addresses.user(Table.userId(player));
        owner.register(ownStream);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            vertx.eventBus().publish(ownStream, new JsonObject().put("marker", true));
            return owner.seen().stream().anyMatch(rec(ownStream));
        });

        Future<Message<Object>> question = vertx.eventBus().request(ownStream, new JsonObject().put("q", "ready?"));
        String replyAddress = owner.await(frame -> rec(ownStream).test(frame) && frame.containsKey("replyAddress"))
                .getString("replyAddress");
        thief.send(send(replyAddress, new JsonObject().put("answer", "hijacked")));
        thief.awaitRefusal("REPLY_ADDRESS_NOT_OWNED");
        owner.send(send(replyAddress, new JsonObject().put("answer", "yes")));
        assertThat(((JsonObject) question.await().body()).getString("answer")).isEqualTo("yes");
        owner.send(send(replyAddress, new JsonObject().put("answer", "again")));
        owner.awaitRefusal("REPLY_ADDRESS_NOT_OWNED"); // each reply address answers once
    }

    @Test
    void aFloodFromOneSocketIsLimitedAndOthersAreUnaffected() {
        BridgeClient flooder = open(player);
        BridgeClient neighbour = open(otherPlayer);
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            flooder.send(send(
                    Addresses.IN_CHAT,
                    new JsonObject().put("room", table.roomId()).put("i", i)));
        }
        JsonObject limited = flooder.awaitRefusal("RATE_LIMITED");
        assertThat(BridgeClient.errorBody(limited).getLong("retryAfterMs")).isPositive();
        roundTrip(neighbour);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> flooder.seen().stream()
                                        .filter(f -> "RATE_LIMITED".equals(f.getString("code")))
                                        .count()
                                + delivered.size()
                        >= 1000);
        double seconds = (System.nanoTime() - started) / 1e9;
        long fromFlooder = delivered.stream()
                .filter(m -> Table.userId(player).equals(m.headers().get(TrustedHeaders.USER_ID)))
                .count();
        // Burst 40 plus 20/s refill (config defaults), with slack for timing.
        assertThat(fromFlooder).isLessThanOrEqualTo(40 + (long) Math.ceil(seconds * 20) + 5);
        assertThat(fromFlooder).isGreaterThanOrEqualTo(30);
        assertThat(flooder.isClosed())
                .as("a flooder is slowed, not disconnected")
                .isFalse();
    }

    @Test
    void garbageFramesGetErrorsAndTheSocketKeepsWorking() {
        BridgeClient client = open(player);
        client.sendText("this is not json");
        client.await(frame -> "err".equals(frame.getString("type")) && "invalid_json".equals(frame.getString("body")));
        client.sendText("{\"address\":\"vtt.in.room\"}");
        client.await(frame -> "missing_type".equals(frame.getString("body")));
        client.sendText("{\"type\":\"teleport\",\"address\":\"vtt.in.room\"}");
        client.await(frame -> "invalid_type".equals(frame.getString("body")));
        client.sendText("[1,2,3]");
        client.await(frame -> "invalid_json".equals(frame.getString("body")));
        client.sendBinary(new byte[] {0, (byte) 0xff, 0x13, 0x37});
        client.await(frame -> "invalid_json".equals(frame.getString("body")));
        roundTrip(client);
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void aKickClosesTheVictimsSocketAtOnceAndTheOldTokenCannotRejoinTheRoom() {
        BridgeClient victim = open(player);
        victim.register(room(table));
        roundTrip(victim); // membership is known to the socket
        assertThat(rest.delete("/api/rooms/" + table.roomId() + "/members/" + Table.userId(player), table.gmToken())
                        .status())
                .isEqualTo(200);
        victim.awaitRefusal("KICKED");
        assertThat(victim.awaitClosed(Duration.ofSeconds(10))).isTrue();

        BridgeClient again = open(player); // the token is still valid for the user's other rooms
        again.register(room(table));
        again.awaitRefusal("NOT_A_MEMBER");
        again.send(send(Addresses.IN_CHAT, new JsonObject().put("room", table.roomId())));
        again.awaitRefusal("NOT_A_MEMBER");
    }

    @Test
    void logoutClosesTheSocketsOfThatSessionOnly() {
        String username = "two-" + System.nanoTime();
        JsonObject credentials = new JsonObject().put("username", username).put("password", "a long enough secret");
        String first = rest.post("/api/auth/register", null, credentials.copy().put("displayName", "Two"))
                .body()
                .getString("token");
        String second = rest.post("/api/auth/login", null, credentials).body().getString("token");
        String code = rest.post("/api/rooms/" + table.roomId() + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        assertThat(rest.post("/api/invites/" + code + "/accept", first, new JsonObject())
                        .status())
                .isEqualTo(200);
        BridgeClient laptop = open(first, false);
        BridgeClient phone = open(second, false);
        roundTrip(laptop);
        assertThat(rest.post("/api/auth/logout", first, null).status()).isEqualTo(204);
        laptop.awaitRefusal("TOKEN_REVOKED");
        assertThat(laptop.awaitClosed(Duration.ofSeconds(10))).isTrue();
        roundTrip(phone);
    }

    @Test
    void aSocketClosesWhenItsTokenExpires() {
        JWTAuth sameKey = JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                        .addPubSecKey(
                                new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TestNodes.signingKey(node))));
        String shortLived = sameKey.generateToken(
                new JsonObject()
                        .put("sub", Table.userId(player))
                        .put("name", "Pip")
                        .put("sid", "short-" + System.nanoTime())
                        .put("sst", System.currentTimeMillis() / 1000),
                new JWTOptions().setExpiresInSeconds(3));
        BridgeClient client = open(shortLived, false);
        roundTrip(client);
        JsonObject expired = client.awaitRefusal("UNAUTHENTICATED");
        assertThat(BridgeClient.errorBody(expired).getString("message")).contains("expired");
        assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void registrationsCountAgainstTheSocketsLimit() {
        BridgeClient client = open(player);
        String own = Addresses.user(Table.userId(player));
        for (int i = 0; i < 100; i++) {
            client.send(new JsonObject()
                    .put("type", i % 2 == 0 ? "register" : "unregister")
                    .put("address", own));
        }
        assertThat(BridgeClient.errorBody(client.awaitRefusal("RATE_LIMITED")).getLong("retryAfterMs"))
                .isPositive();
    }

    @Test
    void aSockJsSessionCannotBeUsedByAnotherUser() throws Exception {
        String base = "http://127.0.0.1:" + bridgePort + "/eventbus/000/s" + System.nanoTime();
        var open = xhr(base + "/xhr?token=" + player.getString("token"), "");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).startsWith("o");
        String frame = new io.vertx.core.json.JsonArray()
                .add(new JsonObject()
                        .put("type", "register")
                        .put("address", Addresses.user(Table.userId(player)))
                        .encode())
                .encode();
        var hijack = xhr(base + "/xhr_send?token=" + otherPlayer.getString("token"), frame);
        assertThat(hijack.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(hijack.body()).getString("code")).isEqualTo("FORBIDDEN");
        var owner = xhr(base + "/xhr_send?token=" + player.getString("token"), frame);
        assertThat(owner.statusCode()).as("the session's own user may use it").isEqualTo(204);
    }

    /**
     * One SockJS XHR request on a connection of its own, as browsers' separate requests may be: a reused keep-alive
     * connection that the server has just closed would fail the test for the wrong reason.
     */
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

    // ---- presence ----

    @Test
    void presenceFollowsSocketsJoiningAndLeaving() {
        BridgeClient gm = open(table.gmToken(), false);
        gm.register(room(table));
        gm.await(frame -> presence(frame).contains(table.gmId()));
        BridgeClient pip = open(player);
        pip.register(room(table));
        gm.await(frame -> presence(frame).containsAll(List.of(table.gmId(), Table.userId(player))));
        pip.close();
        gm.await(frame -> presence(frame).equals(List.of(table.gmId())));
    }

    @Test
    void presenceEntriesOfADeadNodeExpire() {
        // A node that dies leaves its sockets' entries behind; they carry an expiry that nobody refreshes.
        Redis client = Redis.createClient(
                vertx, node.context().config().section("redis").getString("url"));
        RedisAPI redis = RedisAPI.api(client);
        redis.zadd(List.of(
                        Presence.key(table.roomId()), Long.toString(System.currentTimeMillis() - 1), "ghost|dead-node"))
                .compose(done -> redis.hset(List.of(Presence.namesKey(table.roomId()), "ghost", "Ghost")))
                .await();
        BridgeClient gm = open(table.gmToken(), false);
        gm.register(room(table));
        JsonObject first = gm.await(frame -> presence(frame).contains(table.gmId()));
        assertThat(presence(first)).doesNotContain("ghost");
        client.close();
    }

    private static List<String> presence(JsonObject frame) {
        if (!"rec".equals(frame.getString("type"))) return List.of();
        JsonObject body = frame.getJsonObject("body");
        if (body == null || !"presence".equals(body.getString("type"))) return List.of();
        return body.getJsonArray("online").stream()
                .map(o -> ((JsonObject) o).getString("userId"))
                .toList();
    }

    @Test
    void theBridgeRefusesToStartOnAPortInUse() {
        var overrides = TestNodes.standalone("bridge-clash", "bridge:1", TestStorage.freshDatabase("clash"));
        overrides.getJsonObject("bridge").put("port", bridgePort);
        assertThatThrownBy(() -> Node.start(TestNodes.config(overrides)))
                .hasMessageStartingWith("bridge.port " + bridgePort + ": already in use");
    }
}
