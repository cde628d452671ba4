package io.vertable.http;

import io.vertable.kit.stores.EventsClient;
import io.vertable.shared.WholeNumbers;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.room.RoomViews;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.RoomArchive;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's log for replay, and whole rooms exported as a streamed ZIP archive ({@link RoomArchive}) and imported from
 * one — or from the older single JSON document, which both still speak.
 */
final class ArchiveRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRoutes.class);
    /** The last millisecond of the year 9999: later timestamps are not dates PostgreSQL stores. */
    private static final long MAX_TIMESTAMP = 253_402_300_799_999L;

    private final Api api;
    private final ArchiveLimits limits;

    ArchiveRoutes(Api api, JsonObject config) {
        this.api = api;
        this.limits = ArchiveLimits.of(config);
    }

    void mount(Router router) {
        router.get("/api/rooms/:roomId/events").handler(ctx -> api.respond(ctx, 200, () -> range(ctx)));
        router.get("/api/rooms/:roomId/state").handler(ctx -> api.respond(ctx, 200, () -> stateAt(ctx)));
        router.get("/api/rooms/:roomId/export").handler(this::export);
        router.post("/api/rooms/import").handler(ctx -> api.respond(ctx, 201, () -> importRoom(ctx)));
    }

    /** Events from..to (inclusive) of the stored log, for the GM's replay scrubber. */
    private Future<JsonObject> range(RoutingContext ctx) {
        long from = param(ctx, "from", 1);
        long to = param(ctx, "to", Long.MAX_VALUE);
        return api.requireGm(ctx).compose(ok -> api.stores.events().range(ctx.pathParam("roomId"), from, to));
    }

    /**
     * The GM's view of the room right after event {@code at} (clamped to the log; missing = the latest), rebuilt with
     * the rooms' own reducer from the nearest snapshot at or before it plus the events after, read page by page:
     * {@code {seq, at, view}} where {@code seq} is the end of the log. The replay scrubber draws it as it is.
     */
    private Future<JsonObject> stateAt(RoutingContext ctx) {
        String roomId = ctx.pathParam("roomId");
        String at = ctx.queryParams().get("at");
        Long upTo = at == null ? null : seq("at", at);
        return api.requireGm(ctx)
                .compose(ok -> api.stores.events().replayBase(roomId, upTo))
                .compose(base -> replayTo(roomId, startOf(roomId, base), base.getLong("at"))
                        .map(state -> new JsonObject()
                                .put("seq", base.getLong("seq"))
                                .put("at", base.getLong("at"))
                                .put("view", RoomViews.gm(state))));
    }

    private static JsonObject startOf(String roomId, JsonObject base) {
        JsonObject snapshot = base.getJsonObject("snapshot");
        return snapshot == null ? RoomReducer.empty(roomId) : snapshot.getJsonObject("state");
    }

    /** Applies the stored events after the state's seq up to {@code at}, one range page at a time. */
    private Future<JsonObject> replayTo(String roomId, JsonObject state, long at) {
        long from = state.getLong("seq") + 1;
        if (from > at) return Future.succeededFuture(state);
        return api.stores.events().range(roomId, from, at).compose(page -> {
            JsonArray events = page.getJsonArray("events");
            if (events.isEmpty()) return Future.succeededFuture(state); // the log has no gaps; never loop
            for (Object e : events) {
                JsonObject event = (JsonObject) e;
                RoomReducer.apply(state, event.getLong("seq"), event.getString("type"), event.getJsonObject("data"));
            }
            return replayTo(roomId, state, at);
        });
    }

    /** A seq in a query: a whole number from 0, nothing else. */
    /** A seq in a query: a whole number from 0, written plainly (no sign, at most 18 digits). */
    private static long seq(String name, String text) {
        if (!text.matches("[0-9]{1,18}")) {
            throw new FailureException(ErrorCode.BAD_REQUEST, name + " must be a seq: a whole number from 0");
        }
        return Long.parseLong(text);
    }

    /** The ZIP archive, streamed; {@code ?format=json} the older single document (at most 200,000 events). */
    private void export(RoutingContext ctx) {
        if ("json".equals(ctx.queryParams().get("format"))) {
            api.respond(ctx, 200, () -> exportJson(ctx));
            return;
        }
        String roomId = ctx.pathParam("roomId");
        Api.attempt(() -> api.requireGm(ctx).compose(ok -> api.stores.events().archiveHead(roomId)))
                .onSuccess(head -> streamArchive(ctx, roomId, head))
                .onFailure(e -> api.problem(ctx, e));
    }

    /**
     * Once the first bytes are out a refusal cannot be sent any more: a failure then resets the response, so the
     * download fails visibly instead of ending as a short archive.
     */
    private void streamArchive(RoutingContext ctx, String roomId, JsonObject head) {
        long started = System.nanoTime();
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader("content-type", RoomArchive.CONTENT_TYPE)
                .putHeader("content-disposition", "attachment; filename=\"room-" + roomId + ".zip\"")
                // What the archive will hold, known before its first byte, so a page can show progress and a summary.
                .putHeader("x-archive-events", Long.toString(head.getLong("seq")))
                .putHeader(
                        "x-archive-images",
                        Integer.toString(head.getJsonArray("assets").size()));
        new ArchiveWriter(api, roomId, response)
                .write(head)
                .onSuccess(written -> {
                    response.end();
                    LOG.info(
                            "room exported node={} room={} events={} images={} bytes={} ms={}",
                            api.nodeId,
                            roomId,
                            written.getLong("events"),
                            written.getInteger("images"),
                            written.getLong("bytes"),
                            (System.nanoTime() - started) / 1_000_000);
                })
                .onFailure(e -> {
                    LOG.warn("room export cut off node={} room={} reason={}", api.nodeId, roomId, e.getMessage());
                    response.reset();
                });
    }

    private Future<JsonObject> exportJson(RoutingContext ctx) {
        String roomId = ctx.pathParam("roomId");
        return api.requireGm(ctx)
                .compose(ok -> api.stores.events().export(roomId))
                .onSuccess(doc -> {
                    ctx.response()
                            .putHeader("content-disposition", "attachment; filename=\"room-" + roomId + ".json\"");
                    LOG.info(
                            "room exported node={} room={} events={}",
                            api.nodeId,
                            roomId,
                            doc.getJsonArray("events").size());
                });
    }

    /** A document checked and ready to store, the state its log folds to, and what it came as. */
    private record Prepared(JsonObject document, JsonObject state, String from) {}

    /**
     * A ZIP archive (by its first bytes or its declared type), unpacked and checked on a worker; else the JSON
     * document. Either is checked whole — limits, format, a log numbered 1..n without gaps that replays cleanly —
     * before anything is stored, then stored in one transaction as a new room whose GM is the caller.
     */
    private Future<JsonObject> importRoom(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (ArchiveReader.isZip(body) || declaresZip(ctx)) {
            return api.vertx
                    .executeBlocking(() -> prepare(ArchiveReader.read(body, limits), "zip"), false)
                    .compose(prepared -> store(ctx, prepared));
        }
        JsonObject document = Api.body(ctx);
        if (!EventsClient.EXPORT_FORMAT.equals(document.getString("format"))) {
            throw new FailureException(
                    ErrorCode.ARCHIVE_INVALID,
                    "not a Vertable room export (a ZIP archive, or JSON of format " + EventsClient.EXPORT_FORMAT + ")");
        }
        return store(ctx, prepare(document, "json"));
    }

    private static boolean declaresZip(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(RoomArchive.CONTENT_TYPE);
    }

    private static Prepared prepare(JsonObject document, String from) {
        JsonObject room = document.getValue("room") instanceof JsonObject r ? r : new JsonObject();
        document.put("room", room);
        room.put("name", Api.text(room, "name", 1, 80));
        if (!(document.getValue("assets", new JsonArray()) instanceof JsonArray)) {
            throw new FailureException(ErrorCode.BAD_REQUEST, "assets must be a list");
        }
        checkCharacters(document.getValue("characters", new JsonArray()));
        renameImages(document);
        JsonObject state = replay(document.getValue("events"));
        String problem = io.vertable.shared.room.RoomValidation.problem(state);
        if (problem != null) throw new FailureException(ErrorCode.BAD_REQUEST, "the room cannot be served: " + problem);
        return new Prepared(document, state, from);
    }

    private Future<JsonObject> store(RoutingContext ctx, Prepared prepared) {
        String owner = Api.identity(ctx).userId();
        return api.stores
                .events()
                .importRoom(owner, prepared.document(), prepared.state())
                .onSuccess(created -> LOG.info(
                        "room imported node={} room={} events={} images={} from={} by={}",
                        api.nodeId,
                        created.getString("id"),
                        created.getLong("seq"),
                        prepared.document()
                                .getJsonArray("assets", new JsonArray())
                                .size(),
                        prepared.from(),
                        owner));
    }

    /**
     * The imported room's images get ids of their own (an asset id belongs to one room), and every reference to them
     * in the log — a scene's or token's {@code image}, as an id or as {@code /api/assets/<id>} — is rewritten to match,
     * so the new room's members load them. References to images the archive does not hold are left as they are.
     */
    static void renameImages(JsonObject document) {
        java.util.Map<String, String> renamed = new java.util.HashMap<>();
        for (Object a : document.getJsonArray("assets", new JsonArray())) {
            if (!(a instanceof JsonObject asset) || !(asset.getValue("id") instanceof String id))
                throw new FailureException(ErrorCode.BAD_REQUEST, "each asset needs an id");
            String fresh = io.vertable.security.Ids.newId();
            renamed.put(id, fresh);
            renamed.put(ASSET_PATH + id, ASSET_PATH + fresh);
            asset.put("newId", fresh);
        }
        if (renamed.isEmpty()) return;
        // A sheet's portrait is one of the room's images too.
        for (Object c : document.getJsonArray("characters", new JsonArray())) {
            if (c instanceof JsonObject character
                    && character.getValue("portrait") instanceof String portrait
                    && renamed.containsKey(portrait)) character.put("portrait", renamed.get(portrait));
        }
        if (!(document.getValue("events") instanceof JsonArray events)) return;
        for (Object e : events) {
            if (e instanceof JsonObject event && event.getValue("data") instanceof JsonObject data)
                rewriteImages(data, renamed, 0);
        }
    }

    private static final String ASSET_PATH = "/api/assets/";
    static final int MAX_IMPORTED_CHARACTERS = 1_000;

    /** Sheets in an archive hold what the table's sheets may hold, and not too many of them. */
    private static void checkCharacters(Object value) {
        if (!(value instanceof JsonArray characters))
            throw new FailureException(ErrorCode.BAD_REQUEST, "characters must be a list");
        if (characters.size() > MAX_IMPORTED_CHARACTERS)
            throw new FailureException(
                    ErrorCode.PAYLOAD_TOO_LARGE, "at most " + MAX_IMPORTED_CHARACTERS + " characters in a room");
        int n = 0;
        for (Object c : characters) {
            n++;
            io.vertable.shared.wire.Failure invalid = c instanceof JsonObject character
                    ? io.vertable.dice.CharacterInput.check(character, true)
                    : io.vertable.shared.wire.Failure.of(ErrorCode.BAD_REQUEST, "not an object");
            if (invalid != null)
                throw new FailureException(invalid.code(), "character " + n + ": " + invalid.message());
        }
    }

    private static void rewriteImages(Object value, java.util.Map<String, String> renamed, int depth) {
        if (depth > io.vertable.shared.JsonLimits.MAX_DEPTH) return;
        if (value instanceof JsonObject object) {
            for (String key : new java.util.ArrayList<>(object.fieldNames())) {
                Object inner = object.getValue(key);
                if ("image".equals(key) && inner instanceof String image && renamed.containsKey(image))
                    object.put(key, renamed.get(image));
                else rewriteImages(inner, renamed, depth + 1);
            }
        } else if (value instanceof JsonArray array) {
            for (Object inner : array) rewriteImages(inner, renamed, depth + 1);
        }
    }

    /** Replays the log with the same reducer the rooms use; a log that does not replay is refused. */
    private static JsonObject replay(Object value) {
        if (!(value instanceof JsonArray events))
            throw new FailureException(ErrorCode.BAD_REQUEST, "events must be a list");
        JsonObject state = RoomReducer.empty("import");
        long expected = 1;
        for (Object e : events) {
            if (!(e instanceof JsonObject event)
                    || !(event.getValue("data") instanceof JsonObject data)
                    || !(event.getValue("type") instanceof String type)
                    || !(event.getValue("seq") instanceof Number seq)) {
                throw new FailureException(ErrorCode.BAD_REQUEST, "event " + expected + " is malformed");
            }
            if (!WholeNumbers.within(seq, expected, expected)) {
                throw new FailureException(
                        ErrorCode.BAD_REQUEST, "the log must run 1, 2, 3…; found " + seq + " at " + expected);
            }
            if (event.getValue("ts") != null && !WholeNumbers.within(event.getValue("ts"), 0, MAX_TIMESTAMP)) {
                throw new FailureException(
                        ErrorCode.BAD_REQUEST, "event " + expected + ": ts must be milliseconds since 1970");
            }
            try {
                RoomReducer.apply(state, expected, type, data);
            } catch (RuntimeException broken) {
                throw new FailureException(
                        ErrorCode.BAD_REQUEST, "event " + expected + " (" + type + ") does not replay");
            }
            expected++;
        }
        return state;
    }

    private static long param(RoutingContext ctx, String name, long fallback) {
        String text = ctx.queryParams().get(name);
        return text == null ? fallback : seq(name, text);
    }
}
