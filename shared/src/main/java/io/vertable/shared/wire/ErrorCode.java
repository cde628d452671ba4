package io.vertable.shared.wire;

import io.vertx.core.json.JsonObject;

/**
 * The catalog of error codes: the one source for REST problem bodies, bridge {@code err} frames and failed event-bus
 * replies. Each code carries the HTTP status it maps to and what it means to the person who sees it.
 */
public enum ErrorCode {
    BAD_REQUEST(400, "The request is malformed or a field is invalid."),
    BODY_NOT_JSON(400, "The message body must be a JSON object."),
    JSON_TOO_DEEP(400, "The JSON nests objects and arrays deeper than allowed (32 levels)."),
    ROOM_REQUIRED(400, "The command must name its room."),
    WEAK_PASSWORD(400, "The password is too short or too common."),
    DICE_SYNTAX(400, "The dice expression could not be read; the message says where."),
    DICE_INVALID(400, "The dice expression asks for something impossible, such as a die with no faces."),
    DICE_LIMIT(400, "The dice expression is too long or rolls too many dice."),
    DICE_DIVISION_BY_ZERO(400, "The dice expression divides by zero."),
    DICE_UNKNOWN_VARIABLE(400, "The character sheet has no such attribute."),
    WHISPER_NO_RECIPIENT(400, "Nobody in this room matches that whisper's names."),
    WHISPER_AMBIGUOUS(400, "Several members of this room go by that name; the whisper was not sent."),
    DISPLAY_NAME_INVALID(400, "A display name is 1 to 40 visible characters, without invisible or control characters."),
    ROOM_NAME_MISMATCH(400, "To delete a room, type its name exactly as it is."),
    OWNER_NOT_A_MEMBER(400, "A token's owners must be members of this room; nothing was changed."),
    RECIPIENT_NOT_A_MEMBER(400, "A handout can be shown only to members of this room; nothing was changed."),
    ARCHIVE_INVALID(400, "The file is not a readable Vertable room archive; nothing was imported."),
    ARCHIVE_UNSAFE_PATH(
            400, "An archive entry's name leaves the archive (../ or an absolute path); nothing was imported."),
    ARCHIVE_CHECKSUM_MISMATCH(
            400, "An archive entry does not match the checksum in its manifest, or is missing; nothing was imported."),
    ARCHIVE_VERSION_UNSUPPORTED(
            400, "The archive was written in a newer or unknown format version; nothing was imported."),
    WALL_DEGENERATE(400, "A wall's points must be finite numbers, and none of its segments may have zero length."),
    RADIUS_INVALID(
            400, "A radius (light, sight or darkvision) is a number of grid cells from 0 to 1,000, bright within dim."),
    INSTANCES_OUT_OF_RANGE(400, "A verticle's instance count is a whole number from 0 to 64."),
    UNAUTHENTICATED(401, "Sign in first, or the session has expired."),
    INVALID_CREDENTIALS(401, "Wrong username or password."),
    TOKEN_REVOKED(401, "This session was ended; sign in again."),
    FORBIDDEN(403, "You are not allowed to do that."),
    NOT_A_MEMBER(403, "You are not a member of this room."),
    GM_ONLY(403, "Only the room's GMs may do that."),
    BANNED(403, "You are banned from this room."),
    KICKED(403, "You were removed from this room."),
    ORIGIN_NOT_ALLOWED(403, "This page's origin may not connect to the table."),
    ADDRESS_NOT_ALLOWED(403, "That event-bus address is not open to browsers."),
    REPLY_ADDRESS_NOT_OWNED(403, "That reply address belongs to another connection."),
    CHARACTER_NOT_OWNED(403, "Only the character's owner or a GM may change it."),
    MESSAGE_NOT_OWNED(403, "Only the author may edit a message, and only a GM may delete another's."),
    DOOR_TOO_FAR(403, "Doors open and close only from next to one of your tokens."),
    TILE_UNEXPLORED(403, "That part of the map has not been explored yet."),
    MAP_SHOWN_IN_TILES(403, "This map is shown to players tile by tile, as they explore it."),
    ADMIN_ONLY(403, "Only operators (server role ADMIN) may do that."),
    NOT_FOUND(404, "There is no such thing."),
    INVITE_INVALID(404, "This invite link does not exist or was revoked."),
    NODE_NOT_FOUND(404, "No node of that id is in the cluster (it may have left)."),
    UNKNOWN_VERTICLE(404, "There is no verticle of that name (http, bridge, dice, map, chat, persistence)."),
    BODY_TOO_SLOW(408, "The request body arrived too slowly and was cut off; send it again."),
    CONFLICT(409, "That conflicts with the current state; reload and try again."),
    NOTHING_TO_UNDO(409, "There is nothing of yours here to undo."),
    MOVE_BLOCKED(409, "A wall stands in the way of that move; go around it, or open the door first."),
    DOOR_LOCKED(409, "That door is locked; only the GM can unlock it."),
    WALL_LIMIT(409, "A wall has at most 1,000 segments and a scene at most 10,000; split or simplify it."),
    LIGHT_LIMIT(409, "A scene has at most 200 lights; remove some before placing more."),
    ROLE_CHANGED(409, "Your role in this room changed; the table reconnects with the new one."),
    USERNAME_TAKEN(409, "That username is taken."),
    DISPLAY_NAME_TAKEN(
            409, "Someone in this room already goes by that name (or one that looks like it); pick another."),
    ASSET_LIMIT(409, "This room holds as many images as it may; delete some before uploading more."),
    NODE_CANNOT_RUN(
            409,
            "That node was started without the storage this verticle needs; restart it with a plan that names it."),
    ROOM_DELETED(410, "This room was deleted by its GM."),
    INVITE_EXPIRED(410, "This invite link has expired; ask the GM for a new one."),
    INVITE_EXHAUSTED(410, "This invite link has been used up; ask the GM for a new one."),
    PAYLOAD_TOO_LARGE(413, "The request is larger than allowed."),
    ARCHIVE_TOO_LARGE(
            413,
            "The archive, one of its entries or its unpacked content is larger than this server allows; nothing was"
                    + " imported."),
    ADDRESS_TOO_LONG(414, "The event-bus address is longer than allowed."),
    ASSET_NOT_AN_IMAGE(415, "Only PNG, JPEG, GIF and WebP images may be uploaded; the file's content is none of them."),
    IMAGE_NOT_TILEABLE(415, "This map image cannot be cut into tiles (WebP, or too large); use a PNG or JPEG map."),
    TOO_MANY_HANDLERS(429, "This connection listens to too many addresses."),
    RATE_LIMITED(429, "Too many requests; wait a moment and try again."),
    INTERNAL(500, "Something went wrong on the server; it has been logged."),
    SERVER_BUSY(
            503, "The server is reading as many request bodies as it may at once; retry after the Retry-After delay."),
    CONNECTION_TOO_SLOW(
            503,
            "The connection fell too far behind the table's events and was closed; the table reconnects and catches up."),
    SERVICE_UNAVAILABLE(503, "A service this needs is not reachable right now; try again shortly."),
    STORE_UNAVAILABLE(
            503, "The database is not reachable right now, so nothing was stored; the table resumes by itself."),
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

    public static java.util.Optional<ErrorCode> fromName(String name) {
        for (ErrorCode code : values()) if (code.name().equals(name)) return java.util.Optional.of(code);
        return java.util.Optional.empty();
    }

    /** The failure body of an event-bus reply or bridge error: {@code {"code": …, "message": …}}. */
    public JsonObject toJson(String message) {
        return new JsonObject().put("code", name()).put("message", message == null ? meaning : message);
    }
}
