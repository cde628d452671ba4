package io.vertable.shared.room;

import io.vertable.shared.wire.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies a room event to a room state. Pure and deterministic: the map verticle, replay and the tests all use it,
 * so a state rebuilt from a snapshot and the later events is the state the owner had. Events were validated when
 * they were decided ({@link RoomCommands}); the reducer trusts them.
 *
 * <p>State: {@code {room, seq, activeScene, scenes{}, tokens{}, drawings{}, notes{}, walls{}, lights{},
 * explored{sceneId: {userId: cells}}, visionRevs{sceneId: hash}, initiative{entries[], turn, round}, settings{dialect}, dice{period, nonce, commitment?, revealed?}}}, every collection keyed by id. {@code dice} counts the verifiable
 * rolls of the current seed period (docs/dice.md): chat and dice events change nothing else, their text lives in the
 * log and in the chat table.
 */
public final class RoomReducer {

    private RoomReducer() {}

    public static JsonObject empty(String roomId) {
        return new JsonObject()
                .put("room", roomId)
                .put("seq", 0L)
                .putNull("activeScene")
                .put("scenes", new JsonObject())
                .put("tokens", new JsonObject())
                .put("drawings", new JsonObject())
                .put("notes", new JsonObject())
                .put("walls", new JsonObject())
                .put("lights", new JsonObject())
                .put(
                        "initiative",
                        new JsonObject()
                                .put("entries", new JsonArray())
                                .put("turn", 0)
                                .put("round", 1))
                .put("settings", new JsonObject().put("dialect", DEFAULT_DIALECT))
                .put("dice", new JsonObject().put("period", 1L).put("nonce", 0L));
    }

    public static final String DEFAULT_DIALECT = "roll20";

    /** Applies the event of sequence number {@code seq} in place. */
    public static void apply(JsonObject state, long seq, String type, JsonObject data) {
        EventType event = EventType.parse(type).orElse(null);
        // Event types this version does not know change nothing: an older node can replay a newer log.
        if (event != null) apply(state, event, data);
        state.put("seq", seq);
    }

    private static void apply(JsonObject state, EventType event, JsonObject data) {
        switch (event) {
            case SCENE_CREATED -> state.getJsonObject("scenes").put(data.getString("sceneId"), scene(data));
            case SCENE_UPDATED -> merge(
                    state.getJsonObject("scenes").getJsonObject(data.getString("sceneId")), data, "sceneId");
            case SCENE_ACTIVATED -> state.put("activeScene", data.getString("sceneId"));
            case SCENE_REMOVED -> removeScene(state, data.getString("sceneId"));
            case TOKEN_CREATED -> state.getJsonObject("tokens").put(data.getString("tokenId"), token(data));
            case TOKEN_MOVED -> tokenOf(state, data)
                    .put("x", data.getDouble("x"))
                    .put("y", data.getDouble("y"));
            case TOKEN_UPDATED -> merge(tokenOf(state, data), data, "tokenId");
            case TOKEN_HIDDEN -> tokenOf(state, data).put("hidden", true);
            case TOKEN_REVEALED -> tokenOf(state, data).put("hidden", false);
            case TOKEN_REMOVED -> {
                state.getJsonObject("tokens").remove(data.getString("tokenId"));
                removeInitiativeFor(state, data.getString("tokenId"));
            }
            case FOG_REVEALED, FOG_COVERED -> fogOf(state, data)
                    .getJsonArray("ops")
                    .add(new JsonObject()
                            .put("op", event == EventType.FOG_REVEALED ? "reveal" : "cover")
                            .put("shape", data.getJsonObject("shape")));
            case FOG_RESET -> {
                fogResets(state)
                        .put(data.getString("sceneId"), fogOf(state, data).copy());
                resetFog(state, data);
            }
            case FOG_UNDONE -> undoFog(state, data.getString("sceneId"));
            case DRAWING_CREATED -> {
                state.getJsonObject("drawings").put(data.getString("drawingId"), drawing(data));
                Walls.bumpDrawings(state, event.wire(), data);
            }
            case DRAWING_REMOVED -> {
                state.getJsonObject("drawings").remove(data.getString("drawingId"));
                Walls.bumpDrawings(state, event.wire(), data);
            }
            case INITIATIVE_ADDED -> entries(state)
                    .add(new JsonObject()
                            .put("id", data.getString("entryId"))
                            .put("name", data.getString("name"))
                            .put("tokenId", data.getString("tokenId"))
                            .put("value", data.getDouble("value"))
                            .put("effects", new JsonArray()));
            case INITIATIVE_UPDATED -> entry(state, data.getString("entryId")).put("value", data.getDouble("value"));
            case INITIATIVE_REMOVED -> removeEntry(state, data.getString("entryId"));
            case INITIATIVE_SORTED -> sortInitiative(state);
            case INITIATIVE_TURNED -> turn(state, data.getBoolean("forward"));
            case INITIATIVE_EFFECT_ADDED -> entry(state, data.getString("entryId"))
                    .getJsonArray("effects")
                    .add(new JsonObject()
                            .put("id", data.getString("effectId"))
                            .put("name", data.getString("name"))
                            .put("rounds", data.getInteger("rounds")));
            case INITIATIVE_CLEARED -> state.put(
                    "initiative",
                    new JsonObject()
                            .put("entries", new JsonArray())
                            .put("turn", 0)
                            .put("round", 1));
            case NOTE_CREATED -> {
                JsonObject note = new JsonObject()
                        .put("id", data.getString("noteId"))
                        .put("title", data.getString("title"))
                        .put("body", data.getString("body"))
                        .put("gmOnly", data.getBoolean("gmOnly"))
                        .put("author", data.getString("author"));
                // A handout's picture (an asset id); notes without one keep their old shape.
                if (data.getString("image") != null) note.put("image", data.getString("image"));
                // Chosen members (user ids) when the handout is not for every player.
                if (data.getJsonArray("shownTo") != null) note.put("shownTo", data.getJsonArray("shownTo"));
                state.getJsonObject("notes").put(data.getString("noteId"), note);
            }
            case NOTE_UPDATED -> {
                JsonObject note = state.getJsonObject("notes").getJsonObject(data.getString("noteId"));
                merge(note, data, "noteId");
                if (note.getValue("shownTo") == null) note.remove("shownTo");
            }
            case NOTE_REMOVED -> state.getJsonObject("notes").remove(data.getString("noteId"));
            case WALL_CREATED -> {
                collection(state, "walls").put(data.getString("wallId"), withId(data, "wallId"));
                Walls.bump(state, data.getString("sceneId"), event.wire(), data);
            }
            case WALL_UPDATED -> {
                // A new object, never changed in place: views share walls and lights with the state.
                JsonObject wall = collection(state, "walls")
                        .getJsonObject(data.getString("wallId"))
                        .copy();
                merge(wall, data, "wallId");
                collection(state, "walls").put(data.getString("wallId"), wall);
                Walls.bump(state, wall.getString("sceneId"), event.wire(), data);
            }
            case WALL_REMOVED -> {
                JsonObject wall = (JsonObject) collection(state, "walls").remove(data.getString("wallId"));
                Walls.bump(state, wall.getString("sceneId"), event.wire(), data);
            }
            case LIGHT_CREATED -> collection(state, "lights").put(data.getString("lightId"), withId(data, "lightId"));
            case LIGHT_UPDATED -> {
                JsonObject light = collection(state, "lights")
                        .getJsonObject(data.getString("lightId"))
                        .copy();
                merge(light, data, "lightId");
                collection(state, "lights").put(data.getString("lightId"), light);
            }
            case LIGHT_REMOVED -> collection(state, "lights").remove(data.getString("lightId"));
            case EXPLORED_ADDED -> Vision.addExplored(state, data);
            case EXPLORED_RESET -> Vision.resetExplored(state, data);
            case ROOM_SETTINGS -> settings(state).mergeIn(data);
            case DICE_SEED_ROTATED -> dice(state)
                    .put("period", data.getLong("period"))
                    .put("nonce", 0L)
                    .put("commitment", data.getString("commitment"))
                    .put("revealed", data.getJsonObject("revealed"));
            case CHAT_MESSAGE -> countVerifiableRolls(state, data);
            case CHAT_EDITED, CHAT_DELETED -> {
                // their text lives in the log and the chat table
            }
        }
    }

    /** A keyed collection added after rooms were first stored (walls, lights): created on first touch. */
    private static JsonObject collection(JsonObject state, String name) {
        if (!(state.getValue(name) instanceof JsonObject)) state.put(name, new JsonObject());
        return state.getJsonObject(name);
    }

    private static JsonObject withId(JsonObject data, String idField) {
        JsonObject entity = data.copy();
        entity.remove(idField);
        return entity.put("id", data.getString(idField));
    }

    /** The room's settings, read-only: a room stored before settings existed has the defaults. */
    public static JsonObject settingsOf(JsonObject state) {
        JsonObject settings = state.getJsonObject("settings");
        return settings == null ? new JsonObject().put("dialect", DEFAULT_DIALECT) : settings.copy();
    }

    /** The dice period and next nonce, read-only. */
    public static JsonObject diceOf(JsonObject state) {
        JsonObject dice = state.getJsonObject("dice");
        return dice == null ? new JsonObject().put("period", 1L).put("nonce", 0L) : dice.copy();
    }

    /** Rooms stored before settings existed get them on first touch. */
    private static JsonObject settings(JsonObject state) {
        if (!(state.getValue("settings") instanceof JsonObject))
            state.put("settings", new JsonObject().put("dialect", DEFAULT_DIALECT));
        return state.getJsonObject("settings");
    }

    private static JsonObject dice(JsonObject state) {
        if (!(state.getValue("dice") instanceof JsonObject))
            state.put("dice", new JsonObject().put("period", 1L).put("nonce", 0L));
        return state.getJsonObject("dice");
    }

    /** Each verifiable roll used one nonce of the period; the next roll takes the one after the last used. */
    private static void countVerifiableRolls(JsonObject state, JsonObject data) {
        JsonArray rolls = data.getJsonArray("rolls");
        if (rolls == null) return;
        for (Object roll : rolls) {
            JsonObject verify = ((JsonObject) roll).getJsonObject("verify");
            if (verify != null) dice(state).put("nonce", verify.getLong("nonce") + 1);
        }
    }

    private static JsonObject scene(JsonObject data) {
        return new JsonObject()
                .put("id", data.getString("sceneId"))
                .put("name", data.getString("name"))
                .put("image", data.getString("image"))
                .put("width", data.getDouble("width"))
                .put("height", data.getDouble("height"))
                .put("grid", data.getJsonObject("grid"))
                .put(
                        "fog",
                        new JsonObject()
                                .put("enabled", false)
                                .put("initial", "revealed")
                                .put("ops", new JsonArray()));
    }

    /** The scene, its tokens (and their initiative entries) and its drawings; the shown scene becomes none. */
    private static void removeScene(JsonObject state, String sceneId) {
        state.getJsonObject("scenes").remove(sceneId);
        if (fogBeforeReset(state, sceneId) != null) fogResets(state).remove(sceneId);
        if (sceneId.equals(state.getString("activeScene"))) state.putNull("activeScene");
        JsonObject tokens = state.getJsonObject("tokens");
        for (String tokenId : new ArrayList<>(tokens.fieldNames())) {
            if (sceneId.equals(tokens.getJsonObject(tokenId).getString("sceneId"))) {
                tokens.remove(tokenId);
                removeInitiativeFor(state, tokenId);
            }
        }
        for (String name : List.of("drawings", "walls", "lights")) {
            JsonObject entities = collection(state, name);
            for (String id : new ArrayList<>(entities.fieldNames())) {
                if (sceneId.equals(entities.getJsonObject(id).getString("sceneId"))) entities.remove(id);
            }
        }
        if (state.getValue("explored") instanceof JsonObject explored) explored.remove(sceneId);
        if (state.getValue("visionRevs") instanceof JsonObject revs) revs.remove(sceneId);
        Walls.bumpDrawings(state, EventType.SCENE_REMOVED.wire(), new JsonObject().put("sceneId", sceneId));
    }

    private static JsonObject token(JsonObject data) {
        JsonObject token = data.copy();
        token.remove("tokenId");
        return token.put("id", data.getString("tokenId"));
    }

    private static JsonObject drawing(JsonObject data) {
        JsonObject drawing = data.copy();
        drawing.remove("drawingId");
        return drawing.put("id", data.getString("drawingId"));
    }

    /** Copies every field of {@code data} except the id field onto {@code target}. */
    private static void merge(JsonObject target, JsonObject data, String idField) {
        for (String field : data.fieldNames()) if (!field.equals(idField)) target.put(field, data.getValue(field));
    }

    /**
     * The token an event changes, as a fresh copy put in its place: tokens are never changed in place, so views share
     * them (and compare them by reference) as they share walls. Events replace a token's fields whole, never change
     * what a field holds, so a shallow copy is enough (a move replays in a fraction of a deep copy's time).
     */
    private static JsonObject tokenOf(JsonObject state, JsonObject data) {
        JsonObject tokens = state.getJsonObject("tokens");
        JsonObject token = new JsonObject(new java.util.LinkedHashMap<>(
                tokens.getJsonObject(data.getString("tokenId")).getMap()));
        tokens.put(data.getString("tokenId"), token);
        return token;
    }

    private static void resetFog(JsonObject state, JsonObject data) {
        fogOf(state, data)
                .put("enabled", data.getBoolean("enabled"))
                .put("initial", data.getBoolean("covered") ? "covered" : "revealed")
                .put("ops", new JsonArray());
    }

    /**
     * The fog of each scene as it was before its last reset, so the reset can be undone; kept out of every view (the
     * GM's and the players'), since only the undo reads it.
     */
    private static JsonObject fogResets(JsonObject state) {
        if (!(state.getValue("fogBeforeReset") instanceof JsonObject)) state.put("fogBeforeReset", new JsonObject());
        return state.getJsonObject("fogBeforeReset");
    }

    /** The scene's fog before its last reset, or null when there is none to go back to. */
    static JsonObject fogBeforeReset(JsonObject state, String sceneId) {
        return state.getValue("fogBeforeReset") instanceof JsonObject resets ? resets.getJsonObject(sceneId) : null;
    }

    /** The last shape goes; with none left, the fog before the last reset comes back. */
    private static void undoFog(JsonObject state, String sceneId) {
        JsonObject fog = state.getJsonObject("scenes").getJsonObject(sceneId).getJsonObject("fog");
        JsonArray ops = fog.getJsonArray("ops");
        if (!ops.isEmpty()) {
            ops.remove(ops.size() - 1);
            return;
        }
        JsonObject before = (JsonObject) fogResets(state).remove(sceneId);
        if (before != null) fog.mergeIn(before.copy());
    }

    private static JsonObject fogOf(JsonObject state, JsonObject data) {
        return state.getJsonObject("scenes")
                .getJsonObject(data.getString("sceneId"))
                .getJsonObject("fog");
    }

    private static JsonArray entries(JsonObject state) {
        return state.getJsonObject("initiative").getJsonArray("entries");
    }

    private static JsonObject entry(JsonObject state, String entryId) {
        for (Object e : entries(state)) if (((JsonObject) e).getString("id").equals(entryId)) return (JsonObject) e;
        throw new IllegalStateException("no initiative entry " + entryId);
    }

    private static void removeEntry(JsonObject state, String entryId) {
        JsonObject initiative = state.getJsonObject("initiative");
        JsonArray entries = initiative.getJsonArray("entries");
        for (int i = 0; i < entries.size(); i++) {
            if (entries.getJsonObject(i).getString("id").equals(entryId)) {
                entries.remove(i);
                int turn = initiative.getInteger("turn");
                if (i < turn || turn >= entries.size())
                    initiative.put("turn", Math.max(0, Math.min(turn - (i < turn ? 1 : 0), entries.size() - 1)));
                return;
            }
        }
    }

    private static void removeInitiativeFor(JsonObject state, String tokenId) {
        List<String> ids = new ArrayList<>();
        for (Object e : entries(state))
            if (tokenId.equals(((JsonObject) e).getString("tokenId"))) ids.add(((JsonObject) e).getString("id"));
        ids.forEach(id -> removeEntry(state, id));
    }

    /**
     * Highest value first; ties keep their order. Before the first turn passes the fight starts at the top; later the
     * turn stays with the combatant who has it.
     */
    private static void sortInitiative(JsonObject state) {
        JsonObject initiative = state.getJsonObject("initiative");
        JsonArray entries = initiative.getJsonArray("entries");
        if (entries.isEmpty()) return;
        boolean started = initiative.getInteger("round") > 1 || initiative.getInteger("turn") > 0;
        String current = entries.getJsonObject(initiative.getInteger("turn")).getString("id");
        List<JsonObject> sorted = new ArrayList<>();
        entries.forEach(e -> sorted.add((JsonObject) e));
        sorted.sort(Comparator.comparingDouble((JsonObject e) -> e.getDouble("value"))
                .reversed());
        JsonArray out = new JsonArray();
        sorted.forEach(out::add);
        initiative.put("entries", out);
        if (!started) return;
        for (int i = 0; i < sorted.size(); i++)
            if (sorted.get(i).getString("id").equals(current)) initiative.put("turn", i);
    }

    /**
     * Moves the turn. Going forward, the combatant whose turn begins has its effects tick down by one round, and
     * effects that reach zero end; wrapping past the last combatant starts the next round. Going back only moves the
     * pointer (effects do not come back).
     */
    private static void turn(JsonObject state, boolean forward) {
        JsonObject initiative = state.getJsonObject("initiative");
        JsonArray entries = initiative.getJsonArray("entries");
        if (entries.isEmpty()) return;
        int turn = initiative.getInteger("turn");
        int round = initiative.getInteger("round");
        if (forward) {
            turn++;
            if (turn >= entries.size()) {
                turn = 0;
                round++;
            }
            JsonArray effects = entries.getJsonObject(turn).getJsonArray("effects");
            JsonArray remaining = new JsonArray();
            for (Object e : effects) {
                JsonObject effect = (JsonObject) e;
                int rounds = effect.getInteger("rounds") - 1;
                if (rounds > 0) remaining.add(effect.copy().put("rounds", rounds));
            }
            entries.getJsonObject(turn).put("effects", remaining);
        } else {
            turn--;
            if (turn < 0) {
                if (round == 1) turn = 0;
                else {
                    turn = entries.size() - 1;
                    round--;
                }
            }
        }
        initiative.put("turn", turn).put("round", round);
    }
}
