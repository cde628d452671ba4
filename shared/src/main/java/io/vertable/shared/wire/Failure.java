package io.vertable.shared.wire;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A refusal as it travels between services: a failed event-bus reply whose message is {@code {"code","message"}}.
 *
 * @param message what to tell the person, specific to this case
 */
public record Failure(ErrorCode code, String message) {

    public static Failure of(ErrorCode code, String message) {
        return new Failure(code, message == null ? code.meaning() : message);
    }

    public String encode() {
        return code.toJson(message).encode();
    }

    /**
     * Reads the message of a failed reply. Anything that is not one of ours becomes INTERNAL with the catalog's
     * words: foreign text (addresses, driver messages) is for logs, not for the person who sees the error.
     */
    public static Failure decode(String text) {
        if (text != null && text.startsWith("{")) {
            try {
                JsonObject json = new JsonObject(text);
                ErrorCode code = ErrorCode.fromName(json.getString("code")).orElse(ErrorCode.INTERNAL);
                return of(code, json.getString("message"));
            } catch (DecodeException | ClassCastException e) {
                // not one of ours: fall through
            }
        }
        return of(ErrorCode.INTERNAL, null);
    }
}
