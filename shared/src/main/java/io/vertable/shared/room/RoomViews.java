package io.vertable.shared.room;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What each role may see of a room, and view patches: the difference between two views, which is all a
 * client ever receives. A player's view holds only the scene players are shown, its tokens that are neither hidden nor
 * under fog, its drawings and fog outline, notes shown to every player, and initiative entries of visible tokens. Because player
 * patches are diffs of player views, nothing outside the player view can reach a player's browser.
 */
public final class RoomViews {

    /** The keyed collections of a view; a patch upserts and removes entries of these. */
    public static final List<String> COLLECTIONS = List.of("scenes", "tokens", "drawings", "notes", "walls", "lights");

    private RoomViews() {}

    /** The GM's view: everything but the bookkeeping fields. */
    public static JsonObject gm(JsonObject state) {
        JsonObject view = new JsonObject().put("activeScene", state.getString("activeScene"));
        for (String collection : COLLECTIONS) view.put(collection, copyOf(state, collection));
        view.put("initiative", state.getJsonObject("initiative").copy());
        return withRoomWide(view, state);
    }

    /**
     * A view's copy of a collection. Walls, lights, drawings and tokens are never changed in place (the reducer replaces
     * or removes one that changes), so views share them: a scene's thousand wall segments are neither copied nor
     * compared per event, and an unchanged token compares equal by reference.
     */
    private static JsonObject copyOf(JsonObject state, String collection) {
        JsonObject entries = state.getJsonObject(collection, new JsonObject());
        if (!SHARED.contains(collection)) return entries.copy();
        Object revision = revisionOf(state, collection);
        if (revision == null) return shallowCopy(entries);
        // Walls and drawings have revisions: an unchanged collection is the same object in every view, which a diff
        // skips whole instead of looking up each of a scene's walls.
        return COPIES.get(entries, revision, () -> shallowCopy(entries));
    }

    private static JsonObject shallowCopy(JsonObject entries) {
        return new JsonObject(new java.util.LinkedHashMap<>(entries.getMap()));
    }

    /** What changes whenever a collection does, or null when nothing tells (tokens and lights). */
    private static Object revisionOf(JsonObject state, String collection) {
        return switch (collection) {
                // A copy of the scenes' wall revisions (the state's map changes in place): compared, not printed.
            case "walls" -> state.getValue("visionRevs") instanceof JsonObject revs
                    ? new java.util.HashMap<>(revs.getMap())
                    : java.util.Map.of();
            case "drawings" -> Walls.drawingsRevision(state);
            default -> null;
        };
    }

    /**
     * Walls, drawings and doors of GM and shared player views, by the state's collection they come from and its
     * revision. Shared between views: never change one.
     */
    private static final Derived<JsonObject> COPIES = Derived.whileUsed();

    private static final Derived<JsonObject> SHOWN_DRAWINGS = Derived.whileUsed();
    private static final Derived<JsonObject> SHOWN_DOORS = Derived.whileUsed();

    /** What the shared player view's drawings or doors are worked out for: the shown scene and a revision. */
    private record ShownRevision(String scene, long revision) {}

    private static final Set<String> SHARED = Set.of("walls", "lights", "drawings", "tokens");

    /**
     * Settings and the dice period are the same for everyone; the nonce is not in views (a roll carries its own), so a
     * roll changes no view.
     */
    private static JsonObject withRoomWide(JsonObject view, JsonObject state) {
        JsonObject dice = RoomReducer.diceOf(state);
        JsonObject shown = new JsonObject().put("period", dice.getLong("period"));
        // The current period's commitment, published before any roll of it (the first period's comes with the join).
        if (dice.getString("commitment") != null) shown.put("commitment", dice.getString("commitment"));
        // The last revealed seed is public: everyone at the table can check the period that just ended.
        if (dice.getJsonObject("revealed") != null) shown.put("revealed", dice.getJsonObject("revealed"));
        return view.put("settings", RoomReducer.settingsOf(state)).put("dice", shown);
    }

    /** The view of players with no view of their own (no token and no memory on the shown scene), observers too. */
    public static JsonObject player(JsonObject state) {
        return player(state, Vision.of(state), null);
    }

    /** The view of one player (null: of nobody in particular) given the shown scene's vision (null when off). */
    public static JsonObject player(JsonObject state, Vision vision, String userId) {
        Vision.PlayerSight sight = vision == null ? null : vision.of(userId);
        String active = state.getString("activeScene");
        JsonObject scene = active == null ? null : state.getJsonObject("scenes").getJsonObject(active);
        JsonObject view = new JsonObject().put("activeScene", active);
        JsonObject scenes = new JsonObject();
        JsonObject shared = vision == null ? null : vision.playerScene(state);
        if (scene != null) scenes.put(active, shared != null ? shared : playerScene(scene));
        view.put("scenes", scenes);
        JsonObject tokens = new JsonObject();
        Set<String> visible = new HashSet<>();
        // With vision on, the tokens players may see at all were picked out once for every view of this event.
        List<java.util.Map.Entry<String, Object>> shown = vision == null ? null : vision.shownTokens(state);
        Iterable<java.util.Map.Entry<String, Object>> candidates =
                shown != null ? shown : state.getJsonObject("tokens");
        for (java.util.Map.Entry<String, Object> entry : candidates) {
            JsonObject token = (JsonObject) entry.getValue();
            if ((shown != null || visibleToPlayers(scene, token))
                    && (sight == null || owns(token, userId) || sight.sees(token))) {
                tokens.put(entry.getKey(), playerToken(token));
                visible.add(entry.getKey());
            }
        }
        view.put("tokens", tokens);
        view.put(
                "drawings",
                sight == null
                        ? SHOWN_DRAWINGS.get(
                                state.getJsonObject("drawings"),
                                new ShownRevision(active, Walls.drawingsRevision(state)),
                                () -> playerDrawings(state, active, null))
                        : sight.part(
                                "drawings:" + Walls.drawingsRevision(state),
                                () -> playerDrawings(state, active, sight)));
        view.put(
                "walls",
                sight == null
                        ? SHOWN_DOORS.get(
                                Walls.walls(state),
                                new ShownRevision(active, active == null ? 0L : Walls.revision(state, active)),
                                () -> playerDoors(state, active, null))
                        : sight.part("doors", () -> playerDoors(state, active, sight)));
        view.put("lights", new JsonObject());
        JsonObject notes = new JsonObject();
        state.getJsonObject("notes").forEach(entry -> {
            JsonObject note = (JsonObject) entry.getValue();
            if (!note.getBoolean("gmOnly") && note.getJsonArray("shownTo") == null)
                notes.put(entry.getKey(), note.copy());
        });
        view.put("notes", notes);
        view.put(
                "initiative",
                playerInitiative(state.getJsonObject("initiative"), state.getJsonObject("tokens"), visible));
        if (sight != null) view.put("vision", sight.sharedMask()).put("explored", sight.explored());
        return withRoomWide(view, state);
    }

    /** With vision on, the map image is not named: players fetch the tiles they explored ({@link SceneTiles}). */
    static JsonObject playerScene(JsonObject scene) {
        JsonObject shown = scene.copy();
        if (SceneTiles.tiled(scene)) {
            shown.remove("image");
            shown.put("tiled", true);
        }
        return shown;
    }

    /**
     * The drawings of the shown scene (with vision on, those the player sees or remembers). With vision on, views share
     * this part (by the player's sight and the drawings' revision), as they share walls: never change it.
     */
    private static JsonObject playerDrawings(JsonObject state, String active, Vision.PlayerSight sight) {
        JsonObject drawings = new JsonObject();
        state.getJsonObject("drawings").forEach(entry -> {
            JsonObject drawing = (JsonObject) entry.getValue();
            if (active != null
                    && active.equals(drawing.getString("sceneId"))
                    && (sight == null || sight.seesAny(drawing))) {
                // Shared, not copied: the reducer never changes a drawing in place, so an unchanged one compares equal
                // by
                // reference when a player's drawings are worked out again (the mover's, twice a move).
                drawings.put(entry.getKey(), drawing);
            }
        });
        return drawings;
    }

    private static boolean owns(JsonObject token, String userId) {
        return userId != null && token.getJsonArray("owners", new JsonArray()).contains(userId);
    }

    /**
     * Players get the doors of the shown scene (to open them), and no other wall: with vision on, only doors they see
     * or have explored.
     */
    private static JsonObject playerDoors(JsonObject state, String active, Vision.PlayerSight sight) {
        JsonObject doors = new JsonObject();
        if (active == null) return doors;
        for (java.util.Map.Entry<String, JsonObject> door : Walls.doors(state, active))
            if (sight == null || sight.seesAny(door.getValue())) doors.put(door.getKey(), door.getValue());
        return doors;
    }

    /**
     * A token as players get it: hit points only when everyone may see them (owners get theirs from
     * {@link #ownerSecrets}), the name not at all when the GM hides it, the linked sheet only when someone plays it.
     */
    static JsonObject playerToken(JsonObject token) {
        boolean nothingToHide = "all".equals(token.getString("hpVisibility", "all"))
                && !"never".equals(token.getString("nameVisibility"))
                && (!token.containsKey("sheetId")
                        || !token.getJsonArray("owners", new JsonArray()).isEmpty());
        // Tokens are never changed in place (the reducer replaces one that changes): views may share them.
        if (nothingToHide) return token;
        JsonObject shown = token.copy();
        if (!"all".equals(token.getString("hpVisibility", "all"))) {
            shown.remove("hp");
            shown.remove("maxHp");
        }
        if ("never".equals(token.getString("nameVisibility"))) shown.put("name", "");
        // A sheet behind a token nobody plays is the GM's (an NPC's): players do not even learn which one.
        if (token.getJsonArray("owners", new JsonArray()).isEmpty()) shown.remove("sheetId");
        return shown;
    }

    /**
     * What each player sees beyond the shared player view: the hit points of the visible tokens they own whose HP is
     * shown to owners. Keyed by user id; users with nothing are absent.
     */
    public static java.util.Map<String, JsonObject> ownerSecrets(JsonObject state) {
        String active = state.getString("activeScene");
        JsonObject scene = active == null ? null : state.getJsonObject("scenes").getJsonObject(active);
        java.util.Map<String, JsonObject> secrets = new java.util.TreeMap<>();
        state.getJsonObject("tokens").forEach(entry -> {
            JsonObject token = (JsonObject) entry.getValue();
            if (!"owners".equals(token.getString("hpVisibility")) || !visibleToPlayers(scene, token)) return;
            JsonObject hp = new JsonObject().put("hp", token.getValue("hp")).put("maxHp", token.getValue("maxHp"));
            for (Object owner : token.getJsonArray("owners", new JsonArray())) {
                secrets.computeIfAbsent((String) owner, id -> new JsonObject()).put(entry.getKey(), hp);
            }
        });
        return secrets;
    }

    /**
     * The handouts shown to chosen members, per member: keyed by user id, each the notes (by id) shown to that member
     * alone or with others, without the list of who else reads them. Members shown nothing are absent.
     */
    public static java.util.Map<String, JsonObject> shownNotes(JsonObject state) {
        java.util.Map<String, JsonObject> shown = new java.util.TreeMap<>();
        state.getJsonObject("notes").forEach(entry -> {
            JsonObject note = (JsonObject) entry.getValue();
            JsonArray shownTo = note.getJsonArray("shownTo");
            if (note.getBoolean("gmOnly") || shownTo == null) return;
            JsonObject copy = note.copy();
            copy.remove("shownTo");
            for (Object userId : shownTo)
                shown.computeIfAbsent((String) userId, id -> new JsonObject()).put(entry.getKey(), copy);
        });
        return shown;
    }

    public static JsonObject forRole(JsonObject state, boolean gm) {
        return gm ? gm(state) : player(state);
    }

    /** On the shown scene, not hidden, not on the GM layer, and its centre not under fog. */
    public static boolean visibleToPlayers(JsonObject activeScene, JsonObject token) {
        if (activeScene == null || token.getBoolean("hidden", false) || "gm".equals(token.getString("layer")))
            return false;
        if (!activeScene.getString("id").equals(token.getString("sceneId"))) return false;
        return !Geometry.covered(activeScene.getJsonObject("fog"), token.getDouble("x"), token.getDouble("y"));
    }

    /**
     * Entries tied to a token players cannot see are left out; the turn pointer follows the current combatant (or
     * the next visible one, so a hidden monster's turn does not announce itself).
     */
    private static JsonObject playerInitiative(JsonObject initiative, JsonObject tokens, Set<String> visible) {
        JsonArray entries = initiative.getJsonArray("entries");
        JsonArray shown = new JsonArray();
        int turn = initiative.getInteger("turn");
        int shownTurn = 0;
        boolean turnFound = false;
        for (int i = 0; i < entries.size(); i++) {
            JsonObject entry = entries.getJsonObject(i);
            String tokenId = entry.getString("tokenId");
            boolean show = tokenId == null || visible.contains(tokenId);
            if (!show) continue;
            if (!turnFound && i >= turn) {
                shownTurn = shown.size();
                turnFound = true;
            }
            shown.add(entry.copy());
        }
        return new JsonObject()
                .put("entries", shown)
                .put("turn", turnFound ? shownTurn : 0)
                .put("round", initiative.getInteger("round"));
    }

    /**
     * The one player whose own view is all an event changes, or null: cells added to a player's explored area change
     * their view alone (no other view shows them), so the room owner rebuilds that view only.
     */
    public static String onlyViewOf(String type, JsonObject data) {
        return io.vertable.shared.wire.EventType.EXPLORED_ADDED.wire().equals(type) ? data.getString("userId") : null;
    }

    /** The patch that turns view {@code before} into view {@code after}; empty when they are equal. */
    public static JsonObject diff(JsonObject before, JsonObject after) {
        JsonObject patch = new JsonObject();
        JsonObject upsert = new JsonObject();
        JsonObject remove = new JsonObject();
        for (String collection : COLLECTIONS) {
            JsonObject was = before.getJsonObject(collection);
            JsonObject now = after.getJsonObject(collection);
            // A part shared by both views (walls, a player's drawings while their sight and the drawings stay): equal.
            if (was == now) continue;
            JsonArray changed = new JsonArray();
            JsonArray gone = new JsonArray();
            if (!changedInStep(was, now, changed)) {
                now.forEach(entry -> {
                    if (!entry.getValue().equals(was.getValue(entry.getKey()))) changed.add(entry.getValue());
                });
                was.fieldNames().forEach(id -> {
                    if (!now.containsKey(id)) gone.add(id);
                });
            }
            if (!changed.isEmpty()) upsert.put(collection, changed);
            if (!gone.isEmpty()) remove.put(collection, gone);
        }
        if (!upsert.isEmpty()) patch.put("upsert", upsert);
        if (!remove.isEmpty()) patch.put("remove", remove);
        if (!java.util.Objects.equals(before.getString("activeScene"), after.getString("activeScene"))) {
            patch.put("activeScene", after.getString("activeScene"));
        }
        if (!before.getJsonObject("initiative").equals(after.getJsonObject("initiative"))) {
            patch.put("initiative", after.getJsonObject("initiative").copy());
        }
        for (String roomWide : ROOM_WIDE) {
            if (!java.util.Objects.equals(before.getValue(roomWide), after.getValue(roomWide))) {
                JsonObject now = after.getJsonObject(roomWide);
                patch.put(roomWide, now == null ? null : now.copy());
            }
        }
        return patch;
    }

    /**
     * The entries of {@code now} that differ from {@code was}'s, when both hold the same ids in the same order (views of
     * one room list entries in the state's order, so they mostly do): one walk of both, no look-ups. False, with
     * {@code changed} left empty, when the ids differ; the caller then compares by id.
     */
    private static boolean changedInStep(JsonObject was, JsonObject now, JsonArray changed) {
        if (was.size() != now.size()) return false;
        java.util.Iterator<java.util.Map.Entry<String, Object>> before = was.iterator(), after = now.iterator();
        List<Object> differing = new java.util.ArrayList<>();
        while (after.hasNext()) {
            java.util.Map.Entry<String, Object> old = before.next(), current = after.next();
            if (!old.getKey().equals(current.getKey())) return false;
            if (!current.getValue().equals(old.getValue())) differing.add(current.getValue());
        }
        differing.forEach(changed::add);
        return true;
    }

    /** Whole values a patch replaces: the room's settings and dice, and a player's vision mask and explored cells. */
    private static final List<String> ROOM_WIDE = List.of("settings", "dice", "vision", "explored");

    /** Applies a patch to a view in place: what the browser client does with every event. */
    public static void applyPatch(JsonObject view, JsonObject patch) {
        JsonObject upsert = patch.getJsonObject("upsert", new JsonObject());
        JsonObject remove = patch.getJsonObject("remove", new JsonObject());
        for (String collection : COLLECTIONS) {
            // A copy to change: a view's collections may be shared with other views.
            JsonObject entries = shallowCopy(view.getJsonObject(collection));
            view.put(collection, entries);
            remove.getJsonArray(collection, new JsonArray()).forEach(id -> entries.remove((String) id));
            upsert.getJsonArray(collection, new JsonArray())
                    .forEach(e -> entries.put(((JsonObject) e).getString("id"), ((JsonObject) e).copy()));
        }
        if (patch.containsKey("activeScene")) view.put("activeScene", patch.getString("activeScene"));
        if (patch.containsKey("initiative"))
            view.put("initiative", patch.getJsonObject("initiative").copy());
        for (String roomWide : ROOM_WIDE) {
            if (patch.containsKey(roomWide)) {
                JsonObject now = patch.getJsonObject(roomWide);
                view.put(roomWide, now == null ? null : now.copy());
            }
        }
    }
}
