package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.room.RoomViews;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A GM's browser in one room of a cluster of child JVMs: moves a token, follows the room's events, and recovers as the
 * browser does. When its socket closes it connects to a node that is up, listens again, resyncs from its last seq, and
 * resends an unanswered command with the same id; a refusal that means "try again" (an outage or an unknown outcome) is
 * noted and the same command goes again. Any other refusal fails the test.
 */
final class RoomMover {

    /** A refusal the client answered by sending the same command again. */
    record Refusal(long atNanos, String code) {}

    /** The codes that mean "the outcome is unknown or the table is paused: send the same command again". */
    static final Set<String> RETRY_CODES = Set.of("TIMEOUT", "SERVICE_UNAVAILABLE", "STORE_UNAVAILABLE");

    final String roomId;
    final String token;
    final String userId;
    /** seq → x of every acknowledged move. */
    final Map<Long, Integer> acked = new ConcurrentHashMap<>();
    /** {sent, acknowledged} in nanoTime for every acknowledged move. */
    final List<long[]> ackTimes = new CopyOnWriteArrayList<>();

    final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    volatile int reconnects;
    int resyncs;
    private final Vertx vertx;
    private final ChildNodes doors;
    private final String label;
    private int node;
    private BridgeClient socket;
    private JsonObject view;
    private long seq;
    private String tokenId;
    private int nextX = 1;

    private RoomMover(
            Vertx vertx, ChildNodes doors, String label, String roomId, String token, String userId, int node) {
        this.vertx = vertx;
        this.doors = doors;
        this.label = label;
        this.roomId = roomId;
        this.token = token;
        this.userId = userId;
        this.node = node;
    }

    /** A new GM account with a new room, a scene and a token, followed from a fresh join over {@code node}'s bridge. */
    static RoomMover seat(Vertx vertx, ChildNodes doors, String label, Rest rest, String name, int node) {
        String username = "gm-" + UUID.randomUUID().toString().substring(0, 8);
        Rest.Reply account = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", username)
                        .put("password", "a long enough secret")
                        .put("displayName", name));
        String token = account.body().getString("token");
        String room = rest.post("/api/rooms", token, new JsonObject().put("name", name))
                .body()
                .getString("id");
        RoomMover mover = new RoomMover(
                vertx,
                doors,
                label,
                room,
                token,
                account.body().getJsonObject("user").getString("id"),
                node);
        mover.connect();
        mover.request(
                Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Road"));
        String scene = mover.request(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getString("activeScene");
        mover.request(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "token.create")
                        .put("sceneId", scene)
                        .put("name", "Cart")
                        .put("x", 0)
                        .put("y", 0));
        // Start following from a fresh join, which includes the token.
        JsonObject seated = mover.request(Addresses.IN_ROOM, new JsonObject().put("op", "join"));
        mover.view = seated.getJsonObject("view");
        mover.seq = seated.getLong("seq");
        mover.tokenId =
                mover.view.getJsonObject("tokens").fieldNames().iterator().next();
        return mover;
    }

    /** Moves the token while {@code running}, one move at a time, {@code pace} apart (zero: as fast as answered). */
    Void play(AtomicBoolean running, Duration pace) throws InterruptedException {
        while (running.get()) {
            int x = nextX++;
            long sent = System.nanoTime();
            JsonObject reply = request(
                    Addresses.IN_MAP,
                    new JsonObject()
                            .put("op", "token.move")
                            .put("tokenId", tokenId)
                            .put("x", x)
                            .put("y", 0)
                            .put("cid", UUID.randomUUID().toString()));
            acked.put(reply.getLong("seq"), x);
            ackTimes.add(new long[] {sent, System.nanoTime()});
            follow();
            // Pacing a player's hand, not waiting for anything.
            if (!pace.isZero()) Thread.sleep(pace.toMillis());
        }
        return null;
    }

    /** The node that owns the room now, as the room's join answers. */
    String owner() {
        return request(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getString("owner");
    }

    /**
     * Sends until answered: a closed socket is replaced (on the next node that is up) and the same command, with the
     * same id, goes again; so does a command refused with one of the {@link #RETRY_CODES}.
     */
    JsonObject request(String address, JsonObject body) {
        body.put("room", roomId);
        // Bounded: a client that can never get an answer fails the test with what it saw, not the build by hanging.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("no answer in 90 s for " + body.encode() + " on node-" + node + " after "
                        + reconnects + " reconnects");
            String replyAddress = UUID.randomUUID().toString().substring(0, 30);
            socket.send(new JsonObject()
                    .put("type", "send")
                    .put("address", address)
                    .put("body", body)
                    .put("replyAddress", replyAddress));
            JsonObject answer = awaitOrClosed(frame -> replyAddress.equals(frame.getString("address")));
            if (answer == null) {
                reconnect();
                continue;
            }
            if ("err".equals(answer.getString("type"))) {
                String code = code(answer);
                if (!RETRY_CODES.contains(code))
                    throw new AssertionError(body.encode() + " refused: " + answer.encode());
                // The protocol's answer to "retry" and to an unknown outcome: send the same command (same cid).
                refusals.add(new Refusal(System.nanoTime(), code));
                continue;
            }
            return answer.getJsonObject("body");
        }
    }

    private static String code(JsonObject err) {
        // The gate's own refusals carry the code on the frame; a service's reply failure carries it in the message's
        // JSON.
        String code = err.getString("code");
        if (code == null && err.getString("message", "").startsWith("{"))
            code = new JsonObject(err.getString("message")).getString("code");
        return code;
    }

    private JsonObject awaitOrClosed(Predicate<JsonObject> test) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try {
                return socket.await(test, Duration.ofMillis(250));
            } catch (AssertionError quiet) {
                if (socket.isClosed()) return null;
            }
        }
        throw new AssertionError("no answer in 15 s from node-" + node + " for " + roomId);
    }

    private void connect() {
        for (int attempt = 0; ; attempt++) {
            int candidate = (node + attempt) % doors.count();
            if (!doors.up[candidate]) continue;
            try {
                socket = BridgeClient.connect(vertx, doors.bridgePorts[candidate], token, null, false)
                        .await(5, TimeUnit.SECONDS);
                node = candidate;
                socket.register(Addresses.roomGm(roomId));
                return;
            } catch (Exception e) {
                if (attempt > 50) throw new AssertionError("no node takes sockets", e);
            }
        }
    }

    /** What the browser does after a lost socket: another node, listen again, resync from the last seq. */
    private void reconnect() {
        // Why it closed (the node's shutdown, or a frame this client could not take) is what a flake needs.
        System.out.printf(
                "%s: room %s lost its socket to node-%d at seq %d: %s%n",
                label, roomId, node, seq, socket.closeReason());
        socket.close();
        reconnects++;
        connect();
        resync();
    }

    /** Applies the room events received so far in seq order; a gap is filled with a sync. */
    private void follow() {
        // A copy: a resync below reads more frames into seen() (perhaps of a new socket); they are followed next time.
        List<JsonObject> frames = new ArrayList<>(socket.seen());
        socket.seen().clear();
        for (JsonObject frame : frames) {
            if (!"rec".equals(frame.getString("type"))
                    || !Addresses.roomGm(roomId).equals(frame.getString("address"))) continue;
            JsonObject event = frame.getJsonObject("body");
            if (!event.containsKey("seq") || event.getLong("seq") <= seq) continue;
            if (event.getLong("seq") != seq + 1) resync();
            if (event.getLong("seq") == seq + 1) apply(event);
        }
    }

    private void resync() {
        resyncs++;
        JsonObject reply =
                request(Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", seq));
        if (reply.containsKey("view")) {
            view = reply.getJsonObject("view");
            seq = reply.getLong("seq");
            return;
        }
        for (Object e : reply.getJsonArray("events", new JsonArray())) {
            JsonObject event = (JsonObject) e;
            if (event.getLong("seq") == seq + 1) apply(event);
        }
    }

    private void apply(JsonObject event) {
        JsonObject patch = event.getJsonObject("patch");
        if (patch != null) RoomViews.applyPatch(view, patch);
        seq = event.getLong("seq");
    }

    /** The client's view once it has followed everything it received and resynced: what it shows the GM now. */
    JsonObject converged() {
        follow();
        resync();
        return view;
    }

    /**
     * The room's stored log (in seq order) against what this client saw: no gap, every acknowledged move stored with
     * its position, and the client's view equal to the log replayed.
     */
    void assertDurableAndConverged(List<JsonObject> log) {
        for (int i = 0; i < log.size(); i++)
            assertThat(log.get(i).getLong("seq"))
                    .as("gap-free log of %s", roomId)
                    .isEqualTo(i + 1L);
        Map<Long, JsonObject> bySeq = new HashMap<>();
        log.forEach(e -> bySeq.put(e.getLong("seq"), e));
        for (Map.Entry<Long, Integer> ack : acked.entrySet()) {
            JsonObject stored = bySeq.get(ack.getKey());
            assertThat(stored)
                    .as("acknowledged seq %d of %s is stored", ack.getKey(), roomId)
                    .isNotNull();
            assertThat(stored.getJsonObject("data").getDouble("x"))
                    .as("acknowledged seq %d of %s", ack.getKey(), roomId)
                    .isEqualTo(ack.getValue().doubleValue());
        }
        JsonObject state = RoomReducer.empty(roomId);
        for (JsonObject e : log)
            RoomReducer.apply(state, e.getLong("seq"), e.getString("type"), e.getJsonObject("data"));
        assertThat(converged()).as("client view of " + roomId).isEqualTo(RoomViews.gm(state));
    }

    void close() {
        socket.close();
    }

    /** The longest wait for an acknowledgement, or between two, of moves sent within [from, to] (nanoTime). */
    long longestPauseMs(long from, long to) {
        long longest = 0;
        long previous = -1;
        for (long[] times : ackTimes) {
            if (times[0] >= from && times[0] <= to) {
                longest = Math.max(longest, times[1] - (previous < 0 ? times[0] : Math.max(previous, times[0])));
            }
            previous = times[1];
        }
        return longest / 1_000_000;
    }
}
