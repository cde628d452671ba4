package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence goes out as changes: a burst of joins and leaves reaches the room as one small delta each and a whole list or
 * two once the burst settles, not one whole list per change (each sent to every member). Every socket that applies
 * what it hears, the way the page does, ends with the right list.
 */
class PresenceChangesTest {

    static final int BURST = 40;
    /** Whole lists a member may hear for one burst: the settled list, and one more if the burst outlasts the wait. */
    static final int FEW_LISTS = 4;

    static final Duration SETTLED = Duration.ofSeconds(30);

    static Node node;
    static Rest rest;
    static RedisAPI redis;

    final List<BridgeClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        var database = TestStorage.freshDatabase("presence");
        JsonObject overrides = TestNodes.standalone("presence-1", "http:1,bridge:1,persistence:1", database);
        overrides.put("presence", new JsonObject().put("ttlSeconds", 300)); // no refresh during the test
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
        redis = RedisAPI.api(Redis.createClient(node.vertx(), TestStorage.redisUrlFor(database)));
    }

    @AfterAll
    static void stop() {
        redis.close();
        node.shutdown();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(BridgeClient::close);
    }

    @Test
    void aBurstOfJoinsAndLeavesIsSentAsChangesAndFewWholeLists() {
        Table table = Table.create(rest, "Crowded");
        String room = Addresses.room(table.roomId());
        List<JsonObject> players = new ArrayList<>();
        for (int i = 0; i < BURST; i++) players.add(table.join("P" + i, "PLAYER"));

        Listener gm = listen(table.gmToken(), room);
        gm.awaitList(Set.of(table.gmId()));
        int framesBefore = gm.client.seen().size();

        // All connected at once, then registered one after the other: a burst, however slow the machine's connects.
        List<Listener> burst = new ArrayList<>();
        List<Future<BridgeClient>> connecting = new ArrayList<>();
        for (JsonObject player : players)
            connecting.add(
                    BridgeClient.connect(node.vertx(), node.bridgePort(), player.getString("token"), null, false));
        for (BridgeClient client : Future.all(connecting).await().<BridgeClient>list()) {
            clients.add(client);
            client.register(room);
            burst.add(new Listener(client, room));
        }
        Set<String> everyone = new HashSet<>(Set.of(table.gmId()));
        players.forEach(player -> everyone.add(Table.userId(player)));
        gm.awaitList(everyone);
        gm.awaitWholeList(everyone); // the settled list agrees with the changes
        for (Listener player : burst) player.awaitList(everyone);

        List<JsonObject> heard = gm.presenceFrames(framesBefore);
        assertThat(heard.stream().filter(PresenceChangesTest::isWholeList).count())
                .as("whole lists for a burst of %d joins", BURST)
                .isLessThanOrEqualTo(FEW_LISTS);
        assertThat(heard.stream().filter(PresenceChangesTest::isChange).count())
                .as("one delta per join")
                .isGreaterThanOrEqualTo(BURST);

        int framesBeforeLeaving = gm.client.seen().size();
        Set<String> staying = new HashSet<>(everyone);
        for (int i = 0; i < BURST / 2; i++) {
            burst.get(i).client.close();
            staying.remove(Table.userId(players.get(i)));
        }
        gm.awaitList(staying);
        gm.awaitWholeList(staying);
        for (Listener player : burst.subList(BURST / 2, BURST)) player.awaitList(staying);
        List<JsonObject> leaving = gm.presenceFrames(framesBeforeLeaving);
        assertThat(leaving.stream().filter(PresenceChangesTest::isChange).count())
                .as("one delta per leave")
                .isGreaterThanOrEqualTo(BURST / 2);
        assertThat(leaving.stream().filter(PresenceChangesTest::isWholeList).count())
                .as("whole lists for a burst of %d leaves", BURST / 2)
                .isLessThanOrEqualTo(FEW_LISTS);
    }

    /**
     * A join writes its entry and reads the room's list back in one script: each user once with their name, in the
     * order of their entries, without entries that expired (a dead node's sockets), every key kept alive.
     */
    @Test
    void aJoinAnswersEachUserOnceWithoutExpiredEntries() {
        String roomId = "joinscript" + System.nanoTime();
        Presence presence = new Presence(node.vertx(), redis, 300_000);
        redis.zadd(List.of(Presence.key(roomId), "1", "gone|s0")).await();
        redis.hset(List.of(Presence.namesKey(roomId), "gone", "Gone")).await();

        assertThat(presence.join(roomId, "ann", "Ann", "s1").await())
                .isEqualTo(new JsonArray().add(person("ann", "Ann")));
        presence.join(roomId, "bob", "Bob", "s2").await();
        JsonArray online = presence.join(roomId, "ann", "Ann", "s3").await();

        assertThat(online).isEqualTo(new JsonArray().add(person("ann", "Ann")).add(person("bob", "Bob")));
        assertThat(redis.zscore(Presence.key(roomId), "gone|s0").await())
                .as("expired entry")
                .isNull();
        assertThat(redis.zcard(Presence.socketsKey(roomId, "ann")).await().toInteger())
                .isEqualTo(2);
        for (String key :
                List.of(Presence.key(roomId), Presence.namesKey(roomId), Presence.socketsKey(roomId, "ann"))) {
            assertThat(redis.pttl(key).await().toLong()).as("expiry of %s", key).isPositive();
        }
    }

    private static JsonObject person(String userId, String name) {
        return new JsonObject().put("userId", userId).put("displayName", name);
    }

    @Test
    void aUserWithTwoSocketsLeavesWithTheLastOne() {
        Table table = Table.create(rest, "Two tabs");
        String room = Addresses.room(table.roomId());
        JsonObject pip = table.join("Pip", "PLAYER");
        String pipId = Table.userId(pip);
        Listener gm = listen(table.gmToken(), room);
        Listener firstTab = listen(pip.getString("token"), room);
        Listener secondTab = listen(pip.getString("token"), room);
        Set<String> both = Set.of(table.gmId(), pipId);
        secondTab.awaitList(both);
        String sockets = Presence.socketsKey(table.roomId(), pipId);
        await().atMost(SETTLED).until(() -> redis.zcard(sockets).await().toInteger() == 2);
        gm.awaitList(both);
        int framesBefore = gm.client.seen().size();

        firstTab.client.close();
        await().atMost(SETTLED).until(() -> redis.zcard(sockets).await().toInteger() == 1);
        gm.awaitWholeList(both);
        assertThat(gm.online).as("Pip is still here in the second tab").isEqualTo(both);

        secondTab.client.close();
        gm.awaitList(Set.of(table.gmId()));
        List<JsonObject> lefts = gm.presenceFrames(framesBefore).stream()
                .filter(frame -> frame.getJsonObject("body").containsKey("left"))
                .toList();
        assertThat(lefts).as("Pip left once, with the last tab").hasSize(1);
    }

    private Listener listen(String token, String room) {
        BridgeClient client = BridgeClient.open(node.vertx(), node.bridgePort(), token);
        clients.add(client);
        client.register(room);
        return new Listener(client, room);
    }

    static boolean isWholeList(JsonObject frame) {
        return Presence.LIST.equals(frame.getJsonObject("body").getString("type"));
    }

    static boolean isChange(JsonObject frame) {
        return Presence.CHANGED.equals(frame.getJsonObject("body").getString("type"));
    }

    /** A socket and the list it would show, applying whole lists and changes in the order they come, as the page does. */
    static final class Listener {
        final BridgeClient client;
        final String room;
        final Set<String> online = new HashSet<>();

        Listener(BridgeClient client, String room) {
            this.client = client;
            this.room = room;
        }

        void awaitList(Set<String> expected) {
            client.await(frame -> apply(frame) && online.equals(expected), SETTLED);
        }

        void awaitWholeList(Set<String> expected) {
            client.await(frame -> apply(frame) && isWholeList(frame) && online.equals(expected), SETTLED);
        }

        /** Applies a presence frame; false for any other. */
        private boolean apply(JsonObject frame) {
            if (!isPresence(frame)) return false;
            JsonObject body = frame.getJsonObject("body");
            if (body.containsKey("online")) {
                online.clear();
                body.getJsonArray("online").forEach(person -> online.add(((JsonObject) person).getString("userId")));
            }
            body.getJsonArray("joined", new JsonArray())
                    .forEach(person -> online.add(((JsonObject) person).getString("userId")));
            body.getJsonArray("left", new JsonArray()).forEach(online::remove);
            return true;
        }

        private boolean isPresence(JsonObject frame) {
            if (!"rec".equals(frame.getString("type")) || !room.equals(frame.getString("address"))) return false;
            JsonObject body = frame.getJsonObject("body");
            return body != null && String.valueOf(body.getString("type")).startsWith("presence");
        }

        List<JsonObject> presenceFrames(int from) {
            List<JsonObject> seen = client.seen();
            return seen.subList(from, seen.size()).stream()
                    .filter(this::isPresence)
                    .toList();
        }
    }
}
