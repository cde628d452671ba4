package io.vertable.shared;

import io.vertx.core.json.JsonObject;

/**
 * The catalog of error codes: the one source for REST problem bodies, bridge {@code err} frames and failed event-bus
 * replies. Each code carries the HTTP status it maps to and what it means to the person who sees it.
 */
public enum ErrorCode {
    BAD_REQUEST(400, "The request is malformed or a field is invalid."),
    UNAUTHENTICATED(401, "Sign in first, or the session has expired."),
    FORBIDDEN(403, "You are not allowed to do that."),
    NOT_FOUND(404, "There is no such thing."),
    CONFLICT(409, "That conflicts with the current state; reload and try again."),
    PAYLOAD_TOO_LARGE(413, "The request is larger than allowed."),
    RATE_LIMITED(429, "Too many requests; wait a moment and try again."),
    INTERNAL(500, "Something went wrong on the server; it has been logged."),
    SERVICE_UNAVAILABLE(503, "A service this needs is not reachable right now; try again shortly."),
    TIMEOUT(504, "A service this needs did not answer in time; try again.");

    private final int httpStatus;
    private final String meaning;

    ErrorCode(int httpStatus, String meaning) {
        this.httpStatus = httpStatus;
        this.meaning = meaning;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String meaning() {
        return meaning;
    }

    /** The failure body of an event-bus reply or bridge error: {@code {"code": …, "message": …}}. */
    public JsonObject toJson(String message) {
        return new JsonObject().put("code", name()).put("message", message == null ? meaning : message);
    }
}
