package io.vertable.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.dice.IndependentVerifier;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chat and dice through the real bridge, services and database: a GM and two players, Pip and Quin, in one room. The
 * secrecy checks search everything a socket received, not just the frames a client would show.
 */
class ChatAndDiceTest {

    static PgUrl database;
    static Node node;
    static Rest rest;

    Table table;
    Player gm;
    Player pip;
    Player quin;
    String pipToken;
    String quinToken;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("chat-dice");
        JsonObject overrides =
                TestNodes.standalone("chat-node", "http:1,bridge:1,persistence:1,map:1,dice:1,chat:1", database);
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
        table = Table.create(rest, "Tavern");
        JsonObject pipSession = table.join("Pip", "PLAYER");
        JsonObject quinSession = table.join("Quin", "PLAYER");
        pipToken = pipSession.getString("token");
        quinToken = quinSession.getString("token");
        gm = Player.gm(node, table);
        pip = new Player(node.vertx(), node.bridgePort(), pipToken, Table.userId(pipSession), table.roomId(), false);
        quin = new Player(node.vertx(), node.bridgePort(), quinToken, Table.userId(quinSession), table.roomId(), false);
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

    // ---- saying things ----

    @Test
    void aSayingReachesEveryoneAsTextNeverMarkup() {
        String text = "<img src=x onerror=alert(1)> & <b>bold</b>";
        long seq = pip.chat(text).getLong("seq");
        for (Player player : List.of(gm, pip, quin)) {
            JsonObject event = player.awaitSeq(seq);
            assertThat(event.getString("type")).isEqualTo("chat.message");
            assertThat(event.getJsonObject("data").getString("text")).isEqualTo(text);
            assertThat(event.getJsonObject("data").getString("kind")).isEqualTo("say");
            assertThat(event.getJsonObject("data").getString("name")).isEqualTo("Pip");
        }
        JsonArray history = rest.get(chatPath(""), quinToken).body().getJsonArray("messages");
        assertThat(history.getJsonObject(0).getJsonObject("data").getString("text"))
                .isEqualTo(text);
    }

    @Test
    void emotesOocAndGmNarration() {
        assertThat(kindOf(pip, pip.chat("/me draws a sword"))).isEqualTo("emote");
        assertThat(kindOf(pip, pip.chat("/ooc brb, pizza"))).isEqualTo("ooc");
        assertThat(kindOf(gm, gm.chat("/desc The torches gutter."))).isEqualTo("desc");
        JsonObject spoken = gm.chat("/as \"Old Tom\" Welcome, travellers!");
        JsonObject event = quin.awaitSeq(spoken.getLong("seq"));
        assertThat(event.getJsonObject("data").getString("speaker")).isEqualTo("Old Tom");
        assertThat(event.getJsonObject("data").getString("text")).isEqualTo("Welcome, travellers!");
        assertThat(pip.chat("/desc I narrate").getString("code")).isEqualTo("GM_ONLY");
        assertThat(pip.chat("/as \"King\" Kneel").getString("code")).isEqualTo("GM_ONLY");
        assertThat(pip.chat("/frobnicate").getString("code")).isEqualTo("BAD_REQUEST");
    }

    // ---- whispers ----

    @Test
    void aWhisperReachesOnlyItsRecipientAndItsSender() {
        long seq = pip.chat("/w Quin the password is swordfish").getLong("seq");
        JsonObject received = quin.awaitPrivate(seq);
        assertThat(received.getJsonObject("data").getString("text")).isEqualTo("the password is swordfish");
        assertThat(received.getJsonObject("data")
                        .getJsonArray("to")
                        .getJsonObject(0)
                        .getString("name"))
                .isEqualTo("Quin");
        assertThat(pip.awaitPrivate(seq).getJsonObject("data").getString("text"))
                .contains("swordfish");
        // Everyone else's streams carry a stub for that seq, so nobody sees a gap.
        assertThat(gm.awaitSeq(seq).getString("type")).isEqualTo("redacted");
        assertThat(quin.awaitSeq(seq).getString("type")).isEqualTo("redacted");
        // A later public message arrives after it, so everything about the whisper has been delivered by now.
        long after = quin.chat("ok").getLong("seq");
        gm.awaitSeq(after);
        assertThat(gm.everythingReceived()).doesNotContain("swordfish");

        assertThat(historyTexts(quinToken)).contains("the password is swordfish");
        assertThat(historyTexts(table.gmToken())).doesNotContain("the password is swordfish");
        assertThat(searchTexts(table.gmToken(), "swordfish")).isEmpty();
        assertThat(searchTexts(quinToken, "swordfish")).containsExactly("the password is swordfish");
        assertThat(searchTexts(pipToken, "swordfish")).containsExactly("the password is swordfish");
    }

    @Test
    void whispersToSeveralAndToTheGm() {
        long seq = pip.chat("/w [Quin, gm] meet at the docks").getLong("seq");
        assertThat(quin.awaitPrivate(seq).getJsonObject("data").getString("text"))
                .isEqualTo("meet at the docks");
        assertThat(gm.awaitSeq(seq).getJsonObject("data").getString("text")).isEqualTo("meet at the docks");

        long toGm = quin.chat("/w gm I pocket the ruby").getLong("seq");
        assertThat(gm.awaitSeq(toGm).getJsonObject("data").getString("text")).isEqualTo("I pocket the ruby");
        long after = gm.chat("noted").getLong("seq");
        pip.awaitSeq(after);
        assertThat(pip.everythingReceived()).doesNotContain("ruby");
        assertThat(searchTexts(pipToken, "ruby")).isEmpty();
        assertThat(searchTexts(table.gmToken(), "ruby")).containsExactly("I pocket the ruby");
    }

    @Test
    void aWhisperToNobodyIsRefusedAndNothingIsPosted() {
        long before = gm.join().getLong("seq");
        JsonObject refused = pip.chat("/w Zed psst");
        assertThat(refused.getString("code")).isEqualTo("WHISPER_NO_RECIPIENT");
        assertThat(refused.getString("message")).contains("Zed");
        assertThat(pip.chat("/w").getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(pip.chat("/w Quin").getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(gm.join().getLong("seq")).isEqualTo(before);
    }

    @Test
    void aGuestCannotJoinUnderAMembersNameOrOneThatLooksLikeIt() {
        for (String lookalike : List.of("Quin", "QUIN", " quin ", "Qu\u0456n" /* Cyrillic i */, "Ｑｕｉｎ")) {
            Rest.Reply refused = acceptAsGuest(lookalike);
            assertThat(refused.status()).as(lookalike).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("DISPLAY_NAME_TAKEN");
            assertThat(refused.body().getString("detail")).contains("\"Quin\"");
        }
        for (String hidden : List.of("Qu\u200Bin", "Quin\u202E", "\u2066Quin\u2069", "Qu\u00ADin")) {
            Rest.Reply refused = acceptAsGuest(hidden);
            assertThat(refused.status()).as(hidden).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("DISPLAY_NAME_INVALID");
        }
        // Refusals made no account and no member: the room still has its GM and two players.
        JsonArray members = rest.get("/api/rooms/" + table.roomId() + "/members", table.gmToken())
                .body()
                .getJsonArray("members");
        assertThat(members).hasSize(3);
        assertThat(acceptAsGuest("Quinn").status()).isEqualTo(200);
    }

    @Test
    void aWhisperToANameTwoMembersShareReachesNeither() {
        // A registered account may keep its own name in a room where a guest already uses it (or one like it).
        Rest.Reply registered = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", "other-quin-" + table.roomId().substring(0, 6))
                        .put("password", "a long enough secret")
                        .put("displayName", "quin"));
        assertThat(registered.status()).as(registered.body().encode()).isEqualTo(201);
        String code = rest.post("/api/rooms/" + table.roomId() + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        assertThat(rest.post(
                                "/api/invites/" + code + "/accept",
                                registered.body().getString("token"),
                                new JsonObject())
                        .status())
                .isEqualTo(200);
        long before = gm.join().getLong("seq");
        JsonObject refused = pip.chat("/w Quin meet me at the docks");
        assertThat(refused.getString("code")).isEqualTo("WHISPER_AMBIGUOUS");
        assertThat(refused.getString("message")).contains("2 members");
        assertThat(gm.join().getLong("seq")).as("nothing was posted").isEqualTo(before);
        long after = pip.chat("anyone?").getLong("seq");
        quin.awaitSeq(after);
        assertThat(quin.everythingReceived()).doesNotContain("docks");
    }

    private Rest.Reply acceptAsGuest(String displayName) {
        String code = rest.post("/api/rooms/" + table.roomId() + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        return rest.post("/api/invites/" + code + "/accept", null, new JsonObject().put("displayName", displayName));
    }

    // ---- rolls and their audiences ----

    @Test
    void aPublicRollShowsEveryDie() {
        JsonObject sent = pip.command(
                Addresses.IN_DICE,
                new JsonObject().put("op", "roll").put("expression", "4d6").put("flavor", "stats"));
        JsonObject event = quin.awaitSeq(sent.getLong("seq"));
        JsonObject roll = event.getJsonObject("data").getJsonArray("rolls").getJsonObject(0);
        assertThat(event.getJsonObject("data").getString("flavor")).isEqualTo("stats");
        assertThat(roll.getString("expression")).isEqualTo("4d6");
        int sum = 0;
        JsonArray draws = roll.getJsonArray("draws");
        assertThat(draws).hasSize(4);
        for (Object draw : draws) sum += ((JsonArray) draw).getInteger(1);
        assertThat(roll.getNumber("total").intValue()).isEqualTo(sum);
    }

    @Test
    void aBlindRollReachesOnlyTheGmAndTheRollerLearnsNoResult() {
        long seq = pip.chat("/br 1d20+7 # sneak past the guard").getLong("seq");
        JsonObject atGm = gm.awaitSeq(seq);
        JsonObject roll = atGm.getJsonObject("data").getJsonArray("rolls").getJsonObject(0);
        assertThat(roll.containsKey("total")).isTrue();
        JsonObject teaser = pip.awaitPrivate(seq);
        assertThat(teaser.getJsonObject("data").getBoolean("hidden")).isTrue();
        assertThat(teaser.getJsonObject("data").getString("flavor")).isEqualTo("sneak past the guard");
        assertThat(teaser.getJsonObject("data")
                        .getJsonArray("rolls")
                        .getJsonObject(0)
                        .fieldNames())
                .containsExactlyInAnyOrder("expression", "hidden");
        assertThat(quin.awaitSeq(seq).getString("type")).isEqualTo("redacted");
        long after = gm.chat("roll noted").getLong("seq");
        pip.awaitSeq(after);
        quin.awaitSeq(after);
        // The dice breakdown carries "draws" and "total"; neither may reach a player's socket for this roll.
        assertThat(framesAbout(pip, seq))
                .noneMatch(frame -> frame.contains("\"draws\"") || frame.contains("\"total\""));
        assertThat(framesAbout(quin, seq)).noneMatch(frame -> frame.contains("sneak"));
        // History follows the same rule.
        JsonObject mine = rest.get(chatPath(""), pipToken).body().getJsonArray("messages").stream()
                .map(m -> (JsonObject) m)
                .filter(m -> m.getLong("seq") == seq)
                .findFirst()
                .orElseThrow();
        assertThat(mine.encode()).doesNotContain("\"total\"");
        assertThat(rest.get(chatPath(""), quinToken).body().encode()).doesNotContain("sneak");
    }

    @Test
    void gmAndSelfRollsReachTheirAudiences() {
        long gmRoll = pip.chat("/gmroll 1d8").getLong("seq");
        assertThat(pip.awaitPrivate(gmRoll)
                        .getJsonObject("data")
                        .getJsonArray("rolls")
                        .getJsonObject(0)
                        .containsKey("total"))
                .isTrue();
        assertThat(gm.awaitSeq(gmRoll).getString("type")).isEqualTo("chat.message");
        assertThat(quin.awaitSeq(gmRoll).getString("type")).isEqualTo("redacted");

        long selfRoll = pip.chat("/sr 1d12").getLong("seq");
        assertThat(pip.awaitPrivate(selfRoll).getString("type")).isEqualTo("chat.message");
        assertThat(gm.awaitSeq(selfRoll).getString("type")).isEqualTo("redacted");
        assertThat(quin.awaitSeq(selfRoll).getString("type")).isEqualTo("redacted");
    }

    @Test
    void inlineRollsAreRolledInsideTheText() {
        long seq = pip.chat("I swing [[1d20+5]] and deal [[2d6]] damage").getLong("seq");
        JsonObject data = quin.awaitSeq(seq).getJsonObject("data");
        assertThat(data.getString("text")).isEqualTo("I swing [[1d20+5]] and deal [[2d6]] damage");
        assertThat(data.getBoolean("inline")).isTrue();
        assertThat(data.getJsonArray("rolls")).hasSize(2);
        assertThat(data.getJsonArray("rolls").getJsonObject(1).getString("expression"))
                .isEqualTo("2d6");
    }

    @Test
    void badDiceAreRefusedWithTheirCodeAndPosition() {
        JsonObject noFaces = pip.chat("/r 1d0");
        assertThat(noFaces.getString("code")).isEqualTo("DICE_INVALID");
        JsonObject syntax = pip.chat("/r 2d6+");
        assertThat(syntax.getString("code")).isEqualTo("DICE_SYNTAX");
        assertThat(syntax.getString("message")).containsPattern("\\d");
        JsonObject tooLong = pip.command(
                Addresses.IN_DICE, new JsonObject().put("op", "roll").put("expression", "1+".repeat(300) + "1"));
        assertThat(tooLong.getString("code")).isEqualTo("DICE_LIMIT");
        JsonObject badMode = pip.command(
                Addresses.IN_DICE,
                new JsonObject().put("op", "roll").put("expression", "1d6").put("mode", "loud"));
        assertThat(badMode.getString("code")).isEqualTo("BAD_REQUEST");
        // Nothing was posted by any of it: the room still ends where it did.
        assertThat(pip.chat("still here").getLong("seq")).isEqualTo(1L);
    }

    // ---- bad text ----

    @Test
    void oversizedAndControlCharacterTextIsRefused() {
        JsonObject tooLong = pip.chat("a".repeat(5_000));
        assertThat(tooLong.getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
        JsonObject control = pip.chat("hello\u0007bell");
        assertThat(control.getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(control.getString("message")).contains("position 5");
        JsonObject bidi = pip.chat("invoice \u202Egnp.exe");
        assertThat(bidi.getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(pip.chat("line one\nline two\ttabbed").containsKey("seq")).isTrue();
    }

    @Test
    void aHundredKilobyteMessageIsRefusedAtTheBridge() {
        try (Player big = new Player(node.vertx(), node.bridgePort(), quinToken, quin.userId, table.roomId(), false)) {
            String replyAddress = big.socket.request(
                    Addresses.IN_CHAT,
                    new JsonObject()
                            .put("room", table.roomId())
                            .put("op", "send")
                            .put("text", "x".repeat(100 * 1024)));
            assertThat(replyAddress).isNotEmpty();
            assertThat(big.socket.awaitRefusal("PAYLOAD_TOO_LARGE")).isNotNull();
        }
        assertThat(pip.chat("the table is fine").getLong("seq")).isEqualTo(1L);
    }

    @Test
    void searchTakesWordsNotQuerySyntax() {
        pip.chat("the dragon sleeps under the mountain");
        assertThat(searchTexts(quinToken, "dragon mountain")).containsExactly("the dragon sleeps under the mountain");
        for (String hostile : List.of("dragon & !", "|| <-> :* ()", "'; DROP TABLE chat_messages; --", "\\", "!!!")) {
            Rest.Reply reply = rest.get(chatPath("/search?q=" + encode(hostile)), quinToken);
            assertThat(reply.status())
                    .as(hostile + " -> " + reply.body().encode())
                    .isEqualTo(200);
        }
        assertThat(rest.get(chatPath("/search?q="), quinToken).code()).isEqualTo("BAD_REQUEST");
        assertThat(searchTexts(quinToken, "dragon")).hasSize(1);
    }

    // ---- edits, deletes, paging ----

    @Test
    void authorsEditTheirWordsAndGmsDelete() {
        long seq = pip.chat("I attak the orc").getLong("seq");
        String messageId = quin.awaitSeq(seq).getJsonObject("data").getString("id");
        JsonObject edited = pip.command(
                Addresses.IN_CHAT,
                new JsonObject().put("op", "edit").put("messageId", messageId).put("text", "I attack the orc"));
        JsonObject edit = quin.awaitSeq(edited.getLong("seq"));
        assertThat(edit.getString("type")).isEqualTo("chat.edited");
        assertThat(edit.getJsonObject("data").getString("text")).isEqualTo("I attack the orc");
        assertThat(quin.command(
                                Addresses.IN_CHAT,
                                new JsonObject()
                                        .put("op", "edit")
                                        .put("messageId", messageId)
                                        .put("text", "mine now"))
                        .getString("code"))
                .isEqualTo("MESSAGE_NOT_OWNED");
        assertThat(quin.command(
                                Addresses.IN_CHAT,
                                new JsonObject().put("op", "delete").put("messageId", messageId))
                        .getString("code"))
                .isEqualTo("MESSAGE_NOT_OWNED");
        JsonObject history = rest.get(chatPath(""), quinToken)
                .body()
                .getJsonArray("messages")
                .getJsonObject(0);
        assertThat(history.getJsonObject("data").getString("text")).isEqualTo("I attack the orc");
        assertThat(history.getBoolean("edited")).isTrue();

        long deleted = gm.command(
                        Addresses.IN_CHAT, new JsonObject().put("op", "delete").put("messageId", messageId))
                .getLong("seq");
        assertThat(pip.awaitSeq(deleted).getString("type")).isEqualTo("chat.deleted");
        assertThat(historyTexts(quinToken)).isEmpty();
        // A whisper between others cannot even be found to be deleted by a player outside it.
        long whisper = pip.chat("/w gm secret plan").getLong("seq");
        String whisperId = gm.awaitSeq(whisper).getJsonObject("data").getString("id");
        assertThat(quin.command(
                                Addresses.IN_CHAT,
                                new JsonObject().put("op", "delete").put("messageId", whisperId))
                        .getString("code"))
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void historyPagesBackwards() {
        for (int i = 1; i <= 7; i++) pip.chat("line " + i);
        JsonObject first = rest.get(chatPath("?limit=3"), quinToken).body();
        assertThat(texts(first)).containsExactly("line 7", "line 6", "line 5");
        assertThat(first.getBoolean("more")).isTrue();
        long oldest = first.getJsonArray("messages").getJsonObject(2).getLong("seq");
        JsonObject second =
                rest.get(chatPath("?limit=3&before=" + oldest), quinToken).body();
        assertThat(texts(second)).containsExactly("line 4", "line 3", "line 2");
        JsonObject over = quin.command(
                Addresses.IN_CHAT,
                new JsonObject()
                        .put("op", "history")
                        .put(
                                "before",
                                second.getJsonArray("messages").getJsonObject(2).getLong("seq")));
        assertThat(texts(over)).containsExactly("line 1");
        assertThat(over.getBoolean("more")).isFalse();
        assertThat(rest.get(chatPath("?limit=abc"), quinToken).code()).isEqualTo("BAD_REQUEST");
        JsonObject stranger = Table.create(rest, "Elsewhere").join("Stranger", "PLAYER");
        assertThat(rest.get(chatPath(""), stranger.getString("token")).code()).isEqualTo("NOT_A_MEMBER");
    }

    @Test
    void syncGivesEachMemberTheirOwnForm() {
        long seq = pip.chat("/w Quin under the floorboards").getLong("seq");
        quin.awaitPrivate(seq);
        JsonObject quinSync =
                quin.ok(Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", seq - 1));
        assertThat(quinSync.getJsonArray("events")
                        .getJsonObject(0)
                        .getJsonObject("data")
                        .getString("text"))
                .isEqualTo("under the floorboards");
        JsonObject gmSync =
                gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", seq - 1));
        assertThat(gmSync.getJsonArray("events").getJsonObject(0).getString("type"))
                .isEqualTo("redacted");
        assertThat(gmSync.encode()).doesNotContain("floorboards");
    }

    // ---- verifiable rolls ----

    @Test
    void aRevealedSeedLetsAnyoneRecomputeThePeriodsRolls() throws Exception {
        String commitment = pip.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                .getJsonObject("dice")
                .getString("commitment");
        List<JsonObject> rolls = new java.util.ArrayList<>();
        long first = pip.command(
                        Addresses.IN_DICE,
                        new JsonObject()
                                .put("op", "roll")
                                .put("expression", "3d6+2")
                                .put("clientSeed", "pip-lucky"))
                .getLong("seq");
        long second = pip.chat("/r 2d20kh1 + 1d4").getLong("seq");
        long third = pip.chat("I strike [[1d8+3]] twice [[1d8+3]]").getLong("seq");
        long blind = pip.chat("/br 4d100").getLong("seq");
        for (long seq : new long[] {first, second, third, blind}) {
            gm.awaitSeq(seq).getJsonObject("data").getJsonArray("rolls").forEach(r -> rolls.add((JsonObject) r));
        }
        assertThat(rolls).hasSize(5);
        assertThat(rolls)
                .allMatch(r -> r.getJsonObject("verify").getString("commitment").equals(commitment));
        assertThat(rolls.stream().map(r -> r.getJsonObject("verify").getLong("nonce")))
                .containsExactly(0L, 1L, 2L, 3L, 4L);

        assertThat(pip.command(Addresses.IN_ROOM, new JsonObject().put("op", "dice.seed.rotate"))
                        .getString("code"))
                .isEqualTo("GM_ONLY");
        long rotated = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "dice.seed.rotate"))
                .getLong("seq");
        // Players learn the revealed seed from their view patch, GMs from the event too.
        JsonObject revealed = quin.awaitSeq(rotated)
                .getJsonObject("patch")
                .getJsonObject("dice")
                .getJsonObject("revealed");
        assertThat(gm.awaitSeq(rotated).getJsonObject("data").getJsonObject("revealed"))
                .isEqualTo(revealed);
        assertThat(revealed.getLong("rolls")).isEqualTo(5L);
        assertThat(revealed.getString("commitment")).isEqualTo(commitment);
        String seedHex = revealed.getString("seed");

        for (JsonObject roll : rolls) {
            JsonObject verify = roll.getJsonObject("verify");
            IndependentVerifier verifier = new IndependentVerifier(seedHex, verify.getString("clientSeed"));
            assertThat(verifier.matchesCommitment(commitment)).isTrue();
            assertThat(verifier.problems(verify.getLong("nonce"), roll))
                    .as(roll.encode())
                    .isEmpty();
        }
        // The blind roll drew with a salt that only its audience (the GMs) sees: the seed revealed to everyone
        // does not give its dice away. Public rolls keep the roller's seed as it was.
        JsonObject blindRoll = rolls.get(4);
        assertThat(blindRoll.getJsonObject("verify").getString("clientSeed")).matches("#[0-9a-f]{32}");
        assertThat(new IndependentVerifier(seedHex, "").problems(4, blindRoll)).isNotEmpty();
        assertThat(rolls.get(0).getJsonObject("verify").getString("clientSeed")).isEqualTo("pip-lucky");
        // A tampered die is caught.
        JsonObject tampered = rolls.get(0).copy();
        JsonArray draw = tampered.getJsonArray("draws").getJsonArray(0);
        draw.set(1, draw.getInteger(1) % 6 + 1);
        assertThat(new IndependentVerifier(seedHex, "pip-lucky").problems(0, tampered))
                .isNotEmpty();

        // The next period is committed to before its first roll, and its rolls start again at nonce 0.
        JsonObject next =
                pip.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getJsonObject("dice");
        assertThat(next.getLong("period")).isEqualTo(2L);
        assertThat(next.getString("commitment")).isNotEqualTo(commitment);
        long after = pip.chat("/r 1d6").getLong("seq");
        JsonObject verify = quin.awaitSeq(after)
                .getJsonObject("data")
                .getJsonArray("rolls")
                .getJsonObject(0)
                .getJsonObject("verify");
        assertThat(verify.getLong("nonce")).isZero();
        assertThat(verify.getString("commitment")).isEqualTo(next.getString("commitment"));
    }

    // ---- characters and variables ----

    @Test
    void rollsReadTheRollersSheetFromTheServer() {
        Rest.Reply created = rest.post(
                charactersPath(""),
                pipToken,
                new JsonObject()
                        .put("name", "Pip the Bold")
                        .put(
                                "attributes",
                                new JsonObject()
                                        .put("str", 4)
                                        .put(
                                                "abilities",
                                                new JsonObject().put("dex", new JsonObject().put("mod", 3)))));
        assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
        String characterId = created.body().getString("id");

        long seq = pip.command(
                        Addresses.IN_DICE,
                        new JsonObject()
                                .put("op", "roll")
                                .put("expression", "1d20+@str")
                                // a client cannot smuggle in its own values
                                .put("variables", new JsonObject().put("str", 1000)))
                .getLong("seq");
        JsonObject roll =
                quin.awaitSeq(seq).getJsonObject("data").getJsonArray("rolls").getJsonObject(0);
        int die = roll.getJsonArray("draws").getJsonArray(0).getInteger(1);
        assertThat(roll.getNumber("total").intValue()).isEqualTo(die + 4);

        long dotted = pip.chat("/r 1d20 + @abilities.dex.mod").getLong("seq");
        JsonObject dex = quin.awaitSeq(dotted)
                .getJsonObject("data")
                .getJsonArray("rolls")
                .getJsonObject(0);
        assertThat(dex.getNumber("total").intValue())
                .isEqualTo(dex.getJsonArray("draws").getJsonArray(0).getInteger(1) + 3);

        JsonObject missing = pip.chat("/r 1d20+@wis");
        assertThat(missing.getString("code")).isEqualTo("DICE_UNKNOWN_VARIABLE");

        // Players edit their own sheet, not another's; GMs edit any.
        assertThat(rest.patch(charactersPath("/" + characterId), quinToken, new JsonObject().put("name", "Mine"))
                        .code())
                .isEqualTo("CHARACTER_NOT_OWNED");
        assertThat(rest.get(charactersPath("/" + characterId), quinToken).code())
                .isEqualTo("CHARACTER_NOT_OWNED");
        Rest.Reply byGm = rest.patch(
                charactersPath("/" + characterId),
                table.gmToken(),
                new JsonObject().put("attributes", new JsonObject().put("str", 5)));
        assertThat(byGm.status()).as(byGm.body().encode()).isEqualTo(200);
        assertThat(rest.get(charactersPath(""), quinToken).body().getJsonArray("characters"))
                .isEmpty();
        assertThat(rest.get(charactersPath(""), table.gmToken()).body().getJsonArray("characters"))
                .hasSize(1);

        // The same over the bridge.
        JsonObject listed = pip.command(Addresses.IN_DICE, new JsonObject().put("op", "character.list"));
        assertThat(listed.getJsonArray("characters")
                        .getJsonObject(0)
                        .getJsonObject("attributes")
                        .getInteger("str"))
                .isEqualTo(5);
        JsonObject bridged = quin.command(
                Addresses.IN_DICE,
                new JsonObject()
                        .put("op", "character.create")
                        .put("name", "Quin")
                        .put("attributes", new JsonObject().put("str", 1)));
        assertThat(bridged.getString("ownerId")).isEqualTo(quin.userId);
        assertThat(quin.command(
                                Addresses.IN_DICE,
                                new JsonObject()
                                        .put("op", "character.update")
                                        .put("id", characterId)
                                        .put("name", "x"))
                        .getString("code"))
                .isEqualTo("CHARACTER_NOT_OWNED");
    }

    @Test
    void badSheetsAreRefused() {
        assertThat(rest.post(charactersPath(""), pipToken, new JsonObject().put("name", ""))
                        .code())
                .isEqualTo("BAD_REQUEST");
        assertThat(rest.post(
                                charactersPath(""),
                                pipToken,
                                new JsonObject().put("name", "A").put("attributes", "str=3"))
                        .code())
                .isEqualTo("BAD_REQUEST");
        JsonObject huge = new JsonObject();
        for (int i = 0; i < 3_000; i++) huge.put("attribute" + i, i);
        assertThat(rest.post(
                                charactersPath(""),
                                pipToken,
                                new JsonObject().put("name", "A").put("attributes", huge))
                        .code())
                .isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(rest.get(charactersPath("/nope"), pipToken).code()).isEqualTo("NOT_FOUND");
        assertThat(rest.post(
                                charactersPath(""),
                                table.gmToken(),
                                new JsonObject().put("name", "Stray").put("ownerId", "not-a-member"))
                        .code())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void anImportedRoomKeepsItsChatAndItsVisibility() {
        pip.chat("public words");
        long whisper = pip.chat("/w Quin private words").getLong("seq");
        quin.awaitPrivate(whisper);
        JsonObject document = rest.get("/api/rooms/" + table.roomId() + "/export?format=json", table.gmToken())
                .body();
        Rest.Reply imported = rest.post("/api/rooms/import", table.gmToken(), document);
        assertThat(imported.status()).as(imported.body().encode()).isEqualTo(201);
        String copy = imported.body().getString("id");
        JsonObject history =
                rest.get("/api/rooms/" + copy + "/chat", table.gmToken()).body();
        assertThat(texts(history)).containsExactly("public words");
        assertThat(history.encode()).doesNotContain("private words");
        // The copy is a new room: its log goes on from the imported one.
        try (Player again = new Player(node.vertx(), node.bridgePort(), table.gmToken(), table.gmId(), copy, true)) {
            again.join();
            assertThat(again.chat("back again").getLong("seq")).isEqualTo(3L);
        }
        assertThat(texts(rest.get("/api/rooms/" + copy + "/chat", table.gmToken())
                        .body()))
                .containsExactly("back again", "public words");
    }

    // ---- dialect and stateless rolls ----

    @Test
    void theRoomsDialectDecidesHowRollsRead() {
        assertThat(pip.map("room.settings", new JsonObject().put("dialect", "foundry"))
                        .getString("code"))
                .isEqualTo("GM_ONLY");
        long set = gm.map("room.settings", new JsonObject().put("dialect", "foundry"))
                .getLong("seq");
        assertThat(quin.awaitSeq(set)
                        .getJsonObject("patch")
                        .getJsonObject("settings")
                        .getString("dialect"))
                .isEqualTo("foundry");
        // Foundry counts successes with cs; Roll20 has no such modifier.
        long seq = pip.chat("/r 3d6cs>3").getLong("seq");
        JsonObject roll =
                quin.awaitSeq(seq).getJsonObject("data").getJsonArray("rolls").getJsonObject(0);
        assertThat(roll.getString("dialect")).isEqualTo("foundry");
        assertThat(roll.containsKey("successes")).isTrue();
        assertThat(rest.get("/api/rooms/" + table.roomId(), pipToken).body().getString("diceDialect"))
                .isEqualTo("foundry");
        gm.map("room.settings", new JsonObject().put("dialect", "roll20"));
        assertThat(pip.chat("/r 3d6cs>3").getString("code")).isEqualTo("DICE_SYNTAX");
    }

    @Test
    void anyoneCanRollStatelesslyOverRest() {
        Rest.Reply roll = rest.post(
                "/api/dice/roll",
                null,
                new JsonObject().put("expression", "4d6kh3").put("dialect", "foundry"));
        assertThat(roll.status()).as(roll.body().encode()).isEqualTo(200);
        assertThat(roll.body().getString("dialect")).isEqualTo("foundry");
        assertThat(roll.body().getJsonArray("dice").getJsonObject(0).getJsonArray("rolls"))
                .hasSize(4);
        assertThat(rest.post("/api/dice/roll", null, new JsonObject().put("expression", "4d6k3"))
                        .body()
                        .getString("dialect"))
                .isEqualTo("roll20");
        Rest.Reply bad = rest.post("/api/dice/roll", null, new JsonObject().put("expression", "2d6+*3"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("DICE_SYNTAX");
        assertThat(bad.body().getString("detail")).containsPattern("position \\d+");
        assertThat(rest.post(
                                "/api/dice/roll",
                                null,
                                new JsonObject().put("expression", "1d6").put("dialect", "gurps"))
                        .code())
                .isEqualTo("BAD_REQUEST");
        assertThat(rest.post("/api/dice/roll", null, new JsonObject().put("expression", "1/0"))
                        .code())
                .isEqualTo("DICE_DIVISION_BY_ZERO");
        assertThat(rest.post("/api/dice/roll", null, "not json").code()).isEqualTo("BODY_NOT_JSON");
    }

    // ---- helpers ----

    private String charactersPath(String rest) {
        return "/api/rooms/" + table.roomId() + "/characters" + rest;
    }

    private String chatPath(String rest) {
        return "/api/rooms/" + table.roomId() + "/chat" + rest;
    }

    private static String kindOf(Player reader, JsonObject reply) {
        return reader.awaitSeq(reply.getLong("seq")).getJsonObject("data").getString("kind");
    }

    private List<String> historyTexts(String token) {
        return texts(rest.get(chatPath(""), token).body());
    }

    private List<String> searchTexts(String token, String query) {
        Rest.Reply reply = rest.get(chatPath("/search?q=" + encode(query)), token);
        assertThat(reply.status()).as(reply.body().encode()).isEqualTo(200);
        return texts(reply.body());
    }

    private static List<String> texts(JsonObject page) {
        return page.getJsonArray("messages").stream()
                .map(m -> ((JsonObject) m).getJsonObject("data"))
                .filter(data -> data != null && data.containsKey("text"))
                .map(data -> data.getString("text"))
                .toList();
    }

    private static List<String> framesAbout(Player player, long seq) {
        return player.socket.seen().stream()
                .filter(frame -> frame.getValue("body") instanceof JsonObject body && body.getLong("seq", -1L) == seq)
                .map(JsonObject::encode)
                .toList();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
