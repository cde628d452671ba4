package io.vertable.shared.wire;

import io.vertable.shared.RoomRole;
import java.util.Optional;
import java.util.Set;

/**
 * Every room command a browser may send on {@code vtt.in.map}, once: its wire name, who may send it, and the fields it
 * reads (anything else is dropped before the command is decided or kept). Observers send none.
 */
public enum RoomOp {
    SCENE_CREATE("scene.create", Who.GM, "name", "image", "width", "height", "grid"),
    SCENE_UPDATE("scene.update", Who.GM, "sceneId", "name", "image", "width", "height", "grid", "vision", "darkness"),
    SCENE_ACTIVATE("scene.activate", Who.GM, "sceneId"),
    SCENE_REMOVE("scene.remove", Who.GM, "sceneId"),
    SCENE_REORDER("scene.reorder", Who.GM, "sceneIds"),
    TOKEN_CREATE(
            "token.create",
            Who.GM,
            "sceneId",
            "name",
            "image",
            "color",
            "x",
            "y",
            "size",
            "rotation",
            "layer",
            "owners",
            "hidden",
            "locked",
            "hp",
            "maxHp",
            "conditions",
            "hpVisibility",
            "nameVisibility",
            "sight",
            "light",
            "sheetId"),
    TOKEN_MOVE("token.move", Who.PLAYERS, "tokenId", "x", "y"),
    TOKEN_UPDATE(
            "token.update",
            Who.PLAYERS,
            "tokenId",
            "hp",
            "conditions",
            "name",
            "image",
            "color",
            "size",
            "rotation",
            "layer",
            "owners",
            "locked",
            "maxHp",
            "sceneId",
            "hpVisibility",
            "nameVisibility",
            "sight",
            "light",
            "sheetId"),
    TOKEN_HIDE("token.hide", Who.GM, "tokenId"),
    TOKEN_REVEAL("token.reveal", Who.GM, "tokenId"),
    TOKEN_REMOVE("token.remove", Who.GM, "tokenId"),
    TOKENS_MOVE("tokens.move", Who.PLAYERS, "moves"),
    TOKENS_HIDE("tokens.hide", Who.GM, "tokenIds"),
    TOKENS_REVEAL("tokens.reveal", Who.GM, "tokenIds"),
    TOKENS_REMOVE("tokens.remove", Who.GM, "tokenIds"),
    TOKENS_COPY("tokens.copy", Who.GM, "tokenIds", "dx", "dy"),
    TOKENS_PASTE("tokens.paste", Who.GM, "sceneId", "tokens"),
    FOG_REVEAL("fog.reveal", Who.GM, "sceneId", "shape"),
    FOG_COVER("fog.cover", Who.GM, "sceneId", "shape"),
    FOG_RESET("fog.reset", Who.GM, "sceneId", "enabled", "covered"),
    FOG_UNDO("fog.undo", Who.GM, "sceneId"),
    DRAWING_CREATE("drawing.create", Who.PLAYERS, "sceneId", "kind", "points", "color", "width", "text"),
    DRAWING_REMOVE("drawing.remove", Who.PLAYERS, "drawingId"),
    DRAWING_UNDO("drawing.undo", Who.PLAYERS, "sceneId"),
    INITIATIVE_ADD("initiative.add", Who.GM, "tokenId", "name", "value"),
    INITIATIVE_SET("initiative.set", Who.GM, "entryId", "value"),
    INITIATIVE_REMOVE("initiative.remove", Who.GM, "entryId"),
    INITIATIVE_SORT("initiative.sort", Who.GM),
    INITIATIVE_NEXT("initiative.next", Who.GM),
    INITIATIVE_PREVIOUS("initiative.previous", Who.GM),
    INITIATIVE_EFFECT("initiative.effect", Who.GM, "entryId", "name", "rounds"),
    INITIATIVE_CLEAR("initiative.clear", Who.GM),
    NOTE_CREATE("note.create", Who.GM, "title", "body", "gmOnly", "image", "shownTo"),
    NOTE_UPDATE("note.update", Who.GM, "noteId", "title", "body", "gmOnly", "image", "shownTo"),
    NOTE_REMOVE("note.remove", Who.GM, "noteId"),
    WALL_CREATE("wall.create", Who.GM, "sceneId", "kind", "door", "points"),
    WALL_UPDATE("wall.update", Who.GM, "wallId", "kind", "door", "points"),
    WALL_REMOVE("wall.remove", Who.GM, "wallId"),
    /** Players open and close unlocked doors next to their tokens; GMs also lock and unlock. */
    DOOR_SET("door.set", Who.PLAYERS, "wallId", "door"),
    LIGHT_CREATE("light.create", Who.GM, "sceneId", "x", "y", "bright", "dim", "color"),
    LIGHT_UPDATE("light.update", Who.GM, "lightId", "x", "y", "bright", "dim", "color"),
    LIGHT_REMOVE("light.remove", Who.GM, "lightId"),
    /** Forgets what players explored of a scene: one player's memory ({@code userId}) or everyone's. */
    EXPLORED_RESET("explored.reset", Who.GM, "sceneId", "userId"),
    ROOM_SETTINGS("room.settings", Who.GM, "dialect");

    /** Who may send an op: GMs only, or players too (the op then checks what the player owns). */
    private enum Who {
        GM,
        PLAYERS
    }

    /** Fields every command carries: its room, its op and the client's command id. */
    public static final Set<String> ENVELOPE = Set.of("room", "op", "cid");

    private final String wire;
    private final Who who;
    private final Set<String> fields;

    RoomOp(String wire, Who who, String... fields) {
        this.wire = wire;
        this.who = who;
        this.fields = Set.of(fields);
    }

    public String wire() {
        return wire;
    }

    /** The fields this op reads, besides the {@link #ENVELOPE}. */
    public Set<String> fields() {
        return fields;
    }

    /** Whether {@code role} may send this op at all (ownership is the op's own check). */
    public boolean allows(RoomRole role) {
        return switch (role) {
            case GM -> true;
            case PLAYER -> who == Who.PLAYERS;
            case OBSERVER -> false;
        };
    }

    public static Optional<RoomOp> parse(String op) {
        for (RoomOp known : values()) if (known.wire.equals(op)) return Optional.of(known);
        return Optional.empty();
    }
}
