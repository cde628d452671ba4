package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request that reached a service on a node just as that service stopped is dropped by the bus without a reply. Its
 * sender used to wait out its own timeout (4 s for a room's owner, 5 s for a store call) before trying elsewhere;
 * now the stopping service announces that it left and the sender sends again at once. Two nodes: {@code left-a} the
 * door (http, bridge, persistence, map), {@code left-b} the node whose map or persistence instance the operator
 * stops. A message on its way into {@code left-b} is held there, never delivered, to stand for the one that arrived
 * too late; then the instance is stopped.
 */
class LeavingServiceTest {

    /** Far below the 4 s forward and 5 s store timeouts, and far above a handover on a busy machine. */
    static final long ANSWERED_WITHIN_MS = 3_000;

    static PgUrl database;
    static TestCluster cluster;
    static Node door;
    static Node leaving;
    static Rest rest;
    static String adminToken;
    static String gmToken;
    static String gmId;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("leaving");
        cluster = TestCluster.create(2);
        door = cluster.start("left-a", "http:1,bridge:1,persistence:1,map:1", database);
        leaving = cluster.start("left-b", "persistence:1,map:1", database);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> door.context().clusterMembers() == 2);
        rest = new Rest(door.httpPort());
        adminToken = register("operator").getString("token");
        JsonObject gm = register("gamemaster");
        gmToken = gm.getString("token");
        gmId = gm.getJsonObject("user").getString("id");
    }

    @AfterAll
    static void stop() {
        for (Node node : List.of(door, leaving)) if (node != null) node.shutdown();
    }

    @Test
    void aCommandInFlightToAnOwnerThatHandsOverIsAnsweredByTheSuccessorAtOnce() throws Exception {
        Player gm = seatInRoomOwnedBy("left-b");
        String token = gm.createTokenOnActiveScene("Runner");
        HeldMessage held = HeldMessage.on(
                leaving, Addresses.roomOwner(gm.roomId), body -> "token.move".equals(body.getString("op")));

        long sent = System.nanoTime();
        CompletableFuture<JsonObject> move = CompletableFuture.supplyAsync(() -> move(gm, token, 7));
        held.awaitCaught();
        assertThat(rescale("left-b", "map", 0).status()).isEqualTo(200);
        JsonObject reply = move.get(30, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - sent) / 1_000_000;

        System.out.printf("leaving owner: the move held at the old owner was answered after %d ms%n", tookMs);
        assertThat(reply.getBoolean("ok", false)).as(reply.encode()).isTrue();
        assertThat(tookMs)
                .as("answered by the successor, not after the 4 s timeout")
                .isLessThan(ANSWERED_WITHIN_MS);
        assertThat(gm.join().getString("owner")).isEqualTo("left-a");
        assertThat(TestStorage.storedLog(database, gm.roomId).toString()).contains("\"x\":7");
        held.release();
        rescale("left-b", "map", 1);
        gm.close();
    }

    @Test
    void anAppendInFlightToAPersistenceInstanceThatStopsIsStoredElsewhereAtOnce() throws Exception {
        Player gm = seatInRoomOwnedBy("left-a");
        String token = gm.createTokenOnActiveScene("Walker");
        HeldMessage held =
                HeldMessage.on(leaving, Addresses.PERSIST_EVENTS, body -> "append".equals(body.getString("op")));

        // Appends go to either node's persistence; move until one is held on its way into left-b's.
        AtomicReference<Long> heldMoveSent = new AtomicReference<>();
        CompletableFuture<JsonObject> moves = CompletableFuture.supplyAsync(() -> {
            for (int x = 1; ; x++) {
                heldMoveSent.set(System.nanoTime());
                JsonObject reply = move(gm, token, x);
                if (held.caught()) return reply;
                assertThat(reply.getBoolean("ok", false)).as(reply.encode()).isTrue();
            }
        });
        held.awaitCaught();
        assertThat(rescale("left-b", "persistence", 0).status()).isEqualTo(200);
        JsonObject reply = moves.get(30, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - heldMoveSent.get()) / 1_000_000;

        System.out.printf("leaving persistence: the move whose append was held was answered after %d ms%n", tookMs);
        assertThat(reply.getBoolean("ok", false)).as(reply.encode()).isTrue();
        assertThat(tookMs)
                .as("stored elsewhere, not after the 5 s store timeout")
                .isLessThan(ANSWERED_WITHIN_MS);
        assertThat(TestStorage.storedLog(database, gm.roomId).toString()).contains("\"seq\":" + reply.getLong("seq"));
        held.release();
        rescale("left-b", "persistence", 1);
        gm.close();
    }

    // ---- helpers ----

    /** Holds the first matching message on its way into a node's handlers: it is never delivered, never answered. */
    static final class HeldMessage {
        private final CountDownLatch caught = new CountDownLatch(1);
        private volatile boolean holding = true;

        static HeldMessage on(Node node, String address, Predicate<JsonObject> matches) {
            HeldMessage held = new HeldMessage();
            node.vertx().eventBus().addInboundInterceptor((DeliveryContext<Object> delivery) -> {
                if (held.holding
                        && address.equals(delivery.message().address())
                        && delivery.message().body() instanceof JsonObject body
                        && matches.test(body)
                        && held.caught.getCount() > 0) {
                    held.caught.countDown();
                    return;
                }
                delivery.next();
            });
            return held;
        }

        boolean caught() {
            return caught.getCount() == 0;
        }

        void awaitCaught() throws InterruptedException {
            assertThat(caught.await(30, TimeUnit.SECONDS))
                    .as("a message was held")
                    .isTrue();
        }

        void release() {
            holding = false;
        }
    }

    private static JsonObject move(Player gm, String token, int x) {
        return gm.map(
                "token.move", new JsonObject().put("tokenId", token).put("x", x).put("y", 1));
    }

    /** A GM seated in a fresh room whose owner is on {@code nodeId} (claims are balanced, so rooms are tried). */
    private static Player seatInRoomOwnedBy(String nodeId) {
        for (int i = 0; i < 40; i++) {
            Rest.Reply room = rest.post("/api/rooms", gmToken, new JsonObject().put("name", "Room " + nodeId + i));
            assertThat(room.status()).as(room.body().encode()).isEqualTo(201);
            Player gm = new Player(
                    door.vertx(), door.bridgePort(), gmToken, gmId, room.body().getString("id"), true);
            if (nodeId.equals(gm.join().getString("owner"))) {
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject().put("op", "scene.create").put("name", "Hall"));
                return gm;
            }
            gm.close();
        }
        throw new AssertionError("no room was claimed on " + nodeId);
    }

    private static Rest.Reply rescale(String nodeId, String verticle, int count) {
        return rest.send(
                "PUT",
                "/api/admin/nodes/" + nodeId + "/verticles/" + verticle,
                adminToken,
                new JsonObject().put("instances", count),
                Duration.ofSeconds(60));
    }

    private static JsonObject register(String username) {
        Rest.Reply reply = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", username)
                        .put("password", "a long enough secret")
                        .put("displayName", username));
        assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
        return reply.body();
    }
}
