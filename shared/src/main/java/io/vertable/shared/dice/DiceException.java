package io.vertable.shared.dice;

import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * A dice expression that cannot be rolled: a catalog code and the 0-based position in the expression where the problem
 * is. The message is a sentence a player can read, and it names the position. Thrown for bad input only, so it carries
 * no stack trace (cheap, and nothing to leak).
 */
public final class DiceException extends RuntimeException {

    private final ErrorCode code;
    private final int position;

    public DiceException(ErrorCode code, int position, String message) {
        super(message, null, false, false);
        this.code = code;
        this.position = position;
    }

    public ErrorCode code() {
        return code;
    }

    /** 0-based index into the expression. */
    public int position() {
        return position;
    }

    /** The failure body of a reply: {@code {"code", "message", "position"}}. */
    public JsonObject toJson() {
        return code.toJson(getMessage()).put("position", position);
    }
}
