package io.vertable.testing;

import io.vertable.shared.wire.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One person at the table through the real bridge: sends room commands and waits for their answers, and listens to
 * the room's streams (GMs to the full {@code .gm} stream, everyone else to the public one).
 */
public final class Player implements AutoCloseable {

    public final BridgeClient socket;
    public final String userId;
    public final String roomId;
    private final boolean gm;

    public Player(Vertx vertx, int bridgePort, String token, String userId, String roomId, boolean gm) {
        this.socket = BridgeClient.open(vertx, bridgePort, token);
        this.userId = userId;
        this.roomId = roomId;
        this.gm = gm;
    }

    /** The table's GM, on the node's bridge. */
    public static Player gm(io.vertable.node.Node node, Table table) {
        return new Player(node.vertx(), node.bridgePort(), table.gmToken(), table.gmId(), table.roomId(), true);
    }

    /** A player of the table by the session {@link Table#join} gave them, on the node's bridge. */
    public static Player member(io.vertable.node.Node node, Table table, JsonObject session) {
        return new Player(
                node.vertx(),
                node.bridgePort(),
                session.getString("token"),
                Table.userId(session),
                table.roomId(),
                false);
    }

    public String stream() {
        return gm ? Addresses.roomGm(roomId) : Addresses.room(roomId);
    }

    /** Listens to the room stream and to this user's own stream, and joins: returns the join reply (seq and view). */
    public JsonObject join() {
        socket.register(stream());
        socket.register(Addresses.user(userId));
        return ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"));
    }

    /** Sends a command and returns the reply body, or the refusal's body ({@code code}, {@code message}). */
    public JsonObject command(String address, JsonObject body) {
        String replyAddress = UUID.randomUUID().toString();
        socket.send(new JsonObject()
                .put("type", "send")
                .put("address", address)
                .put("body", body.copy().put("room", roomId))
                .put("replyAddress", replyAddress));
        JsonObject answer =
                socket.await(frame -> replyAddress.equals(frame.getString("address")), Duration.ofSeconds(30));
        return "err".equals(answer.getString("type")) ? BridgeClient.errorBody(answer) : answer.getJsonObject("body");
    }

    public JsonObject ok(String address, JsonObject body) {
        JsonObject reply = command(address, body);
        if (reply.containsKey("code")) throw new AssertionError(body.encode() + " refused: " + reply.encode());
        return reply;
    }

    /** Sends a live (never stored) message: a drag preview, a ping or a cursor. */
    public void live(String op, double x, double y, String tokenId) {
        JsonObject body =
                new JsonObject().put("room", roomId).put("op", op).put("x", x).put("y", y);
        if (tokenId != null) body.put("tokenId", tokenId);
        socket.send(new JsonObject()
                .put("type", "send")
                .put("address", Addresses.IN_LIVE)
                .put("body", body));
    }

    /** Types a chat line, as the chat box sends it. */
    public JsonObject chat(String text) {
        return command(Addresses.IN_CHAT, new JsonObject().put("op", "send").put("text", text));
    }

    /** Event {@code seq} as this player's own stream brought it, seen already or next. */
    public JsonObject awaitPrivate(long seq) {
        Predicate<JsonObject> mine = frame -> "rec".equals(frame.getString("type"))
                && Addresses.user(userId).equals(frame.getString("address"))
                && frame.getValue("body") instanceof JsonObject body
                && body.getLong("seq", -1L) == seq;
        for (JsonObject frame : socket.seen()) if (mine.test(frame)) return frame.getJsonObject("body");
        return socket.await(mine, Duration.ofSeconds(30)).getJsonObject("body");
    }

    /** Everything this socket has received, as one text: what a leak check searches. */
    public String everythingReceived() {
        StringBuilder all = new StringBuilder();
        socket.seen().forEach(frame -> all.append(frame.encode()).append('\n'));
        return all.toString();
    }

    public JsonObject map(String op, JsonObject body) {
        return command(Addresses.IN_MAP, body.copy().put("op", op));
    }

    /** The room event (a frame on this player's stream with a seq) matching {@code test}, seen already or next. */
    public JsonObject awaitEvent(Predicate<JsonObject> test) {
        for (JsonObject event : events()) if (test.test(event)) return event;
        return socket.await(
                        frame -> "rec".equals(frame.getString("type"))
                                && stream().equals(frame.getString("address"))
                                && frame.getJsonObject("body").containsKey("seq")
                                && test.test(frame.getJsonObject("body")),
                        Duration.ofSeconds(30))
                .getJsonObject("body");
    }

    /** Places a token named {@code name} at (0, 0) on the room's active scene; its id, once its event is here. */
    public String createTokenOnActiveScene(String name) {
        String scene = ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getString("activeScene");
        long seq = ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "token.create")
                                .put("sceneId", scene)
                                .put("name", name)
                                .put("x", 0)
                                .put("y", 0))
                .getLong("seq");
        return awaitSeq(seq).getJsonObject("data").getString("tokenId");
    }

    public JsonObject awaitSeq(long seq) {
        return awaitEvent(event -> event.getLong("seq") == seq);
    }

    /** Room events received so far, in arrival order. */
    public List<JsonObject> events() {
        return socket.seen().stream()
                .filter(frame ->
                        "rec".equals(frame.getString("type")) && stream().equals(frame.getString("address")))
                .map(frame -> frame.getJsonObject("body"))
                .filter(body -> body.containsKey("seq"))
                .toList();
    }

    @Override
    public void close() {
        socket.close();
    }
}
