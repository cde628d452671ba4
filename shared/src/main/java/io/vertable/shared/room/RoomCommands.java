package io.vertable.shared.room;

import io.vertable.shared.RoomRole;
import io.vertable.shared.dice.Dialect;
import io.vertable.shared.room.Geometry.Invalid;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.EventType;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.RoomOp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides what a room command does: checks the actor's rights and the input against the current state, and answers
 * with the events to append (or a refusal). Pure — ids come from the caller — so the same command on the same state
 * always decides the same way, and tests need no server.
 */
public final class RoomCommands {

    public static final int MAX_SCENES = 100;
    public static final int MAX_TOKENS = 2_000;
    public static final int MAX_DRAWINGS = 5_000;
    public static final int MAX_NOTES = 500;
    public static final int MAX_FOG_OPS = 2_000;
    public static final int MAX_INITIATIVE = 200;
    public static final int MAX_NOTE_LENGTH = 20_000;
    /** The most members a handout is shown to by name (more is "every player"). */
    public static final int MAX_RECIPIENTS = 100;
    /** Points of all drawings and fog polygons of a room: every event re-derives views, so their size is bounded. */
    public static final int MAX_ROOM_POINTS = 50_000;
    /** Drawings one player may have in a room, so one player cannot use up the room's budget. */
    public static final int MAX_DRAWINGS_PER_PLAYER = 200;

    /** Tokens one command may move, hide, reveal, remove or copy at once. */
    public static final int MAX_BATCH = 100;

    /** Who sends the command, from the bridge's trusted headers. */
    public record Actor(String userId, RoomRole role) {
        boolean gm() {
            return role == RoomRole.GM;
        }
    }

    /** One event to append: its type and data. */
    public record Change(String type, JsonObject data) {
        public Change(EventType type, JsonObject data) {
            this(type.wire(), data);
        }
    }

    /** The events, or why there are none. */
    public record Decision(List<Change> changes, Failure failure) {
        static Decision of(Change... changes) {
            return new Decision(List.of(changes), null);
        }

        static Decision refuse(ErrorCode code, String message) {
            return new Decision(List.of(), Failure.of(code, message));
        }

        public boolean accepted() {
            return failure == null;
        }
    }

    private RoomCommands() {}

    /** Who may own tokens: the room's members (not banned), looked up by the caller when a command names owners. */
    @FunctionalInterface
    public interface Members {
        boolean contains(String userId);

        /** For commands that name no owners: any owner named anyway is refused. */
        Members UNKNOWN = userId -> false;
    }

    /** Whether {@code body} names owners: then the caller must look up the room's members first. */
    public static boolean namesOwners(JsonObject body) {
        if (body.getValue("tokens") instanceof JsonArray tokens) {
            for (Object token : tokens) if (token instanceof JsonObject item && namesOwners(item)) return true;
        }
        return body.getValue("owners") instanceof JsonArray owners && !owners.isEmpty()
                || body.getValue("shownTo") instanceof JsonArray shownTo && !shownTo.isEmpty();
    }

    public static Decision decide(JsonObject state, String op, JsonObject body, Actor actor, Supplier<String> ids) {
        return decide(state, op, body, actor, ids, Members.UNKNOWN);
    }

    public static Decision decide(
            JsonObject state, String op, JsonObject body, Actor actor, Supplier<String> ids, Members members) {
        if (op == null) return Decision.refuse(ErrorCode.BAD_REQUEST, "op is required");
        Failure watching = actor.role().refusalToAct("play");
        if (watching != null) return new Decision(List.of(), watching);
        RoomOp known = RoomOp.parse(op).orElse(null);
        if (known == null) return Decision.refuse(ErrorCode.BAD_REQUEST, "unknown op " + op);
        if (!known.allows(actor.role())) return Decision.refuse(ErrorCode.GM_ONLY, null);
        try {
            return switch (known) {
                case SCENE_CREATE -> createScene(state, body, ids);
                case SCENE_UPDATE -> updateScene(state, body);
                case SCENE_REMOVE -> removeScene(state, body);
                case SCENE_ACTIVATE -> Decision.of(
                        new Change(EventType.SCENE_ACTIVATED, new JsonObject().put("sceneId", sceneId(state, body))));
                case TOKEN_CREATE -> createToken(state, body, ids, members);
                case TOKEN_MOVE -> moveToken(state, body, actor);
                case TOKEN_UPDATE -> updateToken(state, body, actor, members);
                case TOKEN_HIDE, TOKEN_REVEAL, TOKEN_REMOVE -> {
                    String tokenId = tokenId(state, body);
                    EventType type =
                            switch (known) {
                                case TOKEN_HIDE -> EventType.TOKEN_HIDDEN;
                                case TOKEN_REVEAL -> EventType.TOKEN_REVEALED;
                                default -> EventType.TOKEN_REMOVED;
                            };
                    yield Decision.of(new Change(type, new JsonObject().put("tokenId", tokenId)));
                }
                case TOKENS_MOVE -> moveTokens(state, body, actor);
                case TOKENS_HIDE, TOKENS_REVEAL, TOKENS_REMOVE -> eachToken(state, body, known);
                case TOKENS_COPY -> copyTokens(state, body, ids);
                case TOKENS_PASTE -> pasteTokens(state, body, ids, members);
                case SCENE_REORDER -> reorderScenes(state, body);
                case DRAWING_UNDO -> undoDrawing(state, body, actor);
                case FOG_UNDO -> undoFog(state, body);
                case FOG_REVEAL, FOG_COVER -> fogShape(
                        state, body, known == RoomOp.FOG_REVEAL ? EventType.FOG_REVEALED : EventType.FOG_COVERED);
                case FOG_RESET -> Decision.of(new Change(
                        EventType.FOG_RESET,
                        new JsonObject()
                                .put("sceneId", sceneId(state, body))
                                .put("enabled", Check.flag(body, "enabled", true))
                                .put("covered", Check.flag(body, "covered", true))));
                case DRAWING_CREATE -> createDrawing(state, body, actor, ids);
                case DRAWING_REMOVE -> removeDrawing(state, body, actor);
                case INITIATIVE_ADD -> addInitiative(state, body, ids);
                case INITIATIVE_SET -> Decision.of(new Change(
                        EventType.INITIATIVE_UPDATED,
                        new JsonObject()
                                .put("entryId", entryId(state, body))
                                .put("value", Check.number(body, "value", -1000, 1000, 0))));
                case INITIATIVE_REMOVE -> Decision.of(new Change(
                        EventType.INITIATIVE_REMOVED, new JsonObject().put("entryId", entryId(state, body))));
                case INITIATIVE_SORT -> Decision.of(new Change(EventType.INITIATIVE_SORTED, new JsonObject()));
                case INITIATIVE_NEXT, INITIATIVE_PREVIOUS -> Decision.of(new Change(
                        EventType.INITIATIVE_TURNED, new JsonObject().put("forward", known == RoomOp.INITIATIVE_NEXT)));
                case INITIATIVE_EFFECT -> Decision.of(new Change(
                        EventType.INITIATIVE_EFFECT_ADDED,
                        new JsonObject()
                                .put("entryId", entryId(state, body))
                                .put("effectId", ids.get())
                                .put("name", Check.text(body, "name", 80, true))
                                .put(
                                        "rounds",
                                        Check.optionalInt(body, "rounds", 1, 1000) == null
                                                ? 1
                                                : Check.optionalInt(body, "rounds", 1, 1000))));
                case INITIATIVE_CLEAR -> Decision.of(new Change(EventType.INITIATIVE_CLEARED, new JsonObject()));
                case ROOM_SETTINGS -> settings(body);
                case WALL_CREATE -> createWall(state, body, ids);
                case WALL_UPDATE -> updateWall(state, body);
                case WALL_REMOVE -> Decision.of(
                        new Change(EventType.WALL_REMOVED, new JsonObject().put("wallId", wallId(state, body))));
                case DOOR_SET -> setDoor(state, body, actor);
                case LIGHT_CREATE -> createLight(state, body, ids);
                case LIGHT_UPDATE -> updateLight(state, body);
                case LIGHT_REMOVE -> Decision.of(new Change(
                        EventType.LIGHT_REMOVED,
                        new JsonObject().put("lightId", existing(state, body, "lightId", "lights", "light"))));
                case EXPLORED_RESET -> resetExplored(state, body);
                case NOTE_CREATE -> createNote(state, body, actor, ids, members);
                case NOTE_UPDATE -> updateNote(state, body, members);
                case NOTE_REMOVE -> Decision.of(
                        new Change(EventType.NOTE_REMOVED, new JsonObject().put("noteId", noteId(state, body))));
            };
        } catch (Invalid e) {
            return Decision.refuse(ErrorCode.BAD_REQUEST, e.getMessage());
        } catch (NotFound e) {
            return Decision.refuse(ErrorCode.NOT_FOUND, e.getMessage());
        } catch (Refused e) {
            return Decision.refuse(e.code, e.getMessage());
        }
    }

    /** Who sees a token's hit points: the GM only, its owners too, or everyone at the table. */
    public static final Set<String> HP_VISIBILITY = Set.of("gm", "owners", "all");
    /** When players see a token's name: on hover, always under it, or never (the player view drops it). */
    public static final Set<String> NAME_VISIBILITY = Set.of("hover", "always", "never");

    public static final int MAX_NAME_LENGTH = 80;
    public static final double MIN_TOKEN_SIZE = 0.25;
    public static final double MAX_TOKEN_SIZE = 20;
    public static final int MAX_OWNERS = 20;
    public static final int MAX_CONDITIONS = 20;
    public static final int MAX_CONDITION_LENGTH = 40;

    /**
     * The command as this version understands it: its envelope and the fields its op reads, nothing else. An unknown
     * op keeps only its envelope (it is refused anyway).
     */
    public static JsonObject understood(JsonObject body) {
        Set<String> fields = body.getValue("op") instanceof String op
                ? RoomOp.parse(op).map(RoomOp::fields).orElse(Set.of())
                : Set.of();
        JsonObject kept = new JsonObject();
        for (String field : body.fieldNames()) {
            if (RoomOp.ENVELOPE.contains(field) || fields.contains(field)) kept.put(field, body.getValue(field));
        }
        return kept;
    }

    // ---- settings ----

    /** The room's dice dialect (docs/dice.md); more settings join here. */
    private static Decision settings(JsonObject body) throws Invalid {
        Object dialect = body.getValue("dialect");
        if (!(dialect instanceof String name) || Dialect.fromName(name).isEmpty())
            throw new Invalid("dialect must be roll20 or foundry");
        return Decision.of(new Change(
                EventType.ROOM_SETTINGS,
                new JsonObject().put("dialect", Dialect.fromName(name).get().wireName())));
    }

    // ---- scenes ----

    private static Decision createScene(JsonObject state, JsonObject body, Supplier<String> ids)
            throws Invalid, Refused {
        if (state.getJsonObject("scenes").size() >= MAX_SCENES)
            throw new Refused(ErrorCode.CONFLICT, "at most " + MAX_SCENES + " scenes");
        String sceneId = ids.get();
        Change created = new Change(
                EventType.SCENE_CREATED,
                new JsonObject()
                        .put("sceneId", sceneId)
                        .put("name", Check.text(body, "name", MAX_NAME_LENGTH, true))
                        .put("image", Check.text(body, "image", 64, false))
                        .put("width", Check.number(body, "width", 1, MAX_SCENE_SIDE, 2_000))
                        .put("height", Check.number(body, "height", 1, MAX_SCENE_SIDE, 2_000))
                        .put("grid", grid(body.getValue("grid"))));
        if (state.getString("activeScene") != null) return Decision.of(created);
        return Decision.of(created, new Change(EventType.SCENE_ACTIVATED, new JsonObject().put("sceneId", sceneId)));
    }

    private static Decision updateScene(JsonObject state, JsonObject body) throws Invalid, NotFound {
        JsonObject data = new JsonObject().put("sceneId", sceneId(state, body));
        if (body.containsKey("name")) data.put("name", Check.text(body, "name", 80, true));
        if (body.containsKey("image")) data.put("image", Check.text(body, "image", 64, false));
        if (body.containsKey("width")) data.put("width", Check.number(body, "width", 1, MAX_SCENE_SIDE, 2_000));
        if (body.containsKey("height")) data.put("height", Check.number(body, "height", 1, MAX_SCENE_SIDE, 2_000));
        if (body.containsKey("grid")) data.put("grid", grid(body.getValue("grid")));
        if (body.containsKey("vision")) data.put("vision", Check.flag(body, "vision", false));
        if (body.containsKey("darkness")) data.put("darkness", Check.number(body, "darkness", 0, 1, 0));
        return Decision.of(new Change(EventType.SCENE_UPDATED, data));
    }

    /** Grid types: square, hexes in rows (pointy-top; "hex" for short), hexes in columns (flat-top), or none. */
    public static final Set<String> GRID_TYPES = Set.of("square", "hex", "hexColumns", "none");

    public static final double MIN_CELL = 8;
    public static final double MAX_CELL = 1_000;
    public static final double MAX_SCENE_SIDE = 100_000;

    private static JsonObject grid(Object value) throws Invalid {
        if (value != null && !(value instanceof JsonObject)) throw new Invalid("grid must be an object");
        JsonObject grid = value instanceof JsonObject g ? g : new JsonObject();
        Object type = grid.getValue("type", "square");
        if (!(type instanceof String name) || !GRID_TYPES.contains(name))
            throw new Invalid("grid type must be square, hex, hexColumns or none");
        double size = Check.number(grid, "size", MIN_CELL, MAX_CELL, 70);
        return new JsonObject()
                .put("type", type)
                .put("size", size)
                // An offset beyond one cell is the same grid as a smaller one: it is kept within a cell.
                .put("offsetX", Check.number(grid, "offsetX", -MAX_CELL, MAX_CELL, 0) % size)
                .put("offsetY", Check.number(grid, "offsetY", -MAX_CELL, MAX_CELL, 0) % size)
                .put("units", grid.getValue("units") == null ? "ft" : Check.text(grid, "units", 12, true))
                .put("unitsPerCell", Check.number(grid, "unitsPerCell", 0.01, 10_000, 5));
    }

    /**
     * A scene goes with its tokens and drawings. When players are on it, the event also ends what they are shown
     * (activeScene becomes null), so their table says the GM shows no scene rather than keeping a scene that is gone.
     */
    private static Decision removeScene(JsonObject state, JsonObject body) throws Invalid, NotFound {
        return Decision.of(new Change(EventType.SCENE_REMOVED, new JsonObject().put("sceneId", sceneId(state, body))));
    }

    // ---- tokens ----

    private static Decision createToken(JsonObject state, JsonObject body, Supplier<String> ids, Members members)
            throws Invalid, NotFound, Refused {
        if (state.getJsonObject("tokens").size() >= MAX_TOKENS)
            throw new Refused(ErrorCode.CONFLICT, "at most " + MAX_TOKENS + " tokens");
        JsonObject data = new JsonObject()
                .put("tokenId", ids.get())
                .put("sceneId", sceneId(state, body))
                .put("name", Check.text(body, "name", MAX_NAME_LENGTH, true))
                .put("image", Check.text(body, "image", 64, false))
                .put("color", Check.color(body, "color", "#607d8b"))
                .put("x", Check.coordinate(body, "x"))
                .put("y", Check.coordinate(body, "y"))
                .put("size", Check.number(body, "size", MIN_TOKEN_SIZE, MAX_TOKEN_SIZE, 1))
                .put("rotation", Check.number(body, "rotation", -360, 360, 0))
                .put("layer", layer(body))
                .put("owners", owners(body, members))
                .put("hidden", Check.flag(body, "hidden", false))
                .put("locked", Check.flag(body, "locked", false))
                .put("hp", Check.optionalInt(body, "hp", -100_000, 100_000))
                .put("maxHp", Check.optionalInt(body, "maxHp", 0, 100_000))
                .put("conditions", conditions(body));
        if (body.getValue("hpVisibility") != null)
            data.put("hpVisibility", choice(body, "hpVisibility", HP_VISIBILITY));
        if (body.getValue("nameVisibility") != null)
            data.put("nameVisibility", choice(body, "nameVisibility", NAME_VISIBILITY));
        if (body.getValue("sight") != null) data.put("sight", sight(body.getValue("sight")));
        if (body.getValue("light") != null) data.put("light", tokenLight(body.getValue("light")));
        if (body.getValue("sheetId") != null) data.put("sheetId", sheetId(body));
        return Decision.of(new Change(EventType.TOKEN_CREATED, data));
    }

    /** Owners are user ids of the room's members; a name or a stranger's id would give the token to nobody. */
    private static JsonArray owners(JsonObject body, Members members) throws Invalid, Refused {
        JsonArray owners = Check.strings(body.getValue("owners"), "owners", MAX_OWNERS, 64);
        for (Object owner : owners) {
            if (!members.contains((String) owner))
                throw new Refused(ErrorCode.OWNER_NOT_A_MEMBER, "owners must be members of this room");
        }
        return owners;
    }

    private static JsonArray conditions(JsonObject body) throws Invalid {
        JsonArray conditions =
                Check.strings(body.getValue("conditions"), "conditions", MAX_CONDITIONS, MAX_CONDITION_LENGTH);
        for (Object condition : conditions) {
            if (((String) condition).isBlank() || ((String) condition).chars().anyMatch(Character::isISOControl))
                throw new Invalid("conditions must be visible text");
        }
        return conditions;
    }

    private static String choice(JsonObject body, String field, Set<String> allowed) throws Invalid {
        Object value = body.getValue(field);
        if (!(value instanceof String text) || !allowed.contains(text))
            throw new Invalid(field + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
        return text;
    }

    private static String layer(JsonObject body) throws Invalid {
        String layer = body.getValue("layer") == null ? "tokens" : Check.text(body, "layer", 16, true);
        if (!Set.of("map", "tokens", "gm").contains(layer)) throw new Invalid("layer must be map, tokens or gm");
        return layer;
    }

    private static Decision moveToken(JsonObject state, JsonObject body, Actor actor)
            throws Invalid, NotFound, Refused {
        String tokenId = tokenId(state, body);
        JsonObject token = state.getJsonObject("tokens").getJsonObject(tokenId);
        if (!actor.gm()) requirePlayerMayTouch(state, token, actor, true);
        double x = Check.coordinate(body, "x"), y = Check.coordinate(body, "y");
        if (!actor.gm()) requirePathClear(state, token, x, y);
        return Decision.of(new Change(
                EventType.TOKEN_MOVED,
                new JsonObject().put("tokenId", tokenId).put("x", x).put("y", y)));
    }

    private static Decision updateToken(JsonObject state, JsonObject body, Actor actor, Members members)
            throws Invalid, NotFound, Refused {
        String tokenId = tokenId(state, body);
        JsonObject token = state.getJsonObject("tokens").getJsonObject(tokenId);
        if (!actor.gm()) requirePlayerMayTouch(state, token, actor, false);
        JsonObject data = new JsonObject().put("tokenId", tokenId);
        // Players keep their own token's hit points and conditions; the rest is the GM's.
        if (body.containsKey("hp")) data.put("hp", Check.optionalInt(body, "hp", -100_000, 100_000));
        if (body.containsKey("conditions")) data.put("conditions", conditions(body));
        // The sheet a token opens: players link their own tokens (to their own sheets: a sheet they may not read
        // stays closed to them, the sheets keep their own rules), the GM any.
        if (body.containsKey("sheetId")) data.put("sheetId", body.getValue("sheetId") == null ? null : sheetId(body));
        if (actor.gm()) {
            if (body.containsKey("name")) data.put("name", Check.text(body, "name", MAX_NAME_LENGTH, true));
            if (body.containsKey("image")) data.put("image", Check.text(body, "image", 64, false));
            if (body.containsKey("color")) data.put("color", Check.color(body, "color", "#607d8b"));
            if (body.containsKey("size"))
                data.put("size", Check.number(body, "size", MIN_TOKEN_SIZE, MAX_TOKEN_SIZE, 1));
            if (body.containsKey("rotation")) data.put("rotation", Check.number(body, "rotation", -360, 360, 0));
            if (body.containsKey("layer")) data.put("layer", layer(body));
            if (body.containsKey("owners")) data.put("owners", owners(body, members));
            if (body.containsKey("locked")) data.put("locked", Check.flag(body, "locked", false));
            if (body.containsKey("maxHp")) data.put("maxHp", Check.optionalInt(body, "maxHp", 0, 100_000));
            if (body.containsKey("sceneId")) data.put("sceneId", sceneId(state, body));
            if (body.containsKey("hpVisibility")) data.put("hpVisibility", choice(body, "hpVisibility", HP_VISIBILITY));
            if (body.containsKey("nameVisibility"))
                data.put("nameVisibility", choice(body, "nameVisibility", NAME_VISIBILITY));
            if (body.containsKey("sight")) data.put("sight", sight(body.getValue("sight")));
            if (body.containsKey("light")) data.put("light", tokenLight(body.getValue("light")));
        }
        if (data.size() == 1) throw new Invalid("nothing to update");
        return Decision.of(new Change(EventType.TOKEN_UPDATED, data));
    }

    /**
     * A player may act on a token they own that they can see; moving also needs it unlocked. A token they cannot see
     * answers NOT_FOUND, exactly as a token that does not exist (no probing for hidden tokens).
     */
    private static void requirePlayerMayTouch(JsonObject state, JsonObject token, Actor actor, boolean moving)
            throws NotFound, Refused {
        String active = state.getString("activeScene");
        JsonObject scene = active == null ? null : state.getJsonObject("scenes").getJsonObject(active);
        if (!RoomViews.visibleToPlayers(scene, token)) throw new NotFound("no such token");
        if (!token.getJsonArray("owners").contains(actor.userId()))
            throw new Refused(ErrorCode.FORBIDDEN, "that token is not yours");
        if (moving && token.getBoolean("locked", false)) throw new Refused(ErrorCode.FORBIDDEN, "that token is locked");
    }

    // ---- several tokens at once: all or nothing ----

    /** Distinct ids of existing tokens, 1 to {@link #MAX_BATCH} of them. */
    private static List<String> tokenIds(JsonObject state, Object value) throws Invalid, NotFound {
        if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_BATCH)
            throw new Invalid("tokenIds must list 1 to " + MAX_BATCH + " tokens");
        List<String> ids = new ArrayList<>();
        for (Object item : array) {
            String id = tokenId(state, new JsonObject().put("tokenId", item));
            if (ids.contains(id)) throw new Invalid("tokenIds names a token twice");
            ids.add(id);
        }
        return ids;
    }

    /** Each move is checked as a single move would be; one refused move refuses them all. */
    private static Decision moveTokens(JsonObject state, JsonObject body, Actor actor)
            throws Invalid, NotFound, Refused {
        if (!(body.getValue("moves") instanceof JsonArray moves) || moves.isEmpty() || moves.size() > MAX_BATCH)
            throw new Invalid("moves must list 1 to " + MAX_BATCH + " moves");
        List<Change> changes = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Object item : moves) {
            if (!(item instanceof JsonObject move)) throw new Invalid("each move is {tokenId, x, y}");
            Change change = moveToken(state, move, actor).changes().get(0);
            if (!seen.add(change.data().getString("tokenId"))) throw new Invalid("moves names a token twice");
            changes.add(change);
        }
        return new Decision(List.copyOf(changes), null);
    }

    private static Decision eachToken(JsonObject state, JsonObject body, RoomOp op) throws Invalid, NotFound {
        EventType type =
                switch (op) {
                    case TOKENS_HIDE -> EventType.TOKEN_HIDDEN;
                    case TOKENS_REVEAL -> EventType.TOKEN_REVEALED;
                    default -> EventType.TOKEN_REMOVED;
                };
        List<Change> changes = new ArrayList<>();
        for (String id : tokenIds(state, body.getValue("tokenIds")))
            changes.add(new Change(type, new JsonObject().put("tokenId", id)));
        return new Decision(List.copyOf(changes), null);
    }

    /** Pasted copies: the same tokens shifted by (dx, dy), each with an id of its own. */
    private static Decision copyTokens(JsonObject state, JsonObject body, Supplier<String> ids)
            throws Invalid, NotFound, Refused {
        List<String> sources = tokenIds(state, body.getValue("tokenIds"));
        double dx = Check.number(body, "dx", -Geometry.MAX_COORDINATE, Geometry.MAX_COORDINATE, 0);
        double dy = Check.number(body, "dy", -Geometry.MAX_COORDINATE, Geometry.MAX_COORDINATE, 0);
        if (state.getJsonObject("tokens").size() + sources.size() > MAX_TOKENS)
            throw new Refused(ErrorCode.CONFLICT, "at most " + MAX_TOKENS + " tokens");
        List<Change> changes = new ArrayList<>();
        for (String source : sources) {
            JsonObject copy =
                    state.getJsonObject("tokens").getJsonObject(source).copy();
            copy.remove("id");
            JsonObject at = new JsonObject().put("x", copy.getDouble("x") + dx).put("y", copy.getDouble("y") + dy);
            copy.put("x", Check.coordinate(at, "x")).put("y", Check.coordinate(at, "y"));
            changes.add(new Change(
                    EventType.TOKEN_CREATED,
                    new JsonObject().put("tokenId", ids.get()).mergeIn(copy)));
        }
        return new Decision(List.copyOf(changes), null);
    }

    /**
     * Pasted copies made from the tokens' data the client kept (the originals may be gone by now): each one is checked
     * as a new token would be, on the scene named; one bad copy refuses them all.
     */
    private static Decision pasteTokens(JsonObject state, JsonObject body, Supplier<String> ids, Members members)
            throws Invalid, NotFound, Refused {
        String sceneId = sceneId(state, body);
        if (!(body.getValue("tokens") instanceof JsonArray tokens) || tokens.isEmpty() || tokens.size() > MAX_BATCH)
            throw new Invalid("tokens must list 1 to " + MAX_BATCH + " tokens");
        if (state.getJsonObject("tokens").size() + tokens.size() > MAX_TOKENS)
            throw new Refused(ErrorCode.CONFLICT, "at most " + MAX_TOKENS + " tokens");
        List<Change> changes = new ArrayList<>();
        for (Object item : tokens) {
            if (!(item instanceof JsonObject token)) throw new Invalid("each pasted token is an object");
            JsonObject fields = new JsonObject();
            for (String field : RoomOp.TOKEN_CREATE.fields())
                if (token.containsKey(field)) fields.put(field, token.getValue(field));
            changes.addAll(createToken(state, fields.put("sceneId", sceneId), ids, members)
                    .changes());
        }
        return new Decision(List.copyOf(changes), null);
    }

    // ---- scene order ----

    /** Every scene, each once, in the order the GM's list shows them. */
    private static Decision reorderScenes(JsonObject state, JsonObject body) throws Invalid, NotFound {
        JsonObject scenes = state.getJsonObject("scenes");
        if (!(body.getValue("sceneIds") instanceof JsonArray order) || order.size() != scenes.size())
            throw new Invalid("sceneIds must list every scene once");
        List<Change> changes = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < order.size(); i++) {
            String id = sceneId(state, new JsonObject().put("sceneId", order.getValue(i)));
            if (!seen.add(id)) throw new Invalid("sceneIds must list every scene once");
            if (!Integer.valueOf(i).equals(scenes.getJsonObject(id).getValue("order")))
                changes.add(new Change(
                        EventType.SCENE_UPDATED,
                        new JsonObject().put("sceneId", id).put("order", i)));
        }
        if (changes.isEmpty()) throw new Invalid("the scenes are in that order already");
        return new Decision(List.copyOf(changes), null);
    }

    // ---- undo ----

    /** Takes back the actor's latest drawing on the scene (the GM's own too; the eraser takes anyone's). */
    private static Decision undoDrawing(JsonObject state, JsonObject body, Actor actor)
            throws Invalid, NotFound, Refused {
        String sceneId = sceneId(state, body);
        if (!actor.gm() && !sceneId.equals(state.getString("activeScene"))) throw new NotFound("no such scene");
        String latest = null;
        // Drawings are kept in the order they were made: the last of the actor's is the one to take back.
        for (String id : state.getJsonObject("drawings").fieldNames()) {
            JsonObject drawing = state.getJsonObject("drawings").getJsonObject(id);
            if (sceneId.equals(drawing.getString("sceneId")) && actor.userId().equals(drawing.getString("author")))
                latest = id;
        }
        if (latest == null) throw new Refused(ErrorCode.NOTHING_TO_UNDO, "you have no drawing on this scene to undo");
        return Decision.of(new Change(EventType.DRAWING_REMOVED, new JsonObject().put("drawingId", latest)));
    }

    /**
     * Takes back the scene's last fog change: its latest shape, or, once no shape is left after a reset, the reset
     * itself (the fog as it was before it).
     */
    private static Decision undoFog(JsonObject state, JsonObject body) throws Invalid, NotFound, Refused {
        String sceneId = sceneId(state, body);
        JsonObject fog = state.getJsonObject("scenes").getJsonObject(sceneId).getJsonObject("fog");
        boolean beforeReset = RoomReducer.fogBeforeReset(state, sceneId) != null;
        if (fog.getJsonArray("ops").isEmpty() && !beforeReset)
            throw new Refused(ErrorCode.NOTHING_TO_UNDO, "this scene's fog has no change to undo");
        return Decision.of(new Change(EventType.FOG_UNDONE, new JsonObject().put("sceneId", sceneId)));
    }

    // ---- fog ----

    private static Decision fogShape(JsonObject state, JsonObject body, EventType type)
            throws Invalid, NotFound, Refused {
        String sceneId = sceneId(state, body);
        JsonArray ops = state.getJsonObject("scenes")
                .getJsonObject(sceneId)
                .getJsonObject("fog")
                .getJsonArray("ops");
        if (ops.size() >= MAX_FOG_OPS)
            throw new Refused(ErrorCode.CONFLICT, "this scene's fog is too detailed; reset it");
        JsonObject shape = Geometry.normalizeShape(body.getValue("shape"));
        requirePointBudget(state, shape.getJsonArray("points"));
        return Decision.of(
                new Change(type, new JsonObject().put("sceneId", sceneId).put("shape", shape)));
    }

    // ---- budgets ----

    static int drawingsBy(JsonObject state, String userId) {
        int count = 0;
        for (Object d : state.getJsonObject("drawings").getMap().values()) {
            JsonObject drawing = d instanceof JsonObject j ? j : new JsonObject((java.util.Map<String, Object>) d);
            if (userId.equals(drawing.getString("author"))) count++;
        }
        return count;
    }

    /** Points held by all drawings and fog polygons of the room. */
    public static int roomPoints(JsonObject state) {
        int points = 0;
        for (Object d : state.getJsonObject("drawings").getMap().values()) {
            JsonObject drawing = d instanceof JsonObject j ? j : new JsonObject((java.util.Map<String, Object>) d);
            points += drawing.getJsonArray("points").size();
        }
        for (Object s : state.getJsonObject("scenes").getMap().values()) {
            JsonObject scene = s instanceof JsonObject j ? j : new JsonObject((java.util.Map<String, Object>) s);
            for (Object o : scene.getJsonObject("fog").getJsonArray("ops")) {
                JsonArray polygon = ((JsonObject) o).getJsonObject("shape").getJsonArray("points");
                points += polygon == null ? 1 : polygon.size();
            }
        }
        return points;
    }

    private static JsonArray budgeted(JsonObject state, JsonArray points) throws Refused {
        requirePointBudget(state, points);
        return points;
    }

    private static void requirePointBudget(JsonObject state, JsonArray added) throws Refused {
        if (added != null && roomPoints(state) + added.size() > MAX_ROOM_POINTS) {
            throw new Refused(ErrorCode.CONFLICT, "this room's drawings and fog are too detailed; erase or reset some");
        }
    }

    // ---- drawings ----

    private static Decision createDrawing(JsonObject state, JsonObject body, Actor actor, Supplier<String> ids)
            throws Invalid, NotFound, Refused {
        if (state.getJsonObject("drawings").size() >= MAX_DRAWINGS)
            throw new Refused(ErrorCode.CONFLICT, "too many drawings; erase some");
        if (!actor.gm() && drawingsBy(state, actor.userId()) >= MAX_DRAWINGS_PER_PLAYER) {
            throw new Refused(ErrorCode.CONFLICT, "you have " + MAX_DRAWINGS_PER_PLAYER + " drawings here; erase some");
        }
        String sceneId = sceneId(state, body);
        if (!actor.gm() && !sceneId.equals(state.getString("activeScene"))) throw new NotFound("no such scene");
        String kind = Check.text(body, "kind", 16, true);
        int minPoints =
                switch (kind) {
                    case "freehand", "line", "rect", "circle" -> 2;
                    case "text" -> 1;
                    default -> throw new Invalid("kind must be freehand, line, rect, circle or text");
                };
        JsonObject data = new JsonObject()
                .put("drawingId", ids.get())
                .put("sceneId", sceneId)
                .put("kind", kind)
                .put("points", budgeted(state, Check.points(body.getValue("points"), minPoints)))
                .put("color", Check.color(body, "color", "#000000"))
                .put("width", Check.number(body, "width", 0.5, 50, 3))
                .put("author", actor.userId());
        if (kind.equals("text")) data.put("text", Check.text(body, "text", 500, true));
        return Decision.of(new Change(EventType.DRAWING_CREATED, data));
    }

    private static Decision removeDrawing(JsonObject state, JsonObject body, Actor actor)
            throws Invalid, NotFound, Refused {
        String drawingId = Check.id(body, "drawingId");
        JsonObject drawing = state.getJsonObject("drawings").getJsonObject(drawingId);
        if (drawing == null || (!actor.gm() && !drawing.getString("sceneId").equals(state.getString("activeScene")))) {
            throw new NotFound("no such drawing");
        }
        if (!actor.gm() && !actor.userId().equals(drawing.getString("author")))
            throw new Refused(ErrorCode.FORBIDDEN, "you may erase only your own drawings");
        return Decision.of(new Change(EventType.DRAWING_REMOVED, new JsonObject().put("drawingId", drawingId)));
    }

    // ---- initiative ----

    private static Decision addInitiative(JsonObject state, JsonObject body, Supplier<String> ids)
            throws Invalid, NotFound, Refused {
        JsonArray entries = state.getJsonObject("initiative").getJsonArray("entries");
        if (entries.size() >= MAX_INITIATIVE) throw new Refused(ErrorCode.CONFLICT, "the tracker is full");
        String tokenId = body.getValue("tokenId") == null ? null : tokenId(state, body);
        String name = body.getValue("name") == null && tokenId != null
                ? state.getJsonObject("tokens").getJsonObject(tokenId).getString("name")
                : Check.text(body, "name", 80, true);
        return Decision.of(new Change(
                EventType.INITIATIVE_ADDED,
                new JsonObject()
                        .put("entryId", ids.get())
                        .put("name", name)
                        .put("tokenId", tokenId)
                        .put("value", Check.number(body, "value", -1000, 1000, 0))));
    }

    // ---- notes ----

    private static Decision createNote(
            JsonObject state, JsonObject body, Actor actor, Supplier<String> ids, Members members)
            throws Invalid, Refused {
        if (state.getJsonObject("notes").size() >= MAX_NOTES) throw new Refused(ErrorCode.CONFLICT, "too many notes");
        JsonObject data = new JsonObject()
                .put("noteId", ids.get())
                .put("title", Check.text(body, "title", 120, true))
                .put("body", noteBody(body))
                .put("gmOnly", Check.flag(body, "gmOnly", true))
                .put("author", actor.userId());
        String image = Check.text(body, "image", 64, false);
        if (image != null) data.put("image", image);
        JsonArray shownTo = shownTo(body, members);
        if (shownTo != null) data.put("shownTo", shownTo);
        return Decision.of(new Change(EventType.NOTE_CREATED, data));
    }

    /**
     * The members a handout is shown to (user ids), or null for every player. Only members may be named: an id of
     * nobody would hand the note to nobody while the GM believes it was shown.
     */
    private static JsonArray shownTo(JsonObject body, Members members) throws Invalid, Refused {
        if (body.getValue("shownTo") == null) return null;
        JsonArray shownTo = Check.strings(body.getValue("shownTo"), "shownTo", MAX_RECIPIENTS, 64);
        if (shownTo.isEmpty()) throw new Invalid("shownTo names at least one member, or is null for every player");
        for (Object userId : shownTo) {
            if (!members.contains((String) userId))
                throw new Refused(ErrorCode.RECIPIENT_NOT_A_MEMBER, "shownTo must name members of this room");
        }
        return shownTo;
    }

    private static Decision updateNote(JsonObject state, JsonObject body, Members members)
            throws Invalid, NotFound, Refused {
        JsonObject data = new JsonObject().put("noteId", noteId(state, body));
        if (body.containsKey("title")) data.put("title", Check.text(body, "title", 120, true));
        if (body.containsKey("body")) data.put("body", noteBody(body));
        if (body.containsKey("gmOnly")) data.put("gmOnly", Check.flag(body, "gmOnly", true));
        // A handout's picture: one of the room's images (an asset id), or null to take it away.
        if (body.containsKey("image")) data.put("image", Check.text(body, "image", 64, false));
        // Chosen members, or null: every player again.
        if (body.containsKey("shownTo")) data.put("shownTo", shownTo(body, members));
        return Decision.of(new Change(EventType.NOTE_UPDATED, data));
    }

    private static String noteBody(JsonObject body) throws Invalid {
        String text = Check.text(body, "body", MAX_NOTE_LENGTH, false);
        return text == null ? "" : text;
    }

    // ---- walls, doors, lights, vision ----

    /**
     * A player's token moves along the straight line between its centres; a wall that stops movement anywhere on it
     * (touching counts: a path through a wall's end or ending on a wall) refuses the move. GMs move freely.
     */
    private static void requirePathClear(JsonObject state, JsonObject token, double x, double y) throws Refused {
        String sceneId = token.getString("sceneId");
        if (Walls.walls(state).isEmpty()) return;
        if (Vision.index(state, sceneId).blocksMove(token.getDouble("x"), token.getDouble("y"), x, y))
            throw new Refused(ErrorCode.MOVE_BLOCKED, null);
    }

    private static Decision createWall(JsonObject state, JsonObject body, Supplier<String> ids)
            throws Invalid, NotFound, Refused {
        String sceneId = sceneId(state, body);
        JsonArray points = wallPoints(body.getValue("points"));
        if (Walls.segmentsOfScene(state, sceneId) + points.size() - 1 > Walls.MAX_SEGMENTS_PER_SCENE)
            throw new Refused(ErrorCode.WALL_LIMIT, "this scene has as many wall segments as it may");
        String kind = wallKind(body, "wall");
        JsonObject data = new JsonObject()
                .put("wallId", ids.get())
                .put("sceneId", sceneId)
                .put("kind", kind)
                .put("points", points);
        if (kind.equals("door")) data.put("door", doorState(body, "closed"));
        return Decision.of(new Change(EventType.WALL_CREATED, data));
    }

    private static Decision updateWall(JsonObject state, JsonObject body) throws Invalid, NotFound, Refused {
        String wallId = wallId(state, body);
        JsonObject wall = Walls.walls(state).getJsonObject(wallId);
        JsonObject data = new JsonObject().put("wallId", wallId);
        if (body.containsKey("points")) {
            JsonArray points = wallPoints(body.getValue("points"));
            int others = Walls.segmentsOfScene(state, wall.getString("sceneId"))
                    - (wall.getJsonArray("points").size() - 1);
            if (others + points.size() - 1 > Walls.MAX_SEGMENTS_PER_SCENE)
                throw new Refused(ErrorCode.WALL_LIMIT, "this scene has as many wall segments as it may");
            data.put("points", points);
        }
        String kind = body.containsKey("kind") ? wallKind(body, "wall") : wall.getString("kind");
        if (body.containsKey("kind")) data.put("kind", kind);
        if (kind.equals("door") && (body.containsKey("door") || wall.getString("door") == null))
            data.put("door", doorState(body, "closed"));
        if (data.size() == 1) throw new Invalid("nothing to update");
        return Decision.of(new Change(EventType.WALL_UPDATED, data));
    }

    /**
     * Players open and close doors that are not locked, from next to one of their tokens they can see on the shown
     * scene ({@link Walls#DOOR_REACH} cells from the door); a door elsewhere or a wall that is no door is NOT_FOUND to
     * them. GMs set any door to any state, locked included.
     */
    private static Decision setDoor(JsonObject state, JsonObject body, Actor actor) throws Invalid, NotFound, Refused {
        String wallId = wallId(state, body);
        JsonObject wall = Walls.walls(state).getJsonObject(wallId);
        if (!"door".equals(wall.getString("kind"))) throw new NotFound("no such door");
        String to = doorState(body, null);
        if (!actor.gm()) {
            String active = state.getString("activeScene");
            if (!wall.getString("sceneId").equals(active)) throw new NotFound("no such door");
            if (to.equals("locked") || wall.getString("door").equals("locked"))
                throw new Refused(ErrorCode.DOOR_LOCKED, null);
            if (!nearOwnToken(state, wall, actor)) throw new Refused(ErrorCode.DOOR_TOO_FAR, null);
        }
        return Decision.of(new Change(
                EventType.WALL_UPDATED, new JsonObject().put("wallId", wallId).put("door", to)));
    }

    private static boolean nearOwnToken(JsonObject state, JsonObject wall, Actor actor) {
        JsonObject scene = state.getJsonObject("scenes").getJsonObject(wall.getString("sceneId"));
        double reach = Walls.DOOR_REACH * scene.getJsonObject("grid").getDouble("size", 70.0);
        JsonObject tokens = state.getJsonObject("tokens");
        for (String id : tokens.fieldNames()) {
            JsonObject token = tokens.getJsonObject(id);
            if (!token.getJsonArray("owners").contains(actor.userId()) || !RoomViews.visibleToPlayers(scene, token))
                continue;
            if (Walls.distance(wall, token.getDouble("x"), token.getDouble("y")) <= reach) return true;
        }
        return false;
    }

    /**
     * 2 to {@link Walls#MAX_SEGMENTS_PER_WALL}+1 points [x, y]: more is WALL_LIMIT (checked before anything else is
     * read, so a huge wall costs nothing); a coordinate that is not a finite number, or two equal points in a row (a
     * zero-length segment), is WALL_DEGENERATE.
     */
    private static JsonArray wallPoints(Object value) throws Invalid, Refused {
        if (!(value instanceof JsonArray array)) throw new Invalid("points must be a list of [x, y]");
        if (array.size() > Walls.MAX_SEGMENTS_PER_WALL + 1)
            throw new Refused(ErrorCode.WALL_LIMIT, "a wall has at most " + Walls.MAX_SEGMENTS_PER_WALL + " segments");
        if (array.size() < 2) throw new Invalid("a wall needs at least 2 points");
        JsonArray out = new JsonArray();
        double px = Double.NaN, py = Double.NaN;
        for (Object item : array) {
            if (!(item instanceof JsonArray point) || point.size() != 2) throw new Invalid("each point must be [x, y]");
            if (!(point.getValue(0) instanceof Number nx) || !(point.getValue(1) instanceof Number ny))
                throw new Refused(ErrorCode.WALL_DEGENERATE, "each point must be two numbers");
            double x = nx.doubleValue(), y = ny.doubleValue();
            if (!Double.isFinite(x)
                    || !Double.isFinite(y)
                    || Math.abs(x) > Geometry.MAX_COORDINATE
                    || Math.abs(y) > Geometry.MAX_COORDINATE)
                throw new Refused(ErrorCode.WALL_DEGENERATE, "each coordinate must be a finite number within ±1000000");
            if (x == px && y == py) throw new Refused(ErrorCode.WALL_DEGENERATE, "a segment has zero length");
            out.add(new JsonArray().add(x).add(y));
            px = x;
            py = y;
        }
        return out;
    }

    private static String wallKind(JsonObject body, String fallback) throws Invalid {
        String kind = body.getValue("kind") == null ? fallback : Check.text(body, "kind", 16, true);
        if (!Walls.KINDS.contains(kind)) throw new Invalid("kind must be wall, door, window or terrain");
        return kind;
    }

    private static String doorState(JsonObject body, String fallback) throws Invalid {
        if (body.getValue("door") == null && fallback != null) return fallback;
        String door = Check.text(body, "door", 16, true);
        if (!Walls.DOOR_STATES.contains(door)) throw new Invalid("door must be open, closed or locked");
        return door;
    }

    private static Decision createLight(JsonObject state, JsonObject body, Supplier<String> ids)
            throws Invalid, NotFound, Refused {
        String sceneId = sceneId(state, body);
        if (Walls.lightsOfScene(state, sceneId) >= Walls.MAX_LIGHTS_PER_SCENE)
            throw new Refused(ErrorCode.LIGHT_LIMIT, "this scene has as many lights as it may");
        JsonObject data = new JsonObject()
                .put("lightId", ids.get())
                .put("sceneId", sceneId)
                .put("x", Check.coordinate(body, "x"))
                .put("y", Check.coordinate(body, "y"))
                .mergeIn(radii(body, 2, 4))
                .put("color", Check.color(body, "color", "#ffd27f"));
        return Decision.of(new Change(EventType.LIGHT_CREATED, data));
    }

    private static Decision updateLight(JsonObject state, JsonObject body) throws Invalid, NotFound, Refused {
        String lightId = existing(state, body, "lightId", "lights", "light");
        JsonObject light = Walls.lights(state).getJsonObject(lightId);
        JsonObject data = new JsonObject().put("lightId", lightId);
        if (body.containsKey("x")) data.put("x", Check.coordinate(body, "x"));
        if (body.containsKey("y")) data.put("y", Check.coordinate(body, "y"));
        if (body.containsKey("bright") || body.containsKey("dim"))
            data.mergeIn(radii(body, light.getDouble("bright"), light.getDouble("dim")));
        if (body.containsKey("color")) data.put("color", Check.color(body, "color", "#ffd27f"));
        if (data.size() == 1) throw new Invalid("nothing to update");
        return Decision.of(new Change(EventType.LIGHT_UPDATED, data));
    }

    /** Bright and dim radii in cells, 0 to {@link Walls#MAX_RADIUS}, bright within dim; else RADIUS_INVALID. */
    private static JsonObject radii(JsonObject body, double bright, double dim) throws Refused {
        double b = radius(body, "bright", bright), d = radius(body, "dim", dim);
        if (b > d) throw new Refused(ErrorCode.RADIUS_INVALID, "bright must not exceed dim");
        return new JsonObject().put("bright", b).put("dim", d);
    }

    private static double radius(JsonObject body, String field, double fallback) throws Refused {
        Object value = body.getValue(field);
        if (value == null) return fallback;
        if (!(value instanceof Number n)
                || !Double.isFinite(n.doubleValue())
                || n.doubleValue() < 0
                || n.doubleValue() > Walls.MAX_RADIUS)
            throw new Refused(ErrorCode.RADIUS_INVALID, field + " must be a number of cells from 0 to 1000");
        return n.doubleValue();
    }

    /** A token's sight: {range (cells, absent for the whole scene), darkvision (cells)}. */
    private static JsonObject sight(Object value) throws Invalid, Refused {
        if (!(value instanceof JsonObject sight)) throw new Invalid("sight must be an object");
        JsonObject out = new JsonObject().put("darkvision", radius(sight, "darkvision", 0));
        if (sight.getValue("range") != null) out.put("range", radius(sight, "range", 0));
        return out;
    }

    /** A light carried by a token: {bright, dim, color}. */
    private static JsonObject tokenLight(Object value) throws Invalid, Refused {
        if (!(value instanceof JsonObject light)) throw new Invalid("light must be an object");
        return radii(light, 2, 4).put("color", Check.color(light, "color", "#ffd27f"));
    }

    /**
     * What is wrong with a light, a token's sight or a token's light that did not come from a command (an imported
     * room), or null: the same rules, with every field present.
     */
    static String visionProblem(JsonObject light, boolean placed) {
        try {
            for (String field :
                    placed ? List.of("x", "y", "bright", "dim", "color") : List.of("bright", "dim", "color"))
                if (light.getValue(field) == null) return field + " is missing";
            if (placed) {
                Check.coordinate(light, "x");
                Check.coordinate(light, "y");
            }
            radii(light, 0, 0);
            Check.color(light, "color", null);
            return null;
        } catch (Invalid | Refused e) {
            return e.getMessage();
        }
    }

    static String sightProblem(Object value) {
        try {
            if (value instanceof JsonObject sight && sight.getValue("darkvision") == null)
                return "darkvision is missing";
            sight(value);
            return null;
        } catch (Invalid | Refused e) {
            return e.getMessage();
        }
    }

    /** Forgets what players explored of the scene: one player's memory, or everyone's without userId. */
    private static Decision resetExplored(JsonObject state, JsonObject body) throws Invalid, NotFound {
        JsonObject data = new JsonObject().put("sceneId", sceneId(state, body));
        if (body.getValue("userId") != null) data.put("userId", Check.id(body, "userId"));
        return Decision.of(new Change(EventType.EXPLORED_RESET, data));
    }

    private static String wallId(JsonObject state, JsonObject body) throws Invalid, NotFound {
        String id = Check.id(body, "wallId");
        if (!Walls.walls(state).containsKey(id)) throw new NotFound("no such wall");
        return id;
    }

    /** A character sheet's id: only its shape is checked here, the sheets live in their own store. */
    private static String sheetId(JsonObject body) throws Invalid {
        return Check.id(body, "sheetId");
    }

    // ---- lookups ----

    /** The id in {@code field} of the body, when the state's {@code collection} holds it. */
    private static String existing(JsonObject state, JsonObject body, String field, String collection, String what)
            throws Invalid, NotFound {
        String id = Check.id(body, field);
        if (!state.getJsonObject(collection).containsKey(id)) throw new NotFound("no such " + what);
        return id;
    }

    private static String sceneId(JsonObject state, JsonObject body) throws Invalid, NotFound {
        return existing(state, body, "sceneId", "scenes", "scene");
    }

    private static String tokenId(JsonObject state, JsonObject body) throws Invalid, NotFound {
        return existing(state, body, "tokenId", "tokens", "token");
    }

    private static String noteId(JsonObject state, JsonObject body) throws Invalid, NotFound {
        return existing(state, body, "noteId", "notes", "note");
    }

    private static String entryId(JsonObject state, JsonObject body) throws Invalid, NotFound {
        String id = Check.id(body, "entryId");
        for (Object e : state.getJsonObject("initiative").getJsonArray("entries"))
            if (((JsonObject) e).getString("id").equals(id)) return id;
        throw new NotFound("no such initiative entry");
    }

    private static final class NotFound extends Exception {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Refused extends Exception {
        final ErrorCode code;

        Refused(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** All ops this version understands. */
    public static Set<String> ops() {
        return java.util.Arrays.stream(RoomOp.values())
                .map(RoomOp::wire)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
