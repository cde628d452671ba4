package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.RoomRole;
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

/** Commands, reducer and views on worked cases. */
class RoomModelTest {

    static final Actor GM = new Actor("gm", RoomRole.GM);
    static final Actor PIP = new Actor("pip", RoomRole.PLAYER);
    static final Actor QUIN = new Actor("quin", RoomRole.PLAYER);
    static final Actor WATCHER = new Actor("watcher", RoomRole.OBSERVER);
    static final java.util.Set<String> MEMBERS = java.util.Set.of("gm", "pip", "quin", "watcher");

    JsonObject state;
    long seq;
    final AtomicInteger counter = new AtomicInteger();
    final Supplier<String> ids = () -> "id" + counter.incrementAndGet();

    @BeforeEach
    void room() {
        state = RoomReducer.empty("r1");
        seq = 0;
    }

    /** Decides and applies; returns the decision. */
    Decision run(Actor actor, String op, JsonObject body) {
        Decision decision = RoomCommands.decide(state, op, body, actor, ids, MEMBERS::contains);
        for (Change change : decision.changes()) RoomReducer.apply(state, ++seq, change.type(), change.data());
        return decision;
    }

    String created(Actor actor, String op, JsonObject body, String idField) {
        Decision decision = run(actor, op, body);
        assertThat(decision.failure()).as(op).isNull();
        return decision.changes().get(0).data().getString(idField);
    }

    String scene() {
        return created(GM, "scene.create", new JsonObject().put("name", "Crypt"), "sceneId");
    }

    String token(String sceneId, double x, double y, JsonObject extra) {
        JsonObject body = new JsonObject()
                .put("sceneId", sceneId)
                .put("name", "Goblin")
                .put("x", x)
                .put("y", y)
                .mergeIn(extra);
        return created(GM, "token.create", body, "tokenId");
    }

    static void assertRefused(Decision decision, ErrorCode code) {
        assertThat(decision.accepted()).isFalse();
        assertThat(decision.failure().code()).isEqualTo(code);
        assertThat(decision.changes()).isEmpty();
    }

    @Test
    void theFirstSceneIsShownToPlayersAndTokensMove() {
        String scene = scene();
        assertThat(state.getString("activeScene")).isEqualTo(scene);
        String mine = token(scene, 100, 100, new JsonObject().put("owners", new JsonArray().add("pip")));
        assertThat(run(
                                PIP,
                                "token.move",
                                new JsonObject()
                                        .put("tokenId", mine)
                                        .put("x", 140)
                                        .put("y", 70))
                        .accepted())
                .isTrue();
        assertThat(state.getJsonObject("tokens").getJsonObject(mine).getDouble("x"))
                .isEqualTo(140.0);
        assertThat(state.getLong("seq")).isEqualTo(4);
    }

    @Test
    void playersMoveOnlyTheirOwnUnlockedVisibleTokens() {
        String scene = scene();
        String mine = token(scene, 10, 10, new JsonObject().put("owners", new JsonArray().add("pip")));
        String theirs = token(scene, 20, 20, new JsonObject().put("owners", new JsonArray().add("quin")));
        String locked = token(
                scene,
                30,
                30,
                new JsonObject().put("owners", new JsonArray().add("pip")).put("locked", true));
        String hidden = token(
                scene,
                40,
                40,
                new JsonObject().put("owners", new JsonArray().add("pip")).put("hidden", true));
        JsonObject before = state.copy();
        assertRefused(run(PIP, "token.move", move(theirs)), ErrorCode.FORBIDDEN);
        assertRefused(run(PIP, "token.move", move(locked)), ErrorCode.FORBIDDEN);
        assertRefused(run(PIP, "token.move", move(hidden)), ErrorCode.NOT_FOUND);
        assertRefused(run(PIP, "token.move", move("nope")), ErrorCode.NOT_FOUND);
        assertRefused(run(PIP, "token.hide", new JsonObject().put("tokenId", mine)), ErrorCode.GM_ONLY);
        assertRefused(run(PIP, "fog.reveal", new JsonObject()), ErrorCode.GM_ONLY);
        assertRefused(run(WATCHER, "token.move", move(mine)), ErrorCode.FORBIDDEN);
        assertRefused(run(PIP, "teleport", move(mine)), ErrorCode.BAD_REQUEST);
        assertRefused(
                run(PIP, "token.update", new JsonObject().put("tokenId", mine).put("name", "Renamed")),
                ErrorCode.BAD_REQUEST);
        assertThat(state).as("refusals change nothing").isEqualTo(before);
        assertThat(run(
                                PIP,
                                "token.update",
                                new JsonObject().put("tokenId", mine).put("hp", 3))
                        .accepted())
                .isTrue();
        assertThat(run(QUIN, "token.move", move(theirs)).accepted()).isTrue();
        assertThat(run(GM, "token.move", move(locked)).accepted()).isTrue();
    }

    static JsonObject move(String tokenId) {
        return new JsonObject().put("tokenId", tokenId).put("x", 1).put("y", 2);
    }

    @Test
    void badNumbersShapesAndSizesAreRefused() {
        String scene = scene();
        String t = token(scene, 0, 0, new JsonObject());
        JsonObject before = state.copy();
        assertRefused(
                run(
                        GM,
                        "token.move",
                        new JsonObject().put("tokenId", t).put("x", Double.NaN).put("y", 0)),
                ErrorCode.BAD_REQUEST);
        assertRefused(
                run(
                        GM,
                        "token.move",
                        new JsonObject().put("tokenId", t).put("x", 1e12).put("y", 0)),
                ErrorCode.BAD_REQUEST);
        assertRefused(
                run(
                        GM,
                        "token.move",
                        new JsonObject().put("tokenId", t).put("x", "left").put("y", 0)),
                ErrorCode.BAD_REQUEST);
        JsonArray huge = new JsonArray();
        for (int i = 0; i < 100_000; i++) huge.add(new JsonArray().add(i % 1000).add(i / 1000));
        assertRefused(
                run(GM, "fog.reveal", new JsonObject().put("sceneId", scene).put("shape", polygon(huge))),
                ErrorCode.BAD_REQUEST);
        assertRefused(
                run(GM, "fog.reveal", new JsonObject().put("sceneId", scene).put("shape", rect(0, 0, -5, 5))),
                ErrorCode.BAD_REQUEST);
        assertRefused(
                run(GM, "note.create", new JsonObject().put("title", "Lore").put("body", "x".repeat(1_000_000))),
                ErrorCode.BAD_REQUEST);
        assertRefused(
                run(
                        GM,
                        "token.create",
                        new JsonObject()
                                .put("sceneId", "nope")
                                .put("name", "x")
                                .put("x", 0)
                                .put("y", 0)),
                ErrorCode.NOT_FOUND);
        assertRefused(
                run(
                        GM,
                        "drawing.create",
                        new JsonObject()
                                .put("sceneId", scene)
                                .put("kind", "spiral")
                                .put(
                                        "points",
                                        new JsonArray()
                                                .add(new JsonArray().add(0).add(0)))),
                ErrorCode.BAD_REQUEST);
        assertThat(state).isEqualTo(before);
    }

    @Test
    void fogHidesTokensFromPlayersUntilTheGmRevealsThem() {
        String scene = scene();
        run(GM, "fog.reset", new JsonObject().put("sceneId", scene).put("covered", true));
        String lurker = token(scene, 500, 500, new JsonObject().put("name", "Lurker"));
        JsonObject playerBefore = RoomViews.player(state);
        assertThat(playerBefore.getJsonObject("tokens").containsKey(lurker)).isFalse();
        assertThat(RoomViews.gm(state).getJsonObject("tokens").containsKey(lurker))
                .isTrue();

        run(GM, "fog.reveal", new JsonObject().put("sceneId", scene).put("shape", rect(400, 400, 200, 200)));
        JsonObject playerAfter = RoomViews.player(state);
        JsonObject patch = RoomViews.diff(playerBefore, playerAfter);
        assertThat(patch.getJsonObject("upsert")
                        .getJsonArray("tokens")
                        .getJsonObject(0)
                        .getString("name"))
                .isEqualTo("Lurker");

        run(
                GM,
                "fog.cover",
                new JsonObject()
                        .put("sceneId", scene)
                        .put(
                                "shape",
                                polygon(new JsonArray()
                                        .add(new JsonArray().add(450).add(450))
                                        .add(new JsonArray().add(550).add(450))
                                        .add(new JsonArray().add(550).add(550))
                                        .add(new JsonArray().add(450).add(550)))));
        JsonObject covered = RoomViews.diff(playerAfter, RoomViews.player(state));
        assertThat(covered.getJsonObject("remove").getJsonArray("tokens").getList())
                .containsExactly(lurker);
        assertThat(covered.encode()).doesNotContain("Lurker");
    }

    @Test
    void hiddenTokensGmNotesAndOtherScenesStayOutOfThePlayerView() {
        String shown = scene();
        String prepared = created(GM, "scene.create", new JsonObject().put("name", "Lair (prepared)"), "sceneId");
        token(shown, 1, 1, new JsonObject().put("name", "Assassin").put("hidden", true));
        token(prepared, 1, 1, new JsonObject().put("name", "Dragon"));
        created(
                GM,
                "note.create",
                new JsonObject().put("title", "Twist").put("body", "the king is the villain"),
                "noteId");
        created(
                GM,
                "note.create",
                new JsonObject().put("title", "Handout").put("body", "a map").put("gmOnly", false),
                "noteId");
        String text = RoomViews.player(state).encode();
        assertThat(text).doesNotContain("Assassin", "Dragon", "Lair", "villain").contains("Handout");
    }

    @Test
    void initiativeSortsTurnsTicksEffectsAndHidesHiddenCombatants() {
        String scene = scene();
        String hero = token(scene, 1, 1, new JsonObject().put("name", "Hero"));
        String lurker =
                token(scene, 2, 2, new JsonObject().put("name", "Lurker").put("hidden", true));
        String a = created(
                GM, "initiative.add", new JsonObject().put("tokenId", hero).put("value", 12), "entryId");
        String b = created(
                GM, "initiative.add", new JsonObject().put("tokenId", lurker).put("value", 18), "entryId");
        created(
                GM,
                "initiative.add",
                new JsonObject().put("name", "Lair action").put("value", 20),
                "entryId");
        run(GM, "initiative.sort", new JsonObject());
        JsonArray order = state.getJsonObject("initiative").getJsonArray("entries");
        assertThat(order.stream().map(e -> ((JsonObject) e).getString("name")))
                .containsExactly("Lair action", "Lurker", "Hero");
        run(
                GM,
                "initiative.effect",
                new JsonObject().put("entryId", a).put("name", "Bless").put("rounds", 2));
        run(GM, "initiative.next", new JsonObject()); // Lurker
        run(GM, "initiative.next", new JsonObject()); // Hero: Bless 2 → 1
        assertThat(effects(a)).containsExactly("Bless:1");
        run(GM, "initiative.next", new JsonObject()); // round 2, Lair action
        assertThat(state.getJsonObject("initiative").getInteger("round")).isEqualTo(2);
        run(GM, "initiative.next", new JsonObject());
        run(GM, "initiative.next", new JsonObject()); // Hero again: Bless ends
        assertThat(effects(a)).isEmpty();
        JsonObject playerInitiative = RoomViews.player(state).getJsonObject("initiative");
        assertThat(playerInitiative.encode()).doesNotContain("Lurker", b);
        assertThat(playerInitiative
                        .getJsonArray("entries")
                        .getJsonObject(playerInitiative.getInteger("turn"))
                        .getString("name"))
                .isEqualTo("Hero");
    }

    private java.util.List<String> effects(String entryId) {
        for (Object e : state.getJsonObject("initiative").getJsonArray("entries")) {
            JsonObject entry = (JsonObject) e;
            if (entry.getString("id").equals(entryId)) {
                return entry.getJsonArray("effects").stream()
                        .map(x -> ((JsonObject) x).getString("name") + ":" + ((JsonObject) x).getInteger("rounds"))
                        .toList();
            }
        }
        throw new AssertionError("no entry " + entryId);
    }

    @Test
    void drawingsBelongToTheirAuthor() {
        String scene = scene();
        JsonObject line = new JsonObject()
                .put("sceneId", scene)
                .put("kind", "line")
                .put("color", "#ff0000")
                .put(
                        "points",
                        new JsonArray()
                                .add(new JsonArray().add(0).add(0))
                                .add(new JsonArray().add(10).add(10)));
        String pipsLine = created(PIP, "drawing.create", line, "drawingId");
        assertRefused(run(QUIN, "drawing.remove", new JsonObject().put("drawingId", pipsLine)), ErrorCode.FORBIDDEN);
        assertThat(run(PIP, "drawing.remove", new JsonObject().put("drawingId", pipsLine))
                        .accepted())
                .isTrue();
        String again = created(PIP, "drawing.create", line, "drawingId");
        assertThat(run(GM, "drawing.remove", new JsonObject().put("drawingId", again))
                        .accepted())
                .isTrue();
    }

    @Test
    void gmLayerTokensAreTheGmsAlone() {
        String scene = scene();
        String staged =
                token(scene, 5, 5, new JsonObject().put("name", "Staged Ogre").put("layer", "gm"));
        assertThat(RoomViews.player(state).encode()).doesNotContain(staged, "Staged Ogre");
        run(GM, "token.update", new JsonObject().put("tokenId", staged).put("layer", "tokens"));
        assertThat(RoomViews.player(state).getJsonObject("tokens").containsKey(staged))
                .isTrue();
    }

    @Test
    void drawingsAndFogHaveABudget() {
        String scene = scene();
        JsonArray big = new JsonArray();
        for (int i = 0; i < 1000; i++) big.add(new JsonArray().add(i).add(i % 50));
        JsonObject freehand =
                new JsonObject().put("sceneId", scene).put("kind", "freehand").put("points", big);
        int accepted = 0;
        Decision last = null;
        for (int i = 0; i < 60; i++) {
            last = run(GM, "drawing.create", freehand);
            if (last.accepted()) accepted++;
        }
        assertThat(accepted).isEqualTo(RoomCommands.MAX_ROOM_POINTS / 1000);
        assertRefused(last, ErrorCode.CONFLICT);
        assertRefused(
                run(GM, "fog.cover", new JsonObject().put("sceneId", scene).put("shape", polygon(big))),
                ErrorCode.CONFLICT);

        room();
        String other = scene();
        JsonObject dot = new JsonObject()
                .put("sceneId", other)
                .put("kind", "text")
                .put("text", "x")
                .put("points", new JsonArray().add(new JsonArray().add(1).add(1)));
        for (int i = 0; i < RoomCommands.MAX_DRAWINGS_PER_PLAYER; i++)
            assertThat(run(PIP, "drawing.create", dot).accepted()).isTrue();
        assertRefused(run(PIP, "drawing.create", dot), ErrorCode.CONFLICT);
        assertThat(run(QUIN, "drawing.create", dot).accepted())
                .as("another player still may")
                .isTrue();
    }

    @Test
    void validationRefusesStatesNoCommandCouldHaveMade() {
        String scene = scene();
        token(scene, 1, 1, new JsonObject());
        assertThat(RoomValidation.problem(state)).isNull();
        JsonObject broken = state.copy();
        broken.getJsonObject("tokens").forEach(e -> ((JsonObject) e.getValue()).put("hidden", "yes"));
        assertThat(RoomValidation.problem(broken)).contains("hidden");
        JsonObject orphan = state.copy();
        orphan.getJsonObject("tokens").forEach(e -> ((JsonObject) e.getValue()).put("sceneId", "nowhere"));
        assertThat(RoomValidation.problem(orphan)).contains("scene does not exist");
        JsonObject ownerless = state.copy();
        ownerless.getJsonObject("tokens").forEach(e -> ((JsonObject) e.getValue()).remove("owners"));
        assertThat(RoomValidation.problem(ownerless)).contains("owners");
    }

    @Test
    void unknownEventTypesChangeOnlyTheSeq() {
        JsonObject before = state.copy();
        RoomReducer.apply(state, 1, "weather.changed", new JsonObject().put("rain", true));
        assertThat(state.getLong("seq")).isEqualTo(1);
        assertThat(state.copy().put("seq", 0L)).isEqualTo(before);
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
