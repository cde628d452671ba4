package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bursts of requests that need Redis at once, more than its connection pool holds: a revoked session stays revoked, a
 * rate limit lets through no more than its bucket, and sockets that leave are gone from presence.
 */
class RedisUnderLoadTest {

    static final int INVITE_BUCKET = 30; // rateLimits.loginPerMinute × 3 per address

    static PgUrl database;
    static Node node;
    static Rest rest;
    static Vertx vertx;
    static Table table;
    static JsonObject guest;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("redis-load");
        node = startNode();
        rest = new Rest(node.httpPort());
        vertx = Vertx.vertx();
        // Joined before any burst of guesses spends this address's invite bucket.
        table = Table.create(rest, "Crowd");
        guest = table.join("Pip", "PLAYER");
    }

    @AfterAll
    static void stop() {
        vertx.close();
        node.shutdown();
    }

    private static Node startNode() {
        JsonObject overrides = TestNodes.standalone("busy", "http:1,bridge:1,persistence:1", database);
        overrides.getJsonObject("rateLimits").put("loginPerMinute", INVITE_BUCKET / 3);
        overrides.put("presence", new JsonObject().put("ttlSeconds", 300)); // far longer than the test waits
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        return Node.start(TestNodes.config(overrides));
    }

    /** Sends {@code count} requests at once on separate connections; answers by code (or status). */
    private static Map<String, Integer> burst(int count, Function<Integer, HttpRequest> request) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, count)
                .mapToObj(i -> client.sendAsync(request.apply(i), HttpResponse.BodyHandlers.ofString()))
                .toList();
        Map<String, Integer> tally = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.join();
            String body = response.body();
            String code = body.startsWith("{") && new JsonObject(body).containsKey("code")
                    ? new JsonObject(body).getString("code")
                    : Integer.toString(response.statusCode());
            tally.merge(code, 1, Integer::sum);
        }
        return tally;
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30));
    }

    @Test
    void aRevokedSessionStaysRevokedForEveryOneOfABurstAfterARestart() {
        JsonObject registered = rest.post(
                        "/api/auth/register",
                        null,
                        new JsonObject()
                                .put(
                                        "username",
                                        "adm-" + UUID.randomUUID().toString().substring(0, 8))
                                .put("password", "a long enough secret")
                                .put("displayName", "Adm"))
                .body();
        String token = registered.getString("token");
        assertThat(rest.post("/api/auth/logout", token, null).status()).isEqualTo(204);
        node.shutdown();
        node = startNode(); // same database, Redis and data folder: only Redis remembers the logout now
        rest = new Rest(node.httpPort());

        Map<String, Integer> answers = burst(80, i -> request("/api/me")
                .header("authorization", "Bearer " + token)
                .GET()
                .build());
        assertThat(answers).isEqualTo(Map.of("TOKEN_REVOKED", 80));
    }

    @Test
    void aBurstOfInviteGuessesGetsNoMoreThroughThanTheBucketHolds() {
        Map<String, Integer> answers =
                burst(60, i -> request("/api/invites/guess" + i).GET().build());
        int through = answers.entrySet().stream()
                .filter(e -> !e.getKey().equals("RATE_LIMITED"))
                .mapToInt(Map.Entry::getValue)
                .sum();
        assertThat(through).as(answers.toString()).isBetween(1, INVITE_BUCKET);
        assertThat(answers.get("RATE_LIMITED")).as(answers.toString()).isGreaterThanOrEqualTo(60 - INVITE_BUCKET);
    }

    @Test
    void socketsThatLeaveTogetherAreAllGoneFromPresence() {
        BridgeClient gm = BridgeClient.open(vertx, node.bridgePort(), table.gmToken());
        String room = Addresses.room(table.roomId());
        gm.register(room);
        List<BridgeClient> tabs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            BridgeClient tab = BridgeClient.open(vertx, node.bridgePort(), guest.getString("token"));
            tab.register(room);
            tabs.add(tab);
        }
        RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, TestStorage.redisUrlFor(database)));
        String key = "vtt:presence:" + table.roomId();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> redis.zcard(key).await().toInteger() == 61);
        gm.await(frame -> online(frame).contains(Table.userId(guest)), Duration.ofSeconds(20));

        tabs.forEach(BridgeClient::close); // 60 leaves at once
        gm.await(frame -> online(frame).equals(List.of(table.gmId())), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> redis.zcard(key).await().toInteger() == 1);
        redis.close();
    }

    private static List<String> online(JsonObject frame) {
        if (!"rec".equals(frame.getString("type"))) return List.of();
        JsonObject body = frame.getJsonObject("body");
        if (body == null || !"presence".equals(body.getString("type"))) return List.of();
        return body.getJsonArray("online").stream()
                .map(o -> ((JsonObject) o).getString("userId"))
                .toList();
    }
}
