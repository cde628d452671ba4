package io.vertable.persistence;

import io.vertable.kit.stores.EventsClient;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The room event log. Appends are the fence between would-be owners: each batch locks the room row,
 * must continue the log exactly where it ends, and (room, seq) is unique — so a second writer is refused with
 * CONFLICT and the log can never fork or gap.
 */
final class EventsStore {

    /** Recent snapshots kept per room; older ones go, the log itself stays whole for replay. */
    private static final int SNAPSHOTS_KEPT = 3;

    /**
     * Of older snapshots, the newest in each stretch of this many events stays, so a replay to any past point
     * ({@code /state?at=}) folds at most about twice this many events instead of the whole log.
     */
    static final int REPLAY_SNAPSHOT_EVERY = 1_000;

    private static final int MAX_RANGE = 5_000;
    private static final String INSERT_EVENT =
            "INSERT INTO events (room_id, seq, type, actor, ts, audience, data, command_id) "
                    + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    static final int MAX_EXPORT_EVENTS = 200_000;

    private final Pool pool;

    EventsStore(Pool pool) {
        this.pool = pool;
    }

    Operations operations(String address) {
        return new Operations(address)
                .on(EventsClient.Op.LOAD, this::load)
                .on(EventsClient.Op.APPEND, this::append)
                .on(EventsClient.Op.SNAPSHOT, this::snapshot)
                .on(EventsClient.Op.RANGE, this::range)
                .on(EventsClient.Op.REPLAY_BASE, this::replayBase)
                .on(EventsClient.Op.EXPORT, this::export)
                .on(EventsClient.Op.ARCHIVE_HEAD, this::archiveHead)
                .on(EventsClient.Op.IMPORT, this::importRoom);
    }

    /** The latest snapshot (or none), every event after it, and the recent command ids with their last seq. */
    private Future<JsonObject> load(JsonObject request) {
        String roomId = request.getString("roomId");
        return pool.withConnection(conn -> conn.preparedQuery("SELECT 1 FROM rooms WHERE id = $1")
                .execute(Tuple.of(roomId))
                .compose(rooms -> {
                    if (rooms.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such room");
                    return conn.preparedQuery(
                                    "SELECT seq, state FROM snapshots WHERE room_id = $1 ORDER BY seq DESC LIMIT 1")
                            .execute(Tuple.of(roomId));
                })
                .compose(snapshots -> {
                    JsonObject result = new JsonObject();
                    long after = 0;
                    if (snapshots.size() > 0) {
                        Row row = snapshots.iterator().next();
                        after = row.getLong("seq");
                        result.put(
                                "snapshot",
                                new JsonObject().put("seq", after).put("state", (JsonObject) row.getJson("state")));
                    }
                    return events(conn, roomId, after + 1, Long.MAX_VALUE, Integer.MAX_VALUE)
                            .map(events -> result.put("events", events));
                })
                .compose(result -> conn.preparedQuery(
                                "SELECT command_id, max(seq) AS seq FROM events "
                                        + "WHERE room_id = $1 AND command_id IS NOT NULL AND seq > "
                                        + "(SELECT coalesce(max(seq), 0) - $2 FROM events WHERE room_id = $1) GROUP BY command_id")
                        .execute(Tuple.of(roomId, EventsClient.RECENT_COMMANDS))
                        .map(rows -> {
                            JsonObject commands = new JsonObject();
                            rows.forEach(row -> commands.put(row.getString("command_id"), row.getLong("seq")));
                            return result.put("commands", commands);
                        })));
    }

    private Future<JsonObject> append(JsonObject request) {
        String roomId = request.getString("roomId");
        JsonArray events = request.getJsonArray("events");
        long first = events.getJsonObject(0).getLong("seq");
        List<Tuple> rows = new ArrayList<>();
        for (Object e : events) {
            JsonObject event = (JsonObject) e;
            rows.add(row(roomId, event));
        }
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE")
                        .execute(Tuple.of(roomId))
                        .compose(locked -> conn.preparedQuery(
                                        "SELECT coalesce(max(seq), 0) FROM events WHERE room_id = $1")
                                .execute(Tuple.of(roomId)))
                        .compose(last -> {
                            long end = last.iterator().next().getLong(0);
                            if (end != first - 1) {
                                throw new FailureException(
                                        ErrorCode.CONFLICT, "fenced: the log ends at " + end + ", not " + (first - 1));
                            }
                            return conn.preparedQuery(INSERT_EVENT).executeBatch(rows);
                        })
                        .compose(inserted -> ChatStore.mirror(conn, roomId, events)))
                .map(done -> new JsonObject()
                        .put("seq", events.getJsonObject(events.size() - 1).getLong("seq")))
                .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
                        ? Future.failedFuture(new FailureException(ErrorCode.CONFLICT, "fenced: seq already written"))
                        : Future.failedFuture(e));
    }

    private Future<JsonObject> snapshot(JsonObject request) {
        String roomId = request.getString("roomId");
        long seq = request.getLong("seq");
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "INSERT INTO snapshots (room_id, seq, state) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(roomId, seq, request.getJsonObject("state")))
                        .compose(done -> conn.preparedQuery("DELETE FROM snapshots s WHERE s.room_id = $1"
                                        + " AND s.seq NOT IN (SELECT seq FROM snapshots WHERE room_id = $1 ORDER BY seq DESC"
                                        + " LIMIT $2)"
                                        + " AND EXISTS (SELECT 1 FROM snapshots t WHERE t.room_id = $1"
                                        + " AND t.seq / $3 = s.seq / $3 AND t.seq > s.seq)")
                                .execute(Tuple.of(roomId, SNAPSHOTS_KEPT, REPLAY_SNAPSHOT_EVERY))))
                .map(done -> new JsonObject().put("seq", seq));
    }

    /** Events from..to inclusive (at most {@value #MAX_RANGE}), for replay and for clients too far behind. */
    private Future<JsonObject> range(JsonObject request) {
        long from = Math.max(1, request.getLong("from", 1L));
        long to = request.getLong("to", Long.MAX_VALUE);
        return pool.withConnection(conn -> events(conn, request.getString("roomId"), from, to, MAX_RANGE))
                .map(events -> new JsonObject().put("events", events).put("truncated", events.size() == MAX_RANGE));
    }

    /**
     * Where a replay to {@code at} starts: the end of the log ({@code seq}), {@code at} clamped to 0..seq, and the
     * nearest snapshot at or before it (none when only later snapshots are kept: the replay then starts from the
     * empty room). The caller reads the events after the snapshot with {@code range}.
     */
    private Future<JsonObject> replayBase(JsonObject request) {
        String roomId = request.getString("roomId");
        long at = request.getLong("at", Long.MAX_VALUE);
        return pool.withConnection(conn -> conn.preparedQuery(
                        "SELECT coalesce(max(seq), 0) FROM events WHERE room_id = $1")
                .execute(Tuple.of(roomId))
                .compose(last -> {
                    long end = last.iterator().next().getLong(0);
                    JsonObject base = new JsonObject().put("seq", end).put("at", Math.max(0, Math.min(at, end)));
                    return conn.preparedQuery("SELECT seq, state FROM snapshots "
                                    + "WHERE room_id = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1")
                            .execute(Tuple.of(roomId, base.getLong("at")))
                            .map(rows -> withSnapshot(base, rows));
                }));
    }

    /** The whole room as one document: what it is, its full log, its assets. */
    private Future<JsonObject> export(JsonObject request) {
        String roomId = request.getString("roomId");
        return pool.withConnection(conn -> conn.preparedQuery("SELECT name, dice_dialect FROM rooms WHERE id = $1")
                .execute(Tuple.of(roomId))
                .compose(rooms -> {
                    if (rooms.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such room");
                    Row room = rooms.iterator().next();
                    JsonObject document = new JsonObject()
                            .put("format", EventsClient.EXPORT_FORMAT)
                            .put(
                                    "room",
                                    new JsonObject()
                                            .put("name", room.getString("name"))
                                            .put("diceDialect", room.getString("dice_dialect")));
                    return events(conn, roomId, 1, Long.MAX_VALUE, MAX_EXPORT_EVENTS + 1)
                            .map(events -> {
                                // Never a silently shortened log: a longer room goes out as a ZIP archive.
                                if (events.size() > MAX_EXPORT_EVENTS)
                                    throw new FailureException(
                                            ErrorCode.ARCHIVE_TOO_LARGE,
                                            "the JSON export holds at most " + MAX_EXPORT_EVENTS
                                                    + " events; export this room as a ZIP archive");
                                return document.put("events", events);
                            });
                })
                .compose(document -> conn.preparedQuery(
                                "SELECT id, name, content_type, content FROM assets WHERE room_id = $1 ORDER BY created_at")
                        .execute(Tuple.of(roomId))
                        .map(rows -> {
                            JsonArray assets = new JsonArray();
                            rows.forEach(row -> assets.add(new JsonObject()
                                    .put("id", row.getString("id"))
                                    .put("name", row.getString("name"))
                                    .put("contentType", row.getString("content_type"))
                                    .put(
                                            "content",
                                            java.util.Base64.getEncoder()
                                                    .encodeToString(row.getBuffer("content")
                                                            .getBytes()))));
                            return document.put("assets", assets);
                        }))
                .compose(document ->
                        characters(conn, roomId).map(characters -> document.put("characters", characters))));
    }

    /** The room's sheets, oldest first, without their owners: the people of one room are not another's. */
    private static Future<JsonArray> characters(SqlConnection conn, String roomId) {
        return conn.preparedQuery("SELECT name, sheet, notes, portrait FROM characters WHERE room_id = $1 "
                        + "ORDER BY created_at, id")
                .execute(Tuple.of(roomId))
                .map(rows -> {
                    JsonArray characters = new JsonArray();
                    rows.forEach(row -> characters.add(new JsonObject()
                            .put("name", row.getString("name"))
                            .put("attributes", (JsonObject) row.getJson("sheet"))
                            .put("notes", row.getString("notes"))
                            .put("portrait", row.getString("portrait"))));
                    return characters;
                });
    }

    /**
     * A room archive's small parts, read at once: the room, where its log ends, its newest snapshot, its sheets and
     * its images without their bytes (the archive reads the log and the bytes page by page, image by image).
     */
    private Future<JsonObject> archiveHead(JsonObject request) {
        String roomId = request.getString("roomId");
        return pool.withConnection(conn -> conn.preparedQuery("SELECT name, dice_dialect,"
                        + " (SELECT coalesce(max(seq), 0) FROM events WHERE room_id = $1) AS seq"
                        + " FROM rooms WHERE id = $1")
                .execute(Tuple.of(roomId))
                .map(rooms -> {
                    if (rooms.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such room");
                    Row room = rooms.iterator().next();
                    return new JsonObject()
                            .put(
                                    "room",
                                    new JsonObject()
                                            .put("name", room.getString("name"))
                                            .put("diceDialect", room.getString("dice_dialect")))
                            .put("seq", room.getLong("seq"));
                })
                .compose(head -> conn.preparedQuery(
                                "SELECT seq, state FROM snapshots WHERE room_id = $1 ORDER BY seq DESC LIMIT 1")
                        .execute(Tuple.of(roomId))
                        .map(rows -> withSnapshot(head, rows)))
                .compose(head -> characters(conn, roomId).map(characters -> head.put("characters", characters)))
                .compose(head -> conn.preparedQuery("SELECT id, name, content_type, size_bytes, sha256 FROM assets"
                                + " WHERE room_id = $1 ORDER BY created_at, id")
                        .execute(Tuple.of(roomId))
                        .map(rows -> {
                            JsonArray assets = new JsonArray();
                            rows.forEach(row -> assets.add(new JsonObject()
                                    .put("id", row.getString("id"))
                                    .put("name", row.getString("name"))
                                    .put("contentType", row.getString("content_type"))
                                    .put("size", row.getInteger("size_bytes"))
                                    .put("sha256", row.getString("sha256"))));
                            return head.put("assets", assets);
                        })));
    }

    /**
     * A new room from an exported document, owned by the importer: its log is stored as it was (same seqs, same
     * ids inside), followed by a snapshot of its final state so the room loads from one read.
     */
    private Future<JsonObject> importRoom(JsonObject request) {
        String roomId = io.vertable.security.Ids.newId();
        String owner = request.getString("ownerId");
        JsonObject document = request.getJsonObject("document");
        JsonArray events = document.getJsonArray("events");
        List<Tuple> rows = new ArrayList<>();
        for (Object e : events) {
            JsonObject event = (JsonObject) e;
            rows.add(row(roomId, event));
        }
        List<Tuple> assets = new ArrayList<>();
        for (Object a : document.getJsonArray("assets", new JsonArray())) {
            JsonObject asset = (JsonObject) a;
            // Base64 from a JSON export, or an archive's bytes (base64url once a cluster's bus has encoded them).
            byte[] content = asset.getValue("content") instanceof String base64
                    ? java.util.Base64.getDecoder()
                            .decode(base64.replace('-', '+').replace('_', '/'))
                    : asset.getBuffer("content").getBytes();
            assets.add(Tuple.of(
                    asset.getString("newId", asset.getString("id") + "-" + roomId.substring(0, 6)),
                    roomId,
                    owner,
                    asset.getString("name"),
                    asset.getString("contentType"),
                    content.length,
                    sha256(content),
                    io.vertx.core.buffer.Buffer.buffer(content)));
        }
        List<Tuple> characters = new ArrayList<>();
        for (Object c : document.getJsonArray("characters", new JsonArray())) {
            JsonObject character = (JsonObject) c;
            characters.add(Tuple.of(
                    io.vertable.security.Ids.newId(),
                    roomId,
                    character.getString("name"),
                    character.getJsonObject("attributes", new JsonObject()),
                    character.getString("notes", ""),
                    character.getString("portrait")));
        }
        JsonObject room = document.getJsonObject("room");
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "INSERT INTO rooms (id, name, owner_id, dice_dialect) VALUES ($1, $2, $3, $4)")
                        .execute(Tuple.of(
                                roomId, room.getString("name"), owner, room.getString("diceDialect", "roll20")))
                        .compose(done -> conn.preparedQuery(
                                        "INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, 'GM')")
                                .execute(Tuple.of(roomId, owner)))
                        .compose(done -> rows.isEmpty()
                                ? Future.succeededFuture()
                                : conn.preparedQuery(INSERT_EVENT).executeBatch(rows))
                        .compose(done -> ChatStore.mirror(conn, roomId, events))
                        .compose(done -> rows.isEmpty()
                                ? Future.succeededFuture()
                                : conn.preparedQuery("INSERT INTO snapshots (room_id, seq, state) VALUES ($1, $2, $3)")
                                        .execute(Tuple.of(
                                                roomId,
                                                (long) events.size(),
                                                request.getJsonObject("state").put("room", roomId))))
                        .compose(done -> assets.isEmpty()
                                ? Future.succeededFuture()
                                : conn.preparedQuery(
                                                "INSERT INTO assets (id, room_id, uploaded_by, name, content_type, size_bytes, sha256, content) "
                                                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                                        .executeBatch(assets))
                        // Imported sheets belong to nobody (the GM's, like NPCs) until the GM hands them out.
                        .compose(done -> characters.isEmpty()
                                ? Future.succeededFuture()
                                : conn.preparedQuery(
                                                "INSERT INTO characters (id, room_id, owner_id, name, sheet, notes, portrait) "
                                                        + "VALUES ($1, $2, NULL, $3, $4, $5, $6)")
                                        .executeBatch(characters)))
                .map(done -> new JsonObject()
                        .put("id", roomId)
                        .put("name", room.getString("name"))
                        .put("seq", events.size()));
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Future<JsonArray> events(SqlConnection conn, String roomId, long from, long to, int limit) {
        return conn.preparedQuery("SELECT seq, type, actor, ts, audience, data FROM events "
                        + "WHERE room_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq LIMIT $4")
                .execute(Tuple.of(roomId, from, to, limit))
                .map(rows -> {
                    JsonArray events = new JsonArray();
                    for (Row row : rows) {
                        events.add(new JsonObject()
                                .put("seq", row.getLong("seq"))
                                .put("type", row.getString("type"))
                                .put("actor", row.getString("actor"))
                                .put(
                                        "ts",
                                        row.getOffsetDateTime("ts").toInstant().toEpochMilli())
                                .put("audience", row.getJson("audience"))
                                .put("data", (JsonObject) row.getJson("data")));
                    }
                    return events;
                });
    }

    /** One event as an INSERT_EVENT row (imports keep their events' actors; their command ids are not carried). */
    private static Tuple row(String roomId, JsonObject event) {
        return Tuple.of(
                roomId,
                event.getLong("seq"),
                event.getString("type"),
                event.getString("actor"),
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(event.getLong("ts", 0L)), ZoneOffset.UTC),
                event.getValue("audience", "gm"),
                event.getJsonObject("data"),
                event.getString("cid"));
    }

    /** {@code into} with the snapshot row of {@code rows} (seq, state), if the query found one. */
    private static JsonObject withSnapshot(JsonObject into, io.vertx.sqlclient.RowSet<Row> rows) {
        if (rows.size() == 0) return into;
        Row row = rows.iterator().next();
        return into.put(
                "snapshot",
                new JsonObject().put("seq", row.getLong("seq")).put("state", (JsonObject) row.getJson("state")));
    }
}
