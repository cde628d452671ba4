package io.vertable.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A live room through the real bridge: a GM and two players on one node with two map instances. */
class LiveRoomTest {

    static PgUrl database;
    static Node node;
    static Rest rest;

    Table table;
    Player gm;
    Player pip;
    Player quin;
    String scene;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("live-room");
        JsonObject overrides = TestNodes.standalone("room-node", "http:1,bridge:1,persistence:1,map:2", database);
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true); // rooms are driven hard from one socket here
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    @BeforeEach
    void seat() {
        table = Table.create(rest, "Live");
        JsonObject pipSession = table.join("Pip", "PLAYER");
        JsonObject quinSession = table.join("Quin", "PLAYER");
        gm = Player.gm(node, table);
        pip = Player.member(node, table, pipSession);
        quin = Player.member(node, table, quinSession);
        gm.join();
        pip.join();
        quin.join();
        scene = gm.map("scene.create", new JsonObject().put("name", "Crypt")).getString("ok") == null
                ? null
                : sceneId();
    }

    private String sceneId() {
        return gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getString("activeScene");
    }

    @AfterEach
    void leave() {
        for (Player p : List.of(gm, pip, quin)) p.close();
    }

    private String token(JsonObject fields) {
        JsonObject reply = gm.map(
                "token.create",
                new JsonObject()
                        .put("sceneId", scene)
                        .put("x", 100)
                        .put("y", 100)
                        .mergeIn(fields));
        assertThat(reply.getBoolean("ok")).as(reply.encode()).isTrue();
        JsonObject event = gm.awaitSeq(reply.getLong("seq"));
        return event.getJsonObject("data").getString("tokenId");
    }

    @Test
    void theClientConfigNamesTheBridgePortActuallyBound() {
        // Configured as 0 (any free port): the browser must learn the port the bridge really listens on.
        JsonObject config = rest.get("/api/config", null).body();
        assertThat(config.getInteger("bridgePort")).isPositive().isEqualTo(node.bridgePort());
        assertThat(config.getInteger("uploadMaxBytes")).isPositive();
    }

    @Test
    void aTokenMoveReachesEveryMemberInOrder() {
        String mine =
                token(new JsonObject().put("name", "Pip's fighter").put("owners", new JsonArray().add(pip.userId)));
        long last = 0;
        for (int i = 1; i <= 20; i++) {
            JsonObject moved = pip.map(
                    "token.move",
                    new JsonObject().put("tokenId", mine).put("x", 100 + i * 10).put("y", 100));
            assertThat(moved.getBoolean("ok")).as(moved.encode()).isTrue();
            last = moved.getLong("seq");
        }
        for (Player p : List.of(gm, pip, quin)) {
            p.awaitSeq(last);
            List<Long> seqs = p.events().stream().map(e -> e.getLong("seq")).toList();
            for (int i = 1; i < seqs.size(); i++)
                assertThat(seqs.get(i)).as("in order, no gap").isEqualTo(seqs.get(i - 1) + 1);
            JsonObject lastMove = p.events().get(p.events().size() - 1);
            JsonObject token = lastMove.getJsonObject("patch")
                    .getJsonObject("upsert")
                    .getJsonArray("tokens")
                    .getJsonObject(0);
            assertThat(token.getDouble("x")).isEqualTo(300.0);
        }
    }

    @Test
    void aPlayerCannotMoveAnothersTokenNorAHiddenOne() {
        String pips = token(new JsonObject().put("name", "Pip's").put("owners", new JsonArray().add(pip.userId)));
        String hidden = token(new JsonObject()
                .put("name", "Hidden")
                .put("owners", new JsonArray().add(quin.userId))
                .put("hidden", true));
        assertThat(quin.map(
                                "token.move",
                                new JsonObject()
                                        .put("tokenId", pips)
                                        .put("x", 1)
                                        .put("y", 1))
                        .getString("code"))
                .isEqualTo("FORBIDDEN");
        assertThat(quin.map(
                                "token.move",
                                new JsonObject()
                                        .put("tokenId", hidden)
                                        .put("x", 1)
                                        .put("y", 1))
                        .getString("code"))
                .isEqualTo("NOT_FOUND");
        assertThat(pip.map("token.hide", new JsonObject().put("tokenId", pips)).getString("code"))
                .isEqualTo("GM_ONLY");
        assertThat(pip.map("fog.reset", new JsonObject().put("sceneId", scene)).getString("code"))
                .isEqualTo("GM_ONLY");
    }

    @Test
    void secretsNeverReachAPlayersSocket() {
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject().put("op", "fog.reset").put("sceneId", scene).put("covered", true));
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject().put("op", "fog.reveal").put("sceneId", scene).put("shape", rect(0, 0, 300, 300)));
        String assassin = token(new JsonObject()
                .put("name", "Secret Assassin")
                .put("hidden", true)
                .put("x", 50)
                .put("y", 50));
        String troll = token(
                new JsonObject().put("name", "Lurking Troll").put("x", 900).put("y", 900));
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "token.move")
                        .put("tokenId", assassin)
                        .put("x", 60)
                        .put("y", 60));
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject().put("op", "token.update").put("tokenId", troll).put("hp", 30));
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "initiative.add")
                        .put("tokenId", assassin)
                        .put("value", 19));
        long noteSeq = gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "note.create")
                                .put("title", "Twist")
                                .put("body", "the king is the villain"))
                .getLong("seq");
        String noteId = gm.awaitSeq(noteSeq).getJsonObject("data").getString("noteId");

        JsonObject joined = pip.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"));
        JsonObject synced =
                pip.ok(Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", 0));
        pip.awaitSeq(noteSeq);
        List<String> secrets = List.of(assassin, "Secret Assassin", troll, "Lurking Troll", noteId, "villain");
        List<String> everything = new ArrayList<>();
        pip.socket.seen().forEach(frame -> everything.add(frame.encode()));
        everything.add(joined.encode());
        everything.add(synced.encode());
        for (String frame : everything) assertThat(frame).doesNotContain(secrets);
        assertThat(pip.events().stream()
                        .filter(e -> "redacted".equals(e.getString("type")))
                        .count())
                .as("the player saw that something happened, not what")
                .isGreaterThanOrEqualTo(4);

        // Revealing the troll's corner brings it to players, then and only then.
        long revealed = gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "fog.reveal")
                                .put("sceneId", scene)
                                .put("shape", rect(800, 800, 200, 200)))
                .getLong("seq");
        JsonObject appeared = pip.awaitSeq(revealed);
        assertThat(appeared.encode()).contains("Lurking Troll").doesNotContain("Secret Assassin");
    }

    @Test
    void joinAndSyncGiveEachRoleItsOwnView() {
        long before =
                pip.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq");
        token(new JsonObject().put("name", "Visible"));
        token(new JsonObject().put("name", "Invisible").put("hidden", true));
        JsonObject sync =
                pip.ok(Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", before));
        JsonArray events = sync.getJsonArray("events");
        assertThat(events.size()).isEqualTo(2);
        assertThat(events.getJsonObject(0).getString("type")).isEqualTo("token.created");
        assertThat(events.getJsonObject(1).getString("type")).isEqualTo("redacted");
        JsonObject gmSync =
                gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", before));
        assertThat(gmSync.getJsonArray("events")
                        .getJsonObject(1)
                        .getJsonObject("data")
                        .getString("name"))
                .isEqualTo("Invisible");
        JsonObject future = pip.command(
                Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", sync.getLong("seq") + 10));
        assertThat(future.getString("code")).isEqualTo("BAD_REQUEST");
    }

    @Test
    void badCommandsAreRefusedAndChangeNothing() {
        String t = token(new JsonObject().put("name", "Target"));
        long seq = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq");
        assertThat(gm.map("token.teleport", new JsonObject()).getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(gm.map(
                                "token.move",
                                new JsonObject()
                                        .put("tokenId", "nope")
                                        .put("x", 1)
                                        .put("y", 1))
                        .getString("code"))
                .isEqualTo("NOT_FOUND");
        assertThat(gm.map(
                                "token.move",
                                new JsonObject()
                                        .put("tokenId", t)
                                        .put("x", 1e300)
                                        .put("y", 1))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(gm.map(
                                "token.move",
                                new JsonObject().put("tokenId", t).putNull("x").put("y", 1))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        JsonArray huge = new JsonArray();
        for (int i = 0; i < 2000; i++) huge.add(new JsonArray().add(i).add(i % 7));
        assertThat(gm.map("fog.cover", new JsonObject().put("sceneId", scene).put("shape", polygon(huge)))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(gm.map("note.create", new JsonObject().put("title", "Tome").put("body", "x".repeat(100_000)))
                        .getString("code"))
                .as("refused at the bridge before any service sees it")
                .isEqualTo("PAYLOAD_TOO_LARGE");
        // Far over the limit, the transport itself gives up on the message; the socket is told and closed.
        gm.socket.send(new JsonObject()
                .put("type", "send")
                .put("address", Addresses.IN_MAP)
                .put(
                        "body",
                        new JsonObject()
                                .put("room", table.roomId())
                                .put("op", "note.create")
                                .put("title", "Tome")
                                .put("body", "x".repeat(1_000_000))));
        gm.socket.awaitRefusal("PAYLOAD_TOO_LARGE");
        assertThat(gm.socket.awaitClosed(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(pip.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq"))
                .as("nothing changed")
                .isEqualTo(seq);
    }

    @Test
    void theLogIsStoredWithSnapshotsEveryHundredEvents() throws Exception {
        String t = token(new JsonObject().put("name", "Runner"));
        long last = 0;
        for (int i = 0; i < 230; i++) {
            last = gm.ok(
                            Addresses.IN_MAP,
                            new JsonObject()
                                    .put("op", "token.move")
                                    .put("tokenId", t)
                                    .put("x", i)
                                    .put("y", i))
                    .getLong("seq");
        }
        try (Connection c = TestStorage.jdbc(database)) {
            ResultSet events = c.createStatement()
                    .executeQuery(
                            "SELECT count(*), min(seq), max(seq) FROM events WHERE room_id = '" + table.roomId() + "'");
            events.next();
            assertThat(events.getLong(1)).isEqualTo(last);
            assertThat(events.getLong(2)).isEqualTo(1);
            assertThat(events.getLong(3)).isEqualTo(last);
            ResultSet snapshots = c.createStatement()
                    .executeQuery("SELECT seq FROM snapshots WHERE room_id = '" + table.roomId() + "' ORDER BY seq");
            List<Long> seqs = new ArrayList<>();
            while (snapshots.next()) seqs.add(snapshots.getLong(1));
            assertThat(seqs).containsExactly(100L, 200L);
        }
        JsonObject loaded = node.vertx()
                .eventBus()
                .<JsonObject>request(
                        Addresses.PERSIST_EVENTS,
                        new JsonObject().put("op", "load").put("roomId", table.roomId()))
                .await()
                .body();
        assertThat(loaded.getJsonObject("snapshot").getLong("seq")).isEqualTo(200);
        assertThat(loaded.getJsonArray("events").size())
                .isEqualTo((int) (last - 200))
                .isLessThan(100);
    }

    @Test
    void aRepeatedCommandIsAppliedOnceAndAnsweredAlike() {
        String t = token(new JsonObject().put("name", "Once"));
        JsonObject move = new JsonObject()
                .put("op", "token.move")
                .put("tokenId", t)
                .put("x", 5)
                .put("y", 5)
                .put("cid", "move-42");
        JsonObject first = gm.ok(Addresses.IN_MAP, move);
        JsonObject again = gm.ok(Addresses.IN_MAP, move);
        assertThat(again.getLong("seq")).isEqualTo(first.getLong("seq"));
        assertThat(again.getBoolean("repeat")).isTrue();
        long after =
                gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq");
        assertThat(after).as("one event, not two").isEqualTo(first.getLong("seq"));
    }

    @Test
    void aRoomExportsAndImportsAsOneDocumentAndReplaysForTheGm() {
        token(new JsonObject().put("name", "Keeper").put("hidden", true));
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject().put("op", "note.create").put("title", "Lore").put("body", "old kings"));
        JsonObject gmView =
                gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getJsonObject("view");

        Rest.Reply replay = rest.get("/api/rooms/" + table.roomId() + "/events?from=2&to=3", table.gmToken());
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().getJsonArray("events").stream().map(e -> ((JsonObject) e).getLong("seq")))
                .containsExactly(2L, 3L);
        assertThat(rest.get("/api/rooms/" + table.roomId() + "/events", null).status())
                .isEqualTo(401);

        Rest.Reply exported = rest.get("/api/rooms/" + table.roomId() + "/export?format=json", table.gmToken());
        assertThat(exported.status()).isEqualTo(200);
        assertThat(exported.header("content-disposition")).contains("room-" + table.roomId());
        JsonObject document = exported.body();
        assertThat(document.getString("format")).isEqualTo("vertable-room/1");

        Rest.Reply imported = rest.post("/api/rooms/import", table.gmToken(), document);
        assertThat(imported.status()).as(imported.body().encode()).isEqualTo(201);
        String copy = imported.body().getString("id");
        assertThat(copy).isNotEqualTo(table.roomId());
        try (Player again = new Player(node.vertx(), node.bridgePort(), table.gmToken(), table.gmId(), copy, true)) {
            assertThat(again.join().getJsonObject("view")).isEqualTo(gmView);
        }

        JsonObject gap = document.copy();
        gap.getJsonArray("events").remove(1);
        assertThat(rest.post("/api/rooms/import", table.gmToken(), gap).code()).isEqualTo("BAD_REQUEST");
        assertThat(rest.post("/api/rooms/import", table.gmToken(), new JsonObject().put("format", "foundry"))
                        .code())
                .isEqualTo("ARCHIVE_INVALID");
        JsonObject broken = document.copy();
        broken.getJsonArray("events")
                .add(new JsonObject()
                        .put("seq", document.getJsonArray("events").size() + 1)
                        .put("type", "token.moved")
                        .put(
                                "data",
                                new JsonObject()
                                        .put("tokenId", "ghost")
                                        .put("x", 1)
                                        .put("y", 1)));
        assertThat(rest.post("/api/rooms/import", table.gmToken(), broken)
                        .body()
                        .getString("detail"))
                .contains("does not replay");
        JsonObject untyped = document.copy();
        untyped.getJsonArray("events")
                .add(new JsonObject()
                        .put("seq", document.getJsonArray("events").size() + 1)
                        .put("type", "token.updated")
                        .put(
                                "data",
                                new JsonObject()
                                        .put("tokenId", firstToken(document))
                                        .put("hidden", "yes")));
        assertThat(rest.post("/api/rooms/import", table.gmToken(), untyped)
                        .body()
                        .getString("detail"))
                .contains("cannot be served");
    }

    @Test
    void aTenThousandEventRoomLoadsFromItsSnapshot() {
        JsonArray events = new JsonArray()
                .add(event(
                        1,
                        "scene.created",
                        new JsonObject()
                                .put("sceneId", "s1")
                                .put("name", "Long")
                                .put("width", 2000.0)
                                .put("height", 2000.0)
                                .put(
                                        "grid",
                                        new JsonObject().put("type", "square").put("size", 70.0))))
                .add(event(2, "scene.activated", new JsonObject().put("sceneId", "s1")))
                .add(event(
                        3,
                        "token.created",
                        new JsonObject()
                                .put("tokenId", "t1")
                                .put("sceneId", "s1")
                                .put("name", "Walker")
                                .put("x", 0.0)
                                .put("y", 0.0)
                                .put("hidden", false)
                                .put("locked", false)
                                .put("layer", "tokens")
                                .put("owners", new JsonArray())));
        for (int seq = 4; seq <= 10_000; seq++) {
            events.add(event(
                    seq,
                    "token.moved",
                    new JsonObject().put("tokenId", "t1").put("x", (double) seq).put("y", 1.0)));
        }
        JsonObject document = new JsonObject()
                .put("format", "vertable-room/1")
                .put("room", new JsonObject().put("name", "Long"))
                .put("events", events)
                .put("assets", new JsonArray());
        Rest.Reply imported = rest.post("/api/rooms/import", table.gmToken(), document);
        assertThat(imported.status()).as(imported.body().encode()).isEqualTo(201);
        try (Player gm2 = new Player(
                node.vertx(),
                node.bridgePort(),
                table.gmToken(),
                table.gmId(),
                imported.body().getString("id"),
                true)) {
            long started = System.nanoTime();
            JsonObject joined = gm2.join();
            long ms = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("room load: 10,000-event room claimed, loaded and joined in %d ms%n", ms);
            assertThat(joined.getLong("seq")).isEqualTo(10_000);
            assertThat(joined.getJsonObject("view")
                            .getJsonObject("tokens")
                            .getJsonObject("t1")
                            .getDouble("x"))
                    .isEqualTo(10_000.0);
        }
    }

    @Test
    void oldSnapshotsThinOutToOnePerThousandEventsSoReplaysStayShort() throws Exception {
        // Snapshots as owners store them (every ~100 events), straight to persistence.
        for (long seq = 100; seq <= 2_500; seq += 100) {
            node.vertx()
                    .eventBus()
                    .request(
                            Addresses.PERSIST_EVENTS,
                            new JsonObject()
                                    .put("op", "snapshot")
                                    .put("roomId", table.roomId())
                                    .put("seq", seq)
                                    .put("state", new JsonObject().put("seq", seq)))
                    .await();
        }
        try (Connection c = TestStorage.jdbc(database)) {
            ResultSet snapshots = c.createStatement()
                    .executeQuery("SELECT seq FROM snapshots WHERE room_id = '" + table.roomId() + "' ORDER BY seq");
            List<Long> seqs = new ArrayList<>();
            while (snapshots.next()) seqs.add(snapshots.getLong(1));
            // The newest of each thousand, and the three newest of all.
            assertThat(seqs).containsExactly(900L, 1_900L, 2_300L, 2_400L, 2_500L);
        }
    }

    private static String firstToken(JsonObject document) {
        for (Object e : document.getJsonArray("events")) {
            JsonObject event = (JsonObject) e;
            if ("token.created".equals(event.getString("type")))
                return event.getJsonObject("data").getString("tokenId");
        }
        throw new AssertionError("no token in the export");
    }

    private static JsonObject event(long seq, String type, JsonObject data) {
        return new JsonObject()
                .put("seq", seq)
                .put("type", type)
                .put("ts", 0L)
                .put("audience", "all")
                .put("data", data);
    }

    @Test
    void commandIdsBelongToTheirSenderAndNameOneCommand() {
        String mine = token(new JsonObject().put("name", "Mine").put("owners", new JsonArray().add(pip.userId)));
        String gms = token(new JsonObject().put("name", "Theirs"));
        JsonObject pipMove = pip.ok(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "token.move")
                        .put("tokenId", mine)
                        .put("x", 1)
                        .put("y", 1)
                        .put("cid", "c-17"));
        JsonObject gmHide = gm.ok(
                Addresses.IN_MAP,
                new JsonObject().put("op", "token.hide").put("tokenId", gms).put("cid", "c-17"));
        assertThat(gmHide.containsKey("repeat"))
                .as("another user's id does not swallow the GM's command")
                .isFalse();
        assertThat(gmHide.getLong("seq")).isGreaterThan(pipMove.getLong("seq"));
        JsonObject reused = pip.command(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "token.move")
                        .put("tokenId", mine)
                        .put("x", 9)
                        .put("y", 9)
                        .put("cid", "c-17"));
        assertThat(reused.getString("code")).isEqualTo("CONFLICT");
    }

    @Test
    void commandsWithoutAnOpAreRefusedAtOnce() {
        assertThat(gm.command(Addresses.IN_MAP, new JsonObject().putNull("op")).getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(gm.command(Addresses.IN_MAP, new JsonObject().put("op", 7)).getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(gm.command(Addresses.IN_LIVE, new JsonObject().put("x", 1).put("y", 1))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
    }

    @Test
    void liveDragsAndPingsAreRelayedAndNeverStored() {
        long seq = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq");
        pip.live("ping", 10, 20, null);
        JsonObject ping = quin.socket.await(frame -> frame.getJsonObject("body") != null
                && "live".equals(frame.getJsonObject("body").getString("type")));
        assertThat(ping.getJsonObject("body").getString("from")).isEqualTo(pip.userId);
        gm.live("drag", 1, 2, "secretdrag");
        gm.socket.await(frame -> frame.encode().contains("secretdrag"));
        pip.live("ping", 3, 4, "marker");
        quin.socket.await(frame -> frame.encode().contains("marker"));
        assertThat(quin.socket.seen()).noneMatch(frame -> frame.encode().contains("secretdrag"));
        assertThat(gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq"))
                .as("nothing stored")
                .isEqualTo(seq);
    }

    private JsonObject measure(String op, String marker) {
        return new JsonObject()
                .put("room", table.roomId())
                .put("op", op)
                .put("x", 10)
                .put("y", 20)
                .put("x2", 110)
                .put("y2", 20)
                .put("tokenId", marker);
    }

    @Test
    void rulersAndTemplatesAreSharedLiveNeverStoredAndAGmsUnsharedOnesStayWithTheGms() {
        long seq = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq");
        pip.ok(Addresses.IN_LIVE, measure("ruler", "pipruler"));
        JsonObject ruler = quin.socket.await(frame -> frame.encode().contains("pipruler"));
        assertThat(ruler.getJsonObject("body").getDouble("x2")).isEqualTo(110);
        pip.ok(Addresses.IN_LIVE, measure("template", "pipcone").put("shape", "cone"));
        assertThat(quin.socket
                        .await(frame -> frame.encode().contains("pipcone"))
                        .getJsonObject("body")
                        .getString("shape"))
                .isEqualTo("cone");
        // The GM's page says whether a measurement is clear of the fog; unshared, it reaches GMs only.
        gm.ok(Addresses.IN_LIVE, measure("template", "secretcircle").put("shape", "circle"));
        gm.ok(Addresses.IN_LIVE, measure("ruler", "openruler").put("shared", true));
        quin.socket.await(frame -> frame.encode().contains("openruler"));
        assertThat(quin.socket.seen()).noneMatch(frame -> frame.encode().contains("secretcircle"));
        for (JsonObject bad : List.of(
                measure("ruler", "x").putNull("x2"),
                measure("ruler", "x").put("y2", "far"),
                measure("ruler", "x").put("x2", 1e308),
                measure("template", "x").put("shape", "star"),
                measure("template", "x"))) {
            assertThat(pip.command(Addresses.IN_LIVE, bad).getString("code"))
                    .as(bad.encode())
                    .isEqualTo("BAD_REQUEST");
        }
        assertThat(gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq"))
                .as("nothing stored")
                .isEqualTo(seq);
    }

    /** A fog polygon in scene pixels: points are [x, y] pairs. */
    static JsonObject polygon(JsonArray points) {
        return new JsonObject().put("kind", "polygon").put("points", points);
    }

    /** A fog rectangle in scene pixels. */
    static JsonObject rect(double x, double y, double w, double h) {
        return new JsonObject()
                .put("kind", "rect")
                .put("x", x)
                .put("y", y)
                .put("w", w)
                .put("h", h);
    }
}
