package io.vertable.dice;

import io.vertable.shared.ErrorCode;
import io.vertable.shared.Failure;
import io.vertable.shared.chat.ChatCommands;
import io.vertx.core.json.JsonObject;

/** What a character sheet may hold: a short name, attributes as a JSON object of bounded size, an optional owner. */
public final class CharacterInput {

    private CharacterInput() {}

    /** Null when acceptable, else why not; {@code creating} makes the name required. */
    public static Failure check(JsonObject body, boolean creating) {
        Object name = body.getValue("name");
        if (creating || name != null) {
            if (!(name instanceof String text) || text.isBlank() || text.length() > DiceVerticle.MAX_NAME)
                return Failure.of(ErrorCode.BAD_REQUEST, "name must be 1 to " + DiceVerticle.MAX_NAME + " characters");
            if (ChatCommands.controlCharacter(text) >= 0)
                return Failure.of(ErrorCode.BAD_REQUEST, "name contains a control character");
        }
        Object attributes = body.getValue("attributes");
        if (attributes != null) {
            if (!(attributes instanceof JsonObject sheet))
                return Failure.of(ErrorCode.BAD_REQUEST, "attributes must be a JSON object");
            if (sheet.encode().length() > DiceVerticle.MAX_SHEET_BYTES)
                return Failure.of(
                        ErrorCode.PAYLOAD_TOO_LARGE, "a sheet is at most " + DiceVerticle.MAX_SHEET_BYTES + " bytes");
        }
        Object owner = body.getValue("ownerId");
        if (owner != null && !(owner instanceof String))
            return Failure.of(ErrorCode.BAD_REQUEST, "ownerId must be a user id");
        return null;
    }
}
