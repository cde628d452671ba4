package io.vertable.kit.rooms;

import io.vertable.shared.wire.Commands;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What chat and dice hand a room's owner on its internal post address ({@code Addresses.roomPost}): a finished
 * message to roll, sequence and store, or an edit or removal of one the service already checked.
 */
public final class RoomPost {

    public enum Op {
        MESSAGE("message"),
        EDIT("edit"),
        DELETE("delete");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        public static Optional<Op> of(JsonObject post) {
            Object op = post.getValue(Commands.OP);
            for (Op known : values()) if (known.wire.equals(op)) return Optional.of(known);
            return Optional.empty();
        }
    }

    private RoomPost() {}

    /** A new message of {@code kind}; the caller adds its text or rolls and its audience. */
    public static JsonObject message(String kind, String commandId) {
        return Commands.named(Op.MESSAGE.wire).put("kind", kind).put("cid", commandId);
    }

    public static JsonObject edit(String text) {
        return Commands.named(Op.EDIT.wire).put("text", text);
    }

    public static JsonObject delete() {
        return Commands.named(Op.DELETE.wire);
    }
}
