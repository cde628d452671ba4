package io.vertable.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Vision through the real bridge: a player walks their token down a corridor to a closed door; the ogre behind it
 * reaches their socket only once the door is open, on their own stream. Nothing the socket received before that —
 * the join, room-stream events, their own events — names the ogre; a second player with no token never gets it.
 */
class VisionRoomTest {

    private static final String OGRE = "Ogre-behind-the-door";

    @Test
    void theMonsterBehindAClosedDoorNeverReachesThePlayersSocketUntilTheDoorOpens() {
        JsonObject overrides = TestNodes.standalone(
                "vision", "http:1,bridge:1,persistence:1,map:1", TestStorage.freshDatabase("vision"));
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        Node node = Node.start(TestNodes.config(overrides));
        try {
            Table table = Table.create(new Rest(node.httpPort()), "Vision");
            JsonObject pip = table.join("Pip", "PLAYER");
            JsonObject ned = table.join("Ned", "PLAYER");
            String pipId = Table.userId(pip);
            try (Player gm = Player.gm(node, table);
                    Player player = new Player(
                            node.vertx(), node.bridgePort(), pip.getString("token"), pipId, table.roomId(), false);
                    Player bystander = Player.member(node, table, ned)) {
                gm.join();
                // A corridor along y=125 from x=0 to the door at x=400; the ogre waits in the room beyond.
                String sceneId = corridorScene(gm);
                gm.ok(Addresses.IN_MAP, token(sceneId, "Hero", 75, 125).put("owners", new JsonArray().add(pipId)));
                gm.ok(Addresses.IN_MAP, token(sceneId, OGRE, 700, 125));
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "scene.update")
                                .put("sceneId", sceneId)
                                .put("vision", true));
                String doorId = wall(gm, sceneId, "door", 400, 100, 400, 150);

                JsonObject joined = player.join();
                bystander.join();
                assertThat(joined.getJsonObject("view").getJsonObject("tokens").encode())
                        .contains("Hero")
                        .doesNotContain(OGRE);
                assertThat(joined.getJsonObject("view").getJsonObject("walls").fieldNames())
                        .containsExactly(doorId);
                String heroId = joined.getJsonObject("view").getJsonObject("tokens").fieldNames().stream()
                        .findFirst()
                        .orElseThrow();

                // Through the wall: refused.
                JsonObject through = player.command(Addresses.IN_MAP, move(heroId, 75, 300));
                assertThat(through.getString("code")).isEqualTo("MOVE_BLOCKED");
                // From afar, the door will not open.
                JsonObject far = player.command(Addresses.IN_MAP, door(doorId, "open"));
                assertThat(far.getString("code")).isEqualTo("DOOR_TOO_FAR");
                long seq = 0;
                for (double x = 125; x <= 375; x += 50)
                    seq = player.ok(Addresses.IN_MAP, move(heroId, x, 125)).getLong("seq");
                player.awaitPrivate(seq);
                assertThat(player.socket.seen().toString()).doesNotContain(OGRE);

                long opened = player.ok(Addresses.IN_MAP, door(doorId, "open")).getLong("seq");
                player.awaitPrivate(opened);
                // The door's event (the reply's seq is that of the explored cells that follow it) shows the ogre.
                assertThat(player.socket.seen().stream()
                                .filter(f -> Addresses.user(pipId).equals(f.getString("address")))
                                .map(JsonObject::encode))
                        .anyMatch(frame -> frame.contains(OGRE));
                // The room stream named the player as one who gets their own form; it never carried the ogre.
                assertThat(player.socket.seen().stream()
                                .filter(f -> Addresses.room(table.roomId()).equals(f.getString("address")))
                                .map(JsonObject::encode))
                        .isNotEmpty()
                        .noneMatch(frame -> frame.contains(OGRE));
                // Ned has no token: the last event reaches him, and nothing of what is behind the door ever did.
                bystander.socket.await(
                        frame ->
                                frame.getValue("body") instanceof JsonObject body && body.getLong("seq", -1L) >= opened,
                        Duration.ofSeconds(10));
                assertThat(bystander.socket.seen().toString()).doesNotContain(OGRE);
                // A sync gives the player their own form too.
                JsonObject synced = player.ok(
                        Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", opened - 2));
                assertThat(synced.encode()).contains(OGRE);
            }
        } finally {
            node.shutdown();
        }
    }

    /**
     * Live traffic follows vision: Ned's scout walks in the room behind the closed door; his drag and ping there reach
     * the GM but never Pip, whose hero stands in the corridor; Ned's ping in the corridor, which Pip sees, reaches him.
     */
    @Test
    void dragsAndPingsReachOnlyThePlayersWhoSeeWhereTheyAre() {
        JsonObject overrides = TestNodes.standalone(
                "vision-live", "http:1,bridge:1,persistence:1,map:1", TestStorage.freshDatabase("visionlive"));
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        Node node = Node.start(TestNodes.config(overrides));
        try {
            Table table = Table.create(new Rest(node.httpPort()), "Vision live");
            JsonObject pip = table.join("Pip", "PLAYER");
            JsonObject ned = table.join("Ned", "PLAYER");
            String pipId = Table.userId(pip), nedId = Table.userId(ned);
            try (Player gm = Player.gm(node, table);
                    Player player = new Player(
                            node.vertx(), node.bridgePort(), pip.getString("token"), pipId, table.roomId(), false);
                    Player other = new Player(
                            node.vertx(), node.bridgePort(), ned.getString("token"), nedId, table.roomId(), false)) {
                gm.join();
                String sceneId = corridorScene(gm);
                String doorId = wall(gm, sceneId, "door", 400, 100, 400, 150);
                gm.ok(Addresses.IN_MAP, token(sceneId, "Hero", 75, 125).put("owners", new JsonArray().add(pipId)));
                gm.ok(Addresses.IN_MAP, token(sceneId, "Scout", 700, 125).put("owners", new JsonArray().add(nedId)));
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "scene.update")
                                .put("sceneId", sceneId)
                                .put("vision", true));
                player.join();
                String scoutId = other.join().getJsonObject("view").getJsonObject("tokens").stream()
                        .filter(e -> "Scout".equals(((JsonObject) e.getValue()).getString("name")))
                        .map(java.util.Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow();

                other.live("drag", 650, 125, scoutId);
                other.live("ping", 700, 300, "pingintheroom");
                other.live("cursor", 800, 200, "cursorintheroom");
                gm.socket.await(frame -> frame.encode().contains(scoutId), Duration.ofSeconds(10));
                gm.socket.await(frame -> frame.encode().contains("cursorintheroom"), Duration.ofSeconds(10));
                // The corridor is Pip's to see: that ping comes (on his own stream, after anything sent before it).
                other.live("ping", 200, 125, "pinginthecorridor");
                player.socket.await(frame -> frame.encode().contains("pinginthecorridor"), Duration.ofSeconds(10));
                assertThat(player.socket.seen().toString())
                        .doesNotContain(scoutId)
                        .doesNotContain("pingintheroom")
                        .doesNotContain("cursorintheroom");

                // "View as player": the GM gets Pip's own view, mask included; a player asking is refused.
                JsonObject asPip = gm.ok(
                        Addresses.IN_ROOM, new JsonObject().put("op", "view.as").put("userId", pipId));
                JsonObject pipsOwn = player.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                        .getJsonObject("view");
                assertThat(asPip.getJsonObject("view").getJsonObject("vision"))
                        .isEqualTo(pipsOwn.getJsonObject("vision"))
                        .isNotNull();
                assertThat(asPip.getJsonObject("view").getJsonObject("tokens").encode())
                        .doesNotContain("Scout");
                assertThat(player.command(
                                        Addresses.IN_ROOM,
                                        new JsonObject().put("op", "view.as").put("userId", nedId))
                                .getString("code"))
                        .isEqualTo("GM_ONLY");

                // The door opens on both sides: the door's event, then one explored event for each player who sees
                // more (the corridor for Ned, the room for Pip), each once.
                long before = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                        .getLong("seq");
                long opened = gm.ok(Addresses.IN_MAP, door(doorId, "open")).getLong("seq");
                assertThat(opened - before).isEqualTo(3);

                // Pip is kicked; his token still stands in the corridor, and his token still opens a socket on his
                // own stream. A ping he would have seen must not reach it.
                assertThat(table.rest()
                                .delete("/api/rooms/" + table.roomId() + "/members/" + pipId, table.gmToken())
                                .status())
                        .isEqualTo(200);
                assertThat(player.socket.awaitClosed(Duration.ofSeconds(30))).isTrue();
                try (BridgeClient again = BridgeClient.open(node.vertx(), node.bridgePort(), pip.getString("token"))) {
                    again.register(Addresses.user(pipId));
                    awaitListening(node, again, Addresses.user(pipId));
                    other.live("ping", 200, 125, "pingafterthekick");
                    // The owner publishes to the GMs before the players: once the GM has it, Pip's copy (if any) is
                    // ahead of a marker published now.
                    gm.socket.await(frame -> frame.encode().contains("pingafterthekick"), Duration.ofSeconds(10));
                    node.vertx().eventBus().publish(Addresses.user(pipId), new JsonObject().put("type", "marker"));
                    again.await(frame -> frame.encode().contains("\"marker\""), Duration.ofSeconds(10));
                    assertThat(again.seen().toString()).doesNotContain("pingafterthekick");
                }
            }
        } finally {
            node.shutdown();
        }
    }

    /** Publishes markers on the address until the client has one: its registration is in place. */
    private static void awaitListening(Node node, BridgeClient client, String address) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            node.vertx().eventBus().publish(address, new JsonObject().put("listening", true));
            return client.seen().stream().anyMatch(BridgeClient.rec(address));
        });
    }

    /** A 20×20-cell scene with a corridor along y=125 from x=0 to a doorway at x=400 (no door yet): its id. */
    private static String corridorScene(Player gm) {
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "scene.create")
                        .put("name", "Keep")
                        .put("width", 1000)
                        .put("height", 1000)
                        .put("grid", new JsonObject().put("size", 50)));
        String sceneId = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getString("activeScene");
        wall(gm, sceneId, "wall", 0, 100, 400, 100);
        wall(gm, sceneId, "wall", 0, 150, 400, 150);
        wall(gm, sceneId, "wall", 400, 0, 400, 100);
        wall(gm, sceneId, "wall", 400, 150, 400, 1000);
        return sceneId;
    }

    private static String wall(Player gm, String sceneId, String kind, double x1, double y1, double x2, double y2) {
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "wall.create")
                        .put("sceneId", sceneId)
                        .put("kind", kind)
                        .put(
                                "points",
                                new JsonArray()
                                        .add(new JsonArray().add(x1).add(y1))
                                        .add(new JsonArray().add(x2).add(y2))));
        JsonObject walls = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getJsonObject("walls");
        for (String id : walls.fieldNames()) {
            JsonArray first = walls.getJsonObject(id).getJsonArray("points").getJsonArray(0);
            if (first.getDouble(0) == x1
                    && first.getDouble(1) == y1
                    && kind.equals(walls.getJsonObject(id).getString("kind"))) return id;
        }
        throw new AssertionError("wall not created");
    }

    private static JsonObject token(String sceneId, String name, double x, double y) {
        return new JsonObject()
                .put("op", "token.create")
                .put("sceneId", sceneId)
                .put("name", name)
                .put("x", x)
                .put("y", y);
    }

    private static JsonObject move(String tokenId, double x, double y) {
        return new JsonObject()
                .put("op", "token.move")
                .put("tokenId", tokenId)
                .put("x", x)
                .put("y", y);
    }

    private static JsonObject door(String wallId, String state) {
        return new JsonObject().put("op", "door.set").put("wallId", wallId).put("door", state);
    }
}
