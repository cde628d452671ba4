package io.vertable.dice;

import io.vertable.shared.chat.ChatCommands;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertx.core.json.JsonObject;

/**
 * What a character sheet may hold: a short name, attributes as a JSON object of bounded size and count, free notes of
 * bounded length, an optional owner.
 */
public final class CharacterInput {

    static final int MAX_ATTRIBUTES = 200;
    static final int MAX_ATTRIBUTE_NAME = 64;
    static final int MAX_NOTES = 10_000;

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
        if (attributes instanceof JsonObject sheet) {
            if (sheet.size() > MAX_ATTRIBUTES)
                return Failure.of(ErrorCode.PAYLOAD_TOO_LARGE, "a sheet has at most " + MAX_ATTRIBUTES + " attributes");
            for (String key : sheet.fieldNames()) {
                if (key.isBlank() || key.length() > MAX_ATTRIBUTE_NAME || ChatCommands.controlCharacter(key) >= 0)
                    return Failure.of(
                            ErrorCode.BAD_REQUEST,
                            "an attribute's name is 1 to " + MAX_ATTRIBUTE_NAME + " characters, no control characters");
            }
        }
        Object notes = body.getValue("notes");
        if (notes != null) {
            if (!(notes instanceof String text)) return Failure.of(ErrorCode.BAD_REQUEST, "notes must be text");
            if (text.length() > MAX_NOTES)
                return Failure.of(ErrorCode.PAYLOAD_TOO_LARGE, "notes are at most " + MAX_NOTES + " characters");
            if (text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' && c != '\r'))
                return Failure.of(ErrorCode.BAD_REQUEST, "notes contain a control character");
        }
        Object owner = body.getValue("ownerId");
        if (owner != null && !(owner instanceof String))
            return Failure.of(ErrorCode.BAD_REQUEST, "ownerId must be a user id");
        Object portrait = body.getValue("portrait");
        if (portrait != null && !(portrait instanceof String id && id.matches("[A-Za-z0-9_-]{1,64}")))
            return Failure.of(ErrorCode.BAD_REQUEST, "portrait must be an image id of this room, or null");
        return null;
    }
}
