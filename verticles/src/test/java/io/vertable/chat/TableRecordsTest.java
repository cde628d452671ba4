package io.vertable.chat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits behind the table's chat tools, sheets and dice settings, through the real bridge: what the pages send
 * is checked again on the server, and bad input gets its catalog code.
 */
class TableRecordsTest {

    static Node node;
    static Rest rest;

    Table table;
    Player gm;
    Player pip;
    Player quin;
    String pipToken;

    @BeforeAll
    static void start() {
        JsonObject overrides = TestNodes.standalone(
                "records-node",
                "http:1,bridge:1,persistence:1,map:1,dice:1,chat:1",
                TestStorage.freshDatabase("records"));
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    @BeforeEach
    void seat() {
        table = Table.create(rest, "Records");
        JsonObject pipSession = table.join("Pip", "PLAYER");
        pipToken = pipSession.getString("token");
        JsonObject quinSession = table.join("Quin", "PLAYER");
        gm = Player.gm(node, table);
        pip = Player.member(node, table, pipSession);
        quin = Player.member(node, table, quinSession);
        gm.join();
        pip.join();
        quin.join();
    }

    @AfterEach
    void leave() {
        gm.close();
        pip.close();
        quin.close();
    }

    JsonObject send(Player who, String text, Object whisperTo) {
        return who.command(
                "vtt.in.chat",
                new JsonObject().put("op", "send").put("text", text).put("whisperTo", whisperTo));
    }

    // ---- whispers picked by id ----

    @Test
    void aPickedWhisperGoesToExactlyThoseIdsAndBadListsAreRefused() {
        long seq = send(pip, "only for you", new JsonArray().add(quin.userId)).getLong("seq");
        JsonObject received = quin.awaitPrivate(seq);
        assertThat(received.getJsonObject("data").getString("kind")).isEqualTo("whisper");
        assertThat(received.getJsonObject("data")
                        .getJsonArray("to")
                        .getJsonObject(0)
                        .getString("name"))
                .isEqualTo("Quin");
        long gmSeq = send(pip, "for the GM", new JsonArray().add("gm")).getLong("seq");
        assertThat(gm.awaitSeq(gmSeq).getJsonObject("data").getString("text")).isEqualTo("for the GM");
        quin.awaitSeq(gmSeq);
        assertThat(quin.everythingReceived()).doesNotContain("for the GM");
        assertThat(gm.everythingReceived()).doesNotContain("only for you");

        assertThat(send(pip, "x", "quin").getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(send(pip, "x", new JsonArray()).getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(send(pip, "x", new JsonArray().add(42)).getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(send(pip, "x", new JsonArray().add("not an id!")).getString("code"))
                .isEqualTo("BAD_REQUEST");
        JsonArray many = new JsonArray();
        for (int i = 0; i < 51; i++) many.add(quin.userId);
        assertThat(send(pip, "x", many).getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(send(pip, "x", new JsonArray().add("AAAAAAAAAAAAAAAA")).getString("code"))
                .isEqualTo("WHISPER_NO_RECIPIENT");
        assertThat(send(pip, "/r 1d20", new JsonArray().add(quin.userId)).getString("code"))
                .isEqualTo("BAD_REQUEST");
    }

    @Test
    void aLineWithInlineRollsCannotBeEditedButPlainWordsCan() {
        long rolled = pip.chat("I hit [[1d20+4]]").getLong("seq");
        String rolledId = pip.awaitSeq(rolled).getJsonObject("data").getString("id");
        JsonObject refused = pip.command(
                "vtt.in.chat",
                new JsonObject().put("op", "edit").put("messageId", rolledId).put("text", "I hit [[1d20+40]]"));
        assertThat(refused.getString("code")).isEqualTo("BAD_REQUEST");

        long said = pip.chat("hello").getLong("seq");
        String saidId = pip.awaitSeq(said).getJsonObject("data").getString("id");
        pip.ok(
                "vtt.in.chat",
                new JsonObject().put("op", "edit").put("messageId", saidId).put("text", "hello all"));
        assertThat(quin.command(
                                "vtt.in.chat",
                                new JsonObject()
                                        .put("op", "edit")
                                        .put("messageId", saidId)
                                        .put("text", "mine now"))
                        .getString("code"))
                .isEqualTo("MESSAGE_NOT_OWNED");
    }

    // ---- character sheets ----

    JsonObject dice(Player who, String op, JsonObject body) {
        return who.command("vtt.in.dice", body.copy().put("op", op));
    }

    @Test
    void npcSheetsStayWithTheGmAndSheetsAreBounded() {
        JsonObject npc = dice(
                gm,
                "character.create",
                new JsonObject()
                        .put("name", "Hidden Hag")
                        .putNull("ownerId")
                        .put("attributes", new JsonObject().put("curse", 7)));
        assertThat(npc.getString("ownerId")).isNull();
        JsonObject mine = dice(
                pip, "character.create", new JsonObject().put("name", "Pipkin").put("notes", "brave"));
        assertThat(mine.getString("notes")).isEqualTo("brave");

        assertThat(dice(pip, "character.list", new JsonObject())
                        .getJsonArray("characters")
                        .encode())
                .doesNotContain("Hidden Hag")
                .contains("Pipkin");
        assertThat(dice(pip, "character.get", new JsonObject().put("id", npc.getString("id")))
                        .getString("code"))
                .isEqualTo("CHARACTER_NOT_OWNED");
        assertThat(dice(
                                pip,
                                "character.update",
                                new JsonObject().put("id", npc.getString("id")).put("notes", "x"))
                        .getString("code"))
                .isEqualTo("CHARACTER_NOT_OWNED");
        assertThat(gm.everythingReceived()).contains("Hidden Hag");
        assertThat(pip.everythingReceived()).doesNotContain("Hidden Hag").doesNotContain("curse");
        assertThat(quin.everythingReceived()).doesNotContain("Hidden Hag");
        assertThat(dice(
                                pip,
                                "roll",
                                new JsonObject()
                                        .put("expression", "1d20+@curse")
                                        .put("character", npc.getString("id")))
                        .getString("code"))
                .isEqualTo("NOT_FOUND");
        // A player cannot roll with the NPC's numbers, by name or by id.
        assertThat(dice(
                                pip,
                                "roll",
                                new JsonObject()
                                        .put("expression", "1d20+@curse")
                                        .put("character", "Hidden Hag"))
                        .getString("code"))
                .isEqualTo("NOT_FOUND");

        // Speaking as a character: one's own, named by its sheet; never someone else's.
        long said = pip.ok(
                        "vtt.in.chat",
                        new JsonObject().put("op", "send").put("text", "onward").put("character", mine.getString("id")))
                .getLong("seq");
        assertThat(quin.awaitSeq(said).getJsonObject("data").getString("character"))
                .isEqualTo("Pipkin");
        assertThat(pip.command(
                                "vtt.in.chat",
                                new JsonObject()
                                        .put("op", "send")
                                        .put("text", "I am the hag")
                                        .put("character", npc.getString("id")))
                        .getString("code"))
                .isEqualTo("NOT_FOUND");

        String id = mine.getString("id");
        JsonObject many = new JsonObject();
        for (int i = 0; i < 10_000; i++) many.put("a" + i, i);
        assertThat(dice(pip, "character.update", new JsonObject().put("id", id).put("attributes", many))
                        .getString("code"))
                .isEqualTo("PAYLOAD_TOO_LARGE");
        JsonObject count = new JsonObject();
        for (int i = 0; i < 201; i++) count.put("a" + i, 1);
        assertThat(dice(pip, "character.update", new JsonObject().put("id", id).put("attributes", count))
                        .getString("code"))
                .isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(dice(
                                pip,
                                "character.update",
                                new JsonObject()
                                        .put("id", id)
                                        .put("attributes", new JsonObject().put("big", "x".repeat(40_000))))
                        .getString("code"))
                .isIn("PAYLOAD_TOO_LARGE");
        assertThat(dice(pip, "character.update", new JsonObject().put("id", id).put("notes", "x".repeat(10_001)))
                        .getString("code"))
                .isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(dice(pip, "character.update", new JsonObject().put("id", id).put("notes", "bell\u0007"))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(dice(
                                pip,
                                "character.update",
                                new JsonObject().put("id", id).put("attributes", new JsonObject().put("", 1)))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        // A value naming another attribute is text, not a reference: nothing recurses.
        dice(
                pip,
                "character.update",
                new JsonObject().put("id", id).put("attributes", new JsonObject().put("a", "@a")));
        assertThat(dice(pip, "roll", new JsonObject().put("expression", "1d20+@a"))
                        .getString("code"))
                .isEqualTo("DICE_UNKNOWN_VARIABLE");
    }

    @Test
    void aSheetHasAPortraitAndATokenOpensItsSheetWhileAnNpcSheetStaysTheGms() {
        JsonObject mine = dice(
                pip, "character.create", new JsonObject().put("name", "Pipkin").put("portrait", "img-pip"));
        assertThat(mine.getString("portrait")).isEqualTo("img-pip");
        String mineId = mine.getString("id");
        assertThat(dice(
                                pip,
                                "character.update",
                                new JsonObject().put("id", mineId).put("notes", "still me"))
                        .getString("portrait"))
                .as("a change that names no portrait keeps it")
                .isEqualTo("img-pip");
        assertThat(dice(
                                pip,
                                "character.update",
                                new JsonObject().put("id", mineId).put("portrait", "../etc"))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(dice(
                                pip,
                                "character.update",
                                new JsonObject().put("id", mineId).put("portrait", 42))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(dice(
                                pip,
                                "character.update",
                                new JsonObject().put("id", mineId).putNull("portrait"))
                        .getValue("portrait"))
                .isNull();
        JsonObject npc = dice(
                gm,
                "character.create",
                new JsonObject()
                        .put("name", "Fen Witch")
                        .putNull("ownerId")
                        .put("portrait", "img-witch")
                        .put("attributes", new JsonObject().put("hexcraft", 11)));

        String scene = gm.awaitSeq(gm.map("scene.create", new JsonObject().put("name", "Fen"))
                        .getLong("seq"))
                .getJsonObject("data")
                .getString("sceneId");
        gm.map("scene.activate", new JsonObject().put("sceneId", scene));
        long witchSeq = gm.map(
                        "token.create",
                        new JsonObject()
                                .put("sceneId", scene)
                                .put("name", "Old woman")
                                .put("x", 50)
                                .put("y", 50)
                                .put("sheetId", npc.getString("id")))
                .getLong("seq");
        long pipSeq = gm.map(
                        "token.create",
                        new JsonObject()
                                .put("sceneId", scene)
                                .put("name", "Pipkin")
                                .put("x", 150)
                                .put("y", 50)
                                .put("owners", new JsonArray().add(pip.userId)))
                .getLong("seq");
        String pipToken = gm.awaitSeq(pipSeq).getJsonObject("data").getString("tokenId");
        assertThat(pip.map(
                                "token.update",
                                new JsonObject().put("tokenId", pipToken).put("sheetId", "no good!"))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        long linked = pip.map(
                        "token.update",
                        new JsonObject().put("tokenId", pipToken).put("sheetId", mineId))
                .getLong("seq");
        JsonObject view =
                pip.ok("vtt.in.room", new JsonObject().put("op", "join")).getJsonObject("view");
        assertThat(view.getJsonObject("tokens").getJsonObject(pipToken).getString("sheetId"))
                .isEqualTo(mineId);
        pip.awaitSeq(Math.max(witchSeq, linked));

        // The witch's token is in plain sight, but her sheet is not: not by id, not in any frame.
        assertThat(dice(pip, "character.get", new JsonObject().put("id", npc.getString("id")))
                        .getString("code"))
                .isEqualTo("CHARACTER_NOT_OWNED");
        assertThat(pip.everythingReceived()).doesNotContain("Fen Witch", "hexcraft", "img-witch", npc.getString("id"));
        assertThat(dice(gm, "character.get", new JsonObject().put("id", npc.getString("id")))
                        .getString("portrait"))
                .isEqualTo("img-witch");
    }

    // ---- handouts ----

    @Test
    void aHandoutsPictureIsAnAssetIdAndOnlyTheGmWritesNotes() {
        JsonObject note =
                new JsonObject().put("op", "note.create").put("title", "Map").put("gmOnly", false);
        assertThat(gm.command("vtt.in.map", note.copy().put("image", "x".repeat(65)))
                        .getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(gm.command("vtt.in.map", note.copy().put("image", 42)).getString("code"))
                .isEqualTo("BAD_REQUEST");
        assertThat(pip.command("vtt.in.map", note.copy().put("image", "abc")).getString("code"))
                .isEqualTo("GM_ONLY");
        long seq = gm.ok("vtt.in.map", note.copy().put("image", "abc")).getLong("seq");
        JsonObject seen = pip.awaitSeq(seq);
        assertThat(seen.getJsonObject("patch")
                        .getJsonObject("upsert")
                        .getJsonArray("notes")
                        .getJsonObject(0)
                        .getString("image"))
                .isEqualTo("abc");
    }
    /** The handouts this player's own stream last brought (the whole set is sent on each change), waiting for one. */
    static JsonObject awaitHandouts(Player who, java.util.function.Predicate<JsonObject> test) {
        java.util.function.Predicate<JsonObject> matches = frame -> "rec".equals(frame.getString("type"))
                && ("vtt.user." + who.userId).equals(frame.getString("address"))
                && frame.getValue("body") instanceof JsonObject body
                && "secrets".equals(body.getString("type"))
                && test.test(body.getJsonObject("notes"));
        java.util.List<JsonObject> seen = who.socket.seen();
        for (int i = seen.size() - 1; i >= 0; i--)
            if (matches.test(seen.get(i)))
                return seen.get(i).getJsonObject("body").getJsonObject("notes");
        return who.socket
                .await(matches, java.time.Duration.ofSeconds(30))
                .getJsonObject("body")
                .getJsonObject("notes");
    }

    @Test
    void aHandoutShownToOneMemberReachesOnlyThatMemberAndMoreCanBeShownLater() {
        long created = gm.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "note.create")
                                .put("title", "Sealed letter")
                                .put("body", "meet me at the mill")
                                .put("gmOnly", false)
                                .put("shownTo", new JsonArray().add(pip.userId)))
                .getLong("seq");
        String noteId = gm.awaitSeq(created).getJsonObject("data").getString("noteId");
        assertThat(awaitHandouts(pip, notes -> notes.containsKey(noteId))
                        .getJsonObject(noteId)
                        .getString("body"))
                .isEqualTo("meet me at the mill");
        // A later handout for everyone reaches Quin after the letter would have: the letter never did.
        long later = gm.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "note.create")
                                .put("title", "Map")
                                .put("gmOnly", false))
                .getLong("seq");
        quin.awaitSeq(later);
        JsonObject quinJoin = quin.ok("vtt.in.room", new JsonObject().put("op", "join"));
        JsonObject quinSync =
                quin.ok("vtt.in.room", new JsonObject().put("op", "sync").put("since", 0));
        for (String seen : java.util.List.of(quin.everythingReceived(), quinJoin.encode(), quinSync.encode()))
            assertThat(seen).doesNotContain(noteId, "Sealed letter", "the mill");
        assertThat(pip.ok("vtt.in.room", new JsonObject().put("op", "join"))
                        .getJsonObject("handouts")
                        .getJsonObject(noteId)
                        .getString("title"))
                .as("a rejoining reader gets it again")
                .isEqualTo("Sealed letter");

        gm.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "note.update")
                        .put("noteId", noteId)
                        .put("shownTo", new JsonArray().add(pip.userId).add(quin.userId)));
        JsonObject shownToQuin =
                awaitHandouts(quin, notes -> notes.containsKey(noteId)).getJsonObject(noteId);
        assertThat(shownToQuin.getString("body")).isEqualTo("meet me at the mill");
        assertThat(shownToQuin.containsKey("shownTo"))
                .as("nobody learns who else reads it")
                .isFalse();

        gm.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "note.update")
                        .put("noteId", noteId)
                        .put("shownTo", new JsonArray().add(pip.userId)));
        assertThat(awaitHandouts(quin, notes -> !notes.containsKey(noteId))).isEmpty();

        assertThat(gm.map(
                                "note.update",
                                new JsonObject()
                                        .put("noteId", noteId)
                                        .put("shownTo", new JsonArray().add("nobody-here")))
                        .getString("code"))
                .isEqualTo("RECIPIENT_NOT_A_MEMBER");
        assertThat(pip.map(
                                "note.update",
                                new JsonObject().put("noteId", noteId).put("shownTo", new JsonArray().add(quin.userId)))
                        .getString("code"))
                .isEqualTo("GM_ONLY");
    }

    @Test
    void aKickedPlayersNewSocketHearsNothingMoreOfTheRoomOnTheirOwnStream() {
        long created = gm.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "note.create")
                                .put("title", "Orders")
                                .put("body", "hold the bridge")
                                .put("gmOnly", false)
                                .put("shownTo", new JsonArray().add(pip.userId)))
                .getLong("seq");
        String noteId = gm.awaitSeq(created).getJsonObject("data").getString("noteId");
        awaitHandouts(pip, notes -> notes.containsKey(noteId));

        assertThat(rest.delete("/api/rooms/" + table.roomId() + "/members/" + pip.userId, table.gmToken())
                        .status())
                .isEqualTo(200);
        assertThat(pip.socket.awaitClosed(java.time.Duration.ofSeconds(30))).isTrue();
        // Their token still works; a new socket may listen to their own stream, and the room refuses them.
        try (BridgeClient again = BridgeClient.open(node.vertx(), node.bridgePort(), pipToken)) {
            again.register(Addresses.user(pip.userId));
            String replyTo = again.request(
                    Addresses.IN_ROOM, new JsonObject().put("op", "join").put("room", table.roomId()));
            JsonObject refusal = again.await(frame -> replyTo.equals(frame.getString("address")));
            assertThat(BridgeClient.errorBody(refusal).getString("code")).isEqualTo("NOT_A_MEMBER");

            // The handout changes: the room's owner still names Pip as a reader.
            gm.ok(
                    "vtt.in.map",
                    new JsonObject()
                            .put("op", "note.update")
                            .put("noteId", noteId)
                            .put("body", "burn the bridge"));
            // Published after the owner's (which went out before its answer): it arrives after anything of the room.
            node.vertx().eventBus().publish(Addresses.user(pip.userId), new JsonObject().put("type", "marker"));
            again.await(frame ->
                    frame.getValue("body") instanceof JsonObject body && "marker".equals(body.getString("type")));
            assertThat(again.seen().toString()).doesNotContain("burn the bridge", "hold the bridge", noteId);
        }
    }
}
