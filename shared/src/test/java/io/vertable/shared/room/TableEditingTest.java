package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The token editor's and the scene editor's commands: owners must be members, every field has limits and a code, a
 * refused command leaves the room as it was, and the player view enforces who sees hit points and names.
 */
class TableEditingTest {

    static final Actor GM = RoomModelTest.GM;
    static final Actor PIP = RoomModelTest.PIP;

    JsonObject state = RoomReducer.empty("r1");
    long seq;
    final AtomicInteger counter = new AtomicInteger();
    final Supplier<String> ids = () -> "id" + counter.incrementAndGet();

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
        RoomModelTest.assertRefused(decision, code);
    }

    String scene;
    String goblin;

    void setUp() {
        scene = scene();
        goblin = token(scene, 105, 105, new JsonObject().put("hp", 7).put("maxHp", 12));
    }

    /** Refused with the code, and the state is exactly what it was. */
    void assertRefusedUnchanged(String op, JsonObject body, ErrorCode code) {
        JsonObject before = state.copy();
        assertRefused(run(GM, op, body), code);
        assertThat(state).isEqualTo(before);
    }

    JsonObject update(JsonObject fields) {
        return fields.put("tokenId", goblin);
    }

    @Test
    void ownersWhoAreNotMembersAreRefusedWithTheirOwnCode() {
        setUp();
        assertRefusedUnchanged(
                "token.update",
                update(new JsonObject().put("owners", new JsonArray().add("Bob"))),
                ErrorCode.OWNER_NOT_A_MEMBER);
        assertRefusedUnchanged(
                "token.update",
                update(new JsonObject().put("owners", new JsonArray().add("pip").add("stranger"))),
                ErrorCode.OWNER_NOT_A_MEMBER);
        assertRefusedUnchanged(
                "token.create",
                new JsonObject()
                        .put("sceneId", scene)
                        .put("name", "Bob's")
                        .put("x", 1)
                        .put("y", 1)
                        .put("owners", new JsonArray().add("Bob")),
                ErrorCode.OWNER_NOT_A_MEMBER);
        assertThat(run(GM, "token.update", update(new JsonObject().put("owners", new JsonArray().add("pip"))))
                        .accepted())
                .isTrue();
        assertThat(state.getJsonObject("tokens").getJsonObject(goblin).getJsonArray("owners"))
                .containsExactly("pip");
    }

    @Test
    void withoutAMemberListNoOwnerIsAccepted() {
        setUp();
        Decision decision = RoomCommands.decide(
                state, "token.update", update(new JsonObject().put("owners", new JsonArray().add("pip"))), GM, ids);
        assertRefused(decision, ErrorCode.OWNER_NOT_A_MEMBER);
        assertThat(RoomCommands.namesOwners(new JsonObject().put("owners", new JsonArray().add("pip"))))
                .isTrue();
        assertThat(RoomCommands.namesOwners(new JsonObject().put("owners", new JsonArray())))
                .isFalse();
    }

    @Test
    void tokenFieldsOutOfRangeAreRefusedAndChangeNothing() {
        setUp();
        for (JsonObject bad : new JsonObject[] {
            new JsonObject().put("name", "x".repeat(10_000)),
            new JsonObject().put("name", "   "),
            new JsonObject().put("size", Double.NaN),
            new JsonObject().put("size", 1e308),
            new JsonObject().put("size", 0),
            new JsonObject().put("hp", 1e308),
            new JsonObject().put("maxHp", -1),
            new JsonObject().put("hpVisibility", "secret"),
            new JsonObject().put("hpVisibility", 3),
            new JsonObject().put("nameVisibility", "sometimes"),
            new JsonObject().put("conditions", new JsonArray().add("x".repeat(41))),
            new JsonObject().put("conditions", new JsonArray().add(" ")),
            new JsonObject().put("color", "red"),
        }) {
            assertRefusedUnchanged("token.update", update(bad), ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void hitPointsReachPlayersOnlyAsTheirVisibilitySays() {
        setUp();
        String pips = token(
                scene,
                175,
                105,
                new JsonObject()
                        .put("hp", 9)
                        .put("maxHp", 10)
                        .put("owners", new JsonArray().add("pip"))
                        .put("hpVisibility", "owners"));
        JsonObject everyone = RoomViews.player(state).getJsonObject("tokens");
        assertThat(everyone.getJsonObject(goblin).getInteger("hp"))
                .as("no setting: everyone, as before")
                .isEqualTo(7);
        assertThat(everyone.getJsonObject(pips).containsKey("hp")).isFalse();
        assertThat(everyone.getJsonObject(pips).containsKey("maxHp")).isFalse();
        Map<String, JsonObject> secrets = RoomViews.ownerSecrets(state);
        assertThat(secrets).containsOnlyKeys("pip");
        assertThat(secrets.get("pip").getJsonObject(pips).getInteger("hp")).isEqualTo(9);

        run(GM, "token.update", update(new JsonObject().put("hpVisibility", "gm")));
        JsonObject view = RoomViews.player(state);
        assertThat(view.getJsonObject("tokens").getJsonObject(goblin).containsKey("hp"))
                .isFalse();
        assertThat(view.encode()).doesNotContain("\"hp\":7").doesNotContain("\"maxHp\":12");
        assertThat(RoomViews.gm(state)
                        .getJsonObject("tokens")
                        .getJsonObject(goblin)
                        .getInteger("hp"))
                .isEqualTo(7);

        // A hidden token's owner learns nothing of it either.
        run(PIP, "token.update", new JsonObject().put("tokenId", pips).put("hp", 4));
        run(GM, "token.hide", new JsonObject().put("tokenId", pips));
        assertThat(RoomViews.ownerSecrets(state)).isEmpty();
    }

    @Test
    void aNameTheGmHidesNeverReachesPlayers() {
        setUp();
        run(
                GM,
                "token.update",
                update(new JsonObject().put("name", "Grukk the Sly").put("nameVisibility", "never")));
        assertThat(RoomViews.player(state).encode()).doesNotContain("Grukk");
        run(GM, "token.update", update(new JsonObject().put("nameVisibility", "always")));
        assertThat(RoomViews.player(state)
                        .getJsonObject("tokens")
                        .getJsonObject(goblin)
                        .getString("name"))
                .isEqualTo("Grukk the Sly");
    }

    @Test
    void gridsAreCheckedFieldByField() {
        setUp();
        for (JsonObject grid : new JsonObject[] {
            new JsonObject().put("type", "square").put("size", 0),
            new JsonObject().put("type", "square").put("size", 100_000),
            new JsonObject().put("type", "square").put("size", Double.NaN),
            new JsonObject().put("type", "square").put("size", Double.POSITIVE_INFINITY),
            new JsonObject().put("type", "triangle"),
            new JsonObject().put("type", "square").put("offsetX", 1e308),
        }) {
            assertRefusedUnchanged(
                    "scene.update", new JsonObject().put("sceneId", scene).put("grid", grid), ErrorCode.BAD_REQUEST);
        }
        assertRefusedUnchanged(
                "scene.update", new JsonObject().put("sceneId", scene).put("grid", "square"), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(
                "scene.update", new JsonObject().put("sceneId", scene).put("width", 1e308), ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(
                "scene.update",
                new JsonObject().put("sceneId", scene).put("name", "x".repeat(10_000)),
                ErrorCode.BAD_REQUEST);
        assertThat(run(
                                GM,
                                "scene.update",
                                new JsonObject()
                                        .put("sceneId", scene)
                                        .put(
                                                "grid",
                                                new JsonObject()
                                                        .put("type", "hexColumns")
                                                        .put("size", 64.5)
                                                        .put("offsetX", 140)
                                                        .put("offsetY", -10)))
                        .accepted())
                .isTrue();
        JsonObject grid = state.getJsonObject("scenes").getJsonObject(scene).getJsonObject("grid");
        assertThat(grid.getString("type")).isEqualTo("hexColumns");
        assertThat(grid.getDouble("offsetX")).as("kept within one cell").isEqualTo(140 % 64.5);
        assertThat(grid.getDouble("offsetY")).isEqualTo(-10);
    }

    @Test
    void removingTheShownSceneTakesItsTokensAndDrawingsAndTellsPlayersNothingIsShown() {
        setUp();
        String other = created(GM, "scene.create", new JsonObject().put("name", "Tower"), "sceneId");
        String elsewhere = token(other, 35, 35, new JsonObject());
        run(GM, "initiative.add", new JsonObject().put("tokenId", goblin));
        run(
                GM,
                "drawing.create",
                new JsonObject()
                        .put("sceneId", scene)
                        .put("kind", "line")
                        .put("points", new JsonArray("[[0,0],[10,10]]")));
        JsonObject before = RoomViews.player(state);
        Decision removed = run(GM, "scene.remove", new JsonObject().put("sceneId", scene));
        assertThat(removed.changes()).extracting(Change::type).containsExactly("scene.removed");
        assertThat(state.getJsonObject("scenes").fieldNames()).containsExactly(other);
        assertThat(state.getJsonObject("tokens").fieldNames()).containsExactly(elsewhere);
        assertThat(state.getJsonObject("drawings").isEmpty()).isTrue();
        assertThat(state.getJsonObject("initiative").getJsonArray("entries").isEmpty())
                .isTrue();
        assertThat(state.getString("activeScene")).isNull();
        JsonObject patch = RoomViews.diff(before, RoomViews.player(state));
        assertThat(patch.containsKey("activeScene"))
                .as("players hear that no scene is shown")
                .isTrue();
        assertThat(patch.getString("activeScene")).isNull();
        assertThat(RoomValidation.problem(state)).isNull();
        assertRefusedUnchanged("scene.remove", new JsonObject().put("sceneId", scene), ErrorCode.NOT_FOUND);
        assertRefused(run(PIP, "scene.remove", new JsonObject().put("sceneId", other)), ErrorCode.GM_ONLY);
    }

    @Test
    void aHandoutShownToChosenMembersIsInTheirOwnSetAndNeverInThePlayerView() {
        String noteId = created(
                GM,
                "note.create",
                new JsonObject()
                        .put("title", "Letter")
                        .put("body", "for Pip's eyes")
                        .put("gmOnly", false)
                        .put("shownTo", new JsonArray().add("pip")),
                "noteId");
        assertThat(RoomViews.player(state).getJsonObject("notes")).isEmpty();
        assertThat(RoomViews.gm(state)
                        .getJsonObject("notes")
                        .getJsonObject(noteId)
                        .getJsonArray("shownTo"))
                .containsExactly("pip");
        Map<String, JsonObject> shown = RoomViews.shownNotes(state);
        assertThat(shown).containsOnlyKeys("pip");
        assertThat(shown.get("pip").getJsonObject(noteId).getString("body")).isEqualTo("for Pip's eyes");
        assertThat(shown.get("pip").getJsonObject(noteId).containsKey("shownTo"))
                .as("a reader is not told who else reads it")
                .isFalse();

        // Shown to Quin as well, then to every player: the chosen sets go and the shared view has it.
        run(
                GM,
                "note.update",
                new JsonObject()
                        .put("noteId", noteId)
                        .put("shownTo", new JsonArray().add("pip").add("quin")));
        assertThat(RoomViews.shownNotes(state)).containsOnlyKeys("pip", "quin");
        run(GM, "note.update", new JsonObject().put("noteId", noteId).putNull("shownTo"));
        assertThat(RoomViews.shownNotes(state)).isEmpty();
        assertThat(RoomViews.player(state)
                        .getJsonObject("notes")
                        .getJsonObject(noteId)
                        .containsKey("shownTo"))
                .isFalse();
        // A GM-only note is nobody's, whoever was chosen before.
        run(GM, "note.update", new JsonObject().put("noteId", noteId).put("shownTo", new JsonArray().add("quin")));
        run(GM, "note.update", new JsonObject().put("noteId", noteId).put("gmOnly", true));
        assertThat(RoomViews.shownNotes(state)).isEmpty();
        assertThat(RoomViews.player(state).getJsonObject("notes")).isEmpty();

        assertRefusedUnchanged(
                "note.update",
                new JsonObject().put("noteId", noteId).put("shownTo", new JsonArray().add("stranger")),
                ErrorCode.RECIPIENT_NOT_A_MEMBER);
        assertRefusedUnchanged(
                "note.update",
                new JsonObject().put("noteId", noteId).put("shownTo", new JsonArray()),
                ErrorCode.BAD_REQUEST);
        assertRefusedUnchanged(
                "note.update", new JsonObject().put("noteId", noteId).put("shownTo", "pip"), ErrorCode.BAD_REQUEST);
        assertThat(RoomCommands.namesOwners(new JsonObject().put("shownTo", new JsonArray().add("pip"))))
                .as("naming recipients makes the owner look the members up")
                .isTrue();
        assertThat(RoomValidation.problem(state)).isNull();
    }
}
