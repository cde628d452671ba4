package io.vertable.shared.wire;

import java.util.Optional;

/**
 * Every event type a room's log holds: produced by room commands and the owner's message posts, applied by the room
 * reducer, and sent to browsers as {@code type}. Chat events ({@link #message()}) carry an explicit audience.
 */
public enum EventType {
    SCENE_CREATED("scene.created"),
    SCENE_UPDATED("scene.updated"),
    SCENE_ACTIVATED("scene.activated"),
    SCENE_REMOVED("scene.removed"),
    TOKEN_CREATED("token.created"),
    TOKEN_MOVED("token.moved"),
    TOKEN_UPDATED("token.updated"),
    TOKEN_HIDDEN("token.hidden"),
    TOKEN_REVEALED("token.revealed"),
    TOKEN_REMOVED("token.removed"),
    FOG_REVEALED("fog.revealed"),
    FOG_COVERED("fog.covered"),
    FOG_RESET("fog.reset"),
    FOG_UNDONE("fog.undone"),
    DRAWING_CREATED("drawing.created"),
    DRAWING_REMOVED("drawing.removed"),
    INITIATIVE_ADDED("initiative.added"),
    INITIATIVE_UPDATED("initiative.updated"),
    INITIATIVE_REMOVED("initiative.removed"),
    INITIATIVE_SORTED("initiative.sorted"),
    INITIATIVE_TURNED("initiative.turned"),
    INITIATIVE_EFFECT_ADDED("initiative.effect.added"),
    INITIATIVE_CLEARED("initiative.cleared"),
    NOTE_CREATED("note.created"),
    NOTE_UPDATED("note.updated"),
    NOTE_REMOVED("note.removed"),
    WALL_CREATED("wall.created"),
    WALL_UPDATED("wall.updated"),
    WALL_REMOVED("wall.removed"),
    LIGHT_CREATED("light.created"),
    LIGHT_UPDATED("light.updated"),
    LIGHT_REMOVED("light.removed"),
    EXPLORED_ADDED("explored.added"),
    EXPLORED_RESET("explored.reset"),
    ROOM_SETTINGS("room.settings"),
    DICE_SEED_ROTATED("dice.seed.rotated"),
    CHAT_MESSAGE("chat.message"),
    CHAT_EDITED("chat.edited"),
    CHAT_DELETED("chat.deleted");

    private static final String MESSAGE_PREFIX = "chat.";

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** A chat event: shown whole or not at all, to the audience it names. */
    public boolean message() {
        return wire.startsWith(MESSAGE_PREFIX);
    }

    /** Whether a stored or sent type is a chat event, including ones a newer version may add. */
    public static boolean isMessage(String type) {
        return type != null && type.startsWith(MESSAGE_PREFIX);
    }

    /** The type, or empty for one this version does not know (a newer node wrote it; it changes nothing here). */
    public static Optional<EventType> parse(String type) {
        for (EventType event : values()) if (event.wire.equals(type)) return Optional.of(event);
        return Optional.empty();
    }
}
