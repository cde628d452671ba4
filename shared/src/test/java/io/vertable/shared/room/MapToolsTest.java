package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The map tools' commands: several tokens moved, hidden, removed or copied at once (all or nothing), undo of one's
 * own drawings and of the last fog change, and the scenes' order. Every refusal leaves the room as it was.
 */
class MapToolsTest {

    static final Actor GM = RoomModelTest.GM;
    static final Actor PIP = RoomModelTest.PIP;
    static final Actor QUIN = RoomModelTest.QUIN;

    JsonObject state = RoomReducer.empty("r1");
    long seq;
    final AtomicInteger counter = new AtomicInteger();
    final Supplier<String> ids = () -> "id" + counter.incrementAndGet();
    String scene;
    String a;
    String b;
    String pips;

    Decision run(Actor actor, String op, JsonObject body) {
        Decision decision =
                RoomCommands.decide(state, op, body, actor, ids, java.util.Set.of("gm", "pip", "quin")::contains);
        for (Change change : decision.changes()) RoomReducer.apply(state, ++seq, change.type(), change.data());
        return decision;
    }

    String created(Actor actor, String op, JsonObject body, String idField) {
        Decision decision = run(actor, op, body);
        assertThat(decision.failure()).as(op).isNull();
        return decision.changes().get(0).data().getString(idField);
    }

    String token(String name, double x, JsonArray owners) {
        return created(
                GM,
                "token.create",
                new JsonObject()
                        .put("sceneId", scene)
                        .put("name", name)
                        .put("x", x)
                        .put("y", 35)
                        .put("owners", owners),
                "tokenId");
    }

    @BeforeEach
    void setUp() {
        scene = created(GM, "scene.create", new JsonObject().put("name", "Crypt"), "sceneId");
        a = token("Skeleton 1", 35, new JsonArray());
        b = token("Skeleton 10", 105, new JsonArray());
        pips = token("Pip", 175, new JsonArray().add("pip"));
    }

    void assertRefusedUnchanged(Actor actor, String op, JsonObject body, ErrorCode code) {
        JsonObject before = state.copy();
        RoomModelTest.assertRefused(run(actor, op, body), code);
        assertThat(state).as(op + " " + body).isEqualTo(before);
    }

    JsonObject tokenState(String id) {
        return state.getJsonObject("tokens").getJsonObject(id);
    }

    static JsonObject move(String id, double x, double y) {
        return new JsonObject().put("tokenId", id).put("x", x).put("y", y);
    }

    static JsonObject ids(String... tokenIds) {
        return new JsonObject().put("tokenIds", new JsonArray(java.util.List.of((Object[]) tokenIds)));
    }

    @Test
    void severalTokensMoveTogetherOrNotAtAll() {
        Decision moved = run(
                GM,
                "tokens.move",
                new JsonObject()
                        .put("moves", new JsonArray().add(move(a, 35, 105)).add(move(b, 105, 105))));
        assertThat(moved.changes()).hasSize(2);
        assertThat(tokenState(a).getDouble("y")).isEqualTo(105);
        assertThat(tokenState(b).getDouble("y")).isEqualTo(105);
        // One bad move refuses the others too.
        assertRefusedUnchanged(
                GM,
                "tokens.move",
                new JsonObject().put("moves", new JsonArray().add(move(a, 0, 0)).add(move(b, Double.NaN, 0))),
                ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(
                GM,
                "tokens.move",
                new JsonObject().put("moves", new JsonArray().add(move(a, 0, 0)).add(move(a, 70, 0))),
                ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(
                GM, "tokens.move", new JsonObject().put("moves", new JsonArray()), ErrorCode.BAD_REQUEST);
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i <= RoomCommands.MAX_BATCH; i++) tooMany.add(move(a, i, 0));
        assertRefusedUnchanged(GM, "tokens.move", new JsonObject().put("moves", tooMany), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(
                GM,
                "tokens.move",
                new JsonObject().put("moves", new JsonArray().add(move("nope", 0, 0))),
                ErrorCode.NOT_FOUND);
    }

    @Test
    void aPlayerMovesSeveralOfTheirOwnTokensButNoOneElses() {
        String second = token("Pip's pony", 245, new JsonArray().add("pip"));
        assertThat(run(
                                PIP,
                                "tokens.move",
                                new JsonObject()
                                        .put(
                                                "moves",
                                                new JsonArray()
                                                        .add(move(pips, 175, 105))
                                                        .add(move(second, 245, 105))))
                        .accepted())
                .isTrue();
        assertRefusedUnchanged(
                PIP,
                "tokens.move",
                new JsonObject()
                        .put("moves", new JsonArray().add(move(pips, 175, 175)).add(move(a, 0, 0))),
                ErrorCode.FORBIDDEN);
        assertRefusedUnchanged(PIP, "tokens.hide", ids(pips), ErrorCode.GM_ONLY);
        assertRefusedUnchanged(PIP, "tokens.copy", ids(pips), ErrorCode.GM_ONLY);
    }

    @Test
    void theGmHidesRevealsAndRemovesSeveralAtOnce() {
        run(GM, "tokens.hide", ids(a, b));
        assertThat(tokenState(a).getBoolean("hidden")).isTrue();
        assertThat(tokenState(b).getBoolean("hidden")).isTrue();
        assertThat(RoomViews.player(state).getJsonObject("tokens").fieldNames()).containsExactly(pips);
        run(GM, "tokens.reveal", ids(a));
        assertThat(tokenState(a).getBoolean("hidden")).isFalse();
        assertRefusedUnchanged(GM, "tokens.remove", ids(a, "gone"), ErrorCode.NOT_FOUND);
        assertRefusedUnchanged(GM, "tokens.remove", ids(a, a), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(GM, "tokens.remove", new JsonObject().put("tokenIds", "a"), ErrorCode.BAD_REQUEST);
        run(GM, "tokens.remove", ids(a, b));
        assertThat(state.getJsonObject("tokens").fieldNames()).containsExactly(pips);
    }

    @Test
    void copiesArePastedShiftedWithIdsOfTheirOwn() {
        Decision copied = run(GM, "tokens.copy", ids(a, pips).put("dx", 70).put("dy", 70));
        assertThat(copied.changes()).hasSize(2);
        String copy = copied.changes().get(1).data().getString("tokenId");
        assertThat(copy).isNotIn(a, b, pips);
        assertThat(tokenState(copy).getString("name")).isEqualTo("Pip");
        assertThat(tokenState(copy).getDouble("x")).isEqualTo(245);
        assertThat(tokenState(copy).getDouble("y")).isEqualTo(105);
        assertThat(tokenState(copy).getJsonArray("owners")).containsExactly("pip");
        assertThat(tokenState(copy).getString("id")).isEqualTo(copy);
        assertRefusedUnchanged(GM, "tokens.copy", ids(a).put("dx", 1e308), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(GM, "tokens.copy", ids(a).put("dx", 999_999), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(GM, "tokens.copy", ids(a).put("dy", "far"), ErrorCode.BAD_REQUEST);
        assertThat(RoomValidation.problem(state)).isNull();
    }

    @Test
    void pastedCopiesAreMadeFromDataAndNeedNoOriginal() {
        JsonObject kept = tokenState(pips).copy().put("x", 315).put("conditions", new JsonArray().add("prone"));
        run(GM, "tokens.remove", ids(pips));
        Decision pasted = run(
                GM, "tokens.paste", new JsonObject().put("sceneId", scene).put("tokens", new JsonArray().add(kept)));
        assertThat(pasted.failure()).isNull();
        String copy = pasted.changes().get(0).data().getString("tokenId");
        assertThat(copy).isNotEqualTo(pips);
        assertThat(tokenState(copy).getString("name")).isEqualTo("Pip");
        assertThat(tokenState(copy).getDouble("x")).isEqualTo(315);
        assertThat(tokenState(copy).getJsonArray("owners")).containsExactly("pip");
        assertThat(tokenState(copy).getJsonArray("conditions")).containsExactly("prone");
        assertThat(RoomValidation.problem(state)).isNull();
    }

    @Test
    void aBadPastedCopyRefusesThemAllAsANewTokenWouldBe() {
        JsonObject good = tokenState(a).copy();
        java.util.function.Function<JsonObject, JsonObject> paste = bad -> new JsonObject()
                .put("sceneId", scene)
                .put("tokens", new JsonArray().add(good).add(bad));
        assertRefusedUnchanged(
                GM, "tokens.paste", paste.apply(good.copy().put("name", "x".repeat(10_000))), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(
                GM, "tokens.paste", paste.apply(good.copy().put("size", Double.NaN)), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(GM, "tokens.paste", paste.apply(good.copy().put("x", 1e308)), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(
                GM,
                "tokens.paste",
                paste.apply(good.copy().put("owners", new JsonArray().add("stranger"))),
                ErrorCode.OWNER_NOT_A_MEMBER);
        assertRefusedUnchanged(
                GM,
                "tokens.paste",
                new JsonObject().put("sceneId", scene).put("tokens", new JsonArray()),
                ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(GM, "tokens.paste", paste.apply(good).put("sceneId", "gone"), ErrorCode.NOT_FOUND);
        assertRefusedUnchanged(PIP, "tokens.paste", paste.apply(good), ErrorCode.GM_ONLY);
        assertThat(RoomCommands.namesOwners(paste.apply(tokenState(pips)))).isTrue();
        assertThat(RoomCommands.namesOwners(paste.apply(good))).isFalse();
    }

    JsonObject line(Actor actor) {
        return new JsonObject()
                .put("sceneId", scene)
                .put("kind", "line")
                .put(
                        "points",
                        new JsonArray()
                                .add(new JsonArray().add(0).add(0))
                                .add(new JsonArray().add(9).add(9)));
    }

    @Test
    void undoTakesBackOnesOwnLatestDrawingOnly() {
        String first = created(PIP, "drawing.create", line(PIP), "drawingId");
        String second = created(PIP, "drawing.create", line(PIP), "drawingId");
        String quins = created(QUIN, "drawing.create", line(QUIN), "drawingId");
        String gms = created(GM, "drawing.create", line(GM), "drawingId");
        run(PIP, "drawing.undo", new JsonObject().put("sceneId", scene));
        assertThat(state.getJsonObject("drawings").fieldNames()).containsExactly(first, quins, gms);
        run(PIP, "drawing.undo", new JsonObject().put("sceneId", scene));
        assertRefusedUnchanged(PIP, "drawing.undo", new JsonObject().put("sceneId", scene), ErrorCode.NOTHING_TO_UNDO);
        assertRefusedUnchanged(PIP, "drawing.undo", new JsonObject().put("sceneId", "nope"), ErrorCode.NOT_FOUND);
        // The GM's undo is the GM's own drawing; the eraser (drawing.remove) takes anyone's.
        run(GM, "drawing.undo", new JsonObject().put("sceneId", scene));
        assertThat(state.getJsonObject("drawings").fieldNames()).containsExactly(quins);
        assertThat(run(GM, "drawing.remove", new JsonObject().put("drawingId", quins))
                        .accepted())
                .isTrue();
        assertThat(second).isNotNull();
    }

    static JsonObject rect(double x) {
        return new JsonObject()
                .put("kind", "rect")
                .put("x", x)
                .put("y", 0)
                .put("w", 50)
                .put("h", 50);
    }

    @Test
    void fogUndoTakesBackShapesThenTheReset() {
        JsonObject sceneFog = new JsonObject().put("sceneId", scene);
        run(GM, "fog.reset", sceneFog.copy().put("enabled", true).put("covered", true));
        run(GM, "fog.reveal", sceneFog.copy().put("shape", rect(0)));
        run(GM, "fog.reveal", sceneFog.copy().put("shape", rect(100)));
        JsonObject twoShapes = fog().copy();
        // An accidental "cover everything" ...
        run(GM, "fog.reset", sceneFog.copy().put("enabled", true).put("covered", true));
        assertThat(fog().getJsonArray("ops")).isEmpty();
        // ... is undone: the two revealed shapes come back, then go one by one.
        run(GM, "fog.undo", sceneFog);
        assertThat(fog()).isEqualTo(twoShapes);
        run(GM, "fog.undo", sceneFog);
        assertThat(fog().getJsonArray("ops")).hasSize(1);
        run(GM, "fog.undo", sceneFog);
        // Only the latest reset is remembered: the first one stays.
        assertThat(fog().getJsonArray("ops")).isEmpty();
        assertThat(fog().getString("initial")).isEqualTo("covered");
        assertRefusedUnchanged(GM, "fog.undo", sceneFog, ErrorCode.NOTHING_TO_UNDO);
        assertRefusedUnchanged(PIP, "fog.undo", sceneFog, ErrorCode.GM_ONLY);
        // What undo keeps is in no view.
        run(GM, "fog.reset", sceneFog.copy().put("enabled", true).put("covered", true));
        assertThat(RoomViews.gm(state).encode()).doesNotContain("fogBeforeReset");
        assertThat(RoomViews.player(state).encode()).doesNotContain("fogBeforeReset");
    }

    JsonObject fog() {
        return state.getJsonObject("scenes").getJsonObject(scene).getJsonObject("fog");
    }

    @Test
    void scenesAreReorderedAsAWholeList() {
        String cave = created(GM, "scene.create", new JsonObject().put("name", "Cave"), "sceneId");
        run(
                GM,
                "scene.reorder",
                new JsonObject().put("sceneIds", new JsonArray().add(cave).add(scene)));
        assertThat(state.getJsonObject("scenes").getJsonObject(cave).getInteger("order"))
                .isEqualTo(0);
        assertThat(state.getJsonObject("scenes").getJsonObject(scene).getInteger("order"))
                .isEqualTo(1);
        for (JsonArray bad : new JsonArray[] {
            new JsonArray().add(cave),
            new JsonArray().add(cave).add(cave),
            new JsonArray().add(cave).add("x"),
        }) {
            assertRefusedUnchanged(
                    GM,
                    "scene.reorder",
                    new JsonObject().put("sceneIds", bad),
                    bad.contains("x") ? ErrorCode.NOT_FOUND : ErrorCode.BAD_REQUEST);
        }
        assertRefusedUnchanged(
                PIP, "scene.reorder", new JsonObject().put("sceneIds", new JsonArray()), ErrorCode.GM_ONLY);
    }
}
