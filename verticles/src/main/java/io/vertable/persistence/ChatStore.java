package io.vertable.persistence;

import io.vertable.kit.stores.ChatStoreClient;
import io.vertable.shared.chat.MessageViews;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The chat table: a copy of the room log's chat events, written in the same transaction as the events themselves
 * ({@link #mirror}), kept for paging and full-text search. Every read is filtered in SQL for the asking user with the
 * same rule as the live streams ({@link MessageViews}), so history and search show nobody another's whisper.
 */
final class ChatStore {

    static final int MAX_PAGE = 100;
    static final int MAX_QUERY = 200;

    /** Rows the viewer ($2 user id, $3 is a GM) may see at all: in the audience, or the roller of a blind roll. */
    private static final String VISIBLE = "deleted_at IS NULL AND (audience = '\"all\"'::jsonb "
            + "OR ($3 AND (audience = '\"gm\"'::jsonb OR audience @> '{\"gm\": true}'::jsonb)) "
            + "OR audience -> 'users' @> jsonb_build_array($2::text) "
            + "OR (author_id = $2 AND data ->> 'mode' = 'blind'))";

    private static final String COLUMNS = "id, seq, author_id, audience, data, created_at, edited_at";

    private final Pool pool;

    ChatStore(Pool pool) {
        this.pool = pool;
    }

    Operations operations(String address) {
        return new Operations(address)
                .on(ChatStoreClient.Op.HISTORY, this::history)
                .on(ChatStoreClient.Op.SEARCH, this::search)
                .on(ChatStoreClient.Op.GET, this::get)
                .on(ChatStoreClient.Op.DICE_STATS, this::diceStats);
    }

    /** Applies the chat events of an appended batch to the chat table, inside the append's transaction. */
    static Future<Void> mirror(SqlConnection conn, String roomId, JsonArray events) {
        Future<Void> done = Future.succeededFuture();
        for (Object e : events) {
            JsonObject event = (JsonObject) e;
            JsonObject data = event.getJsonObject("data");
            switch (event.getString("type")) {
                case "chat.message" -> done = done.compose(ok -> conn.preparedQuery(
                                "INSERT INTO chat_messages (id, room_id, seq, author_id, kind, body, audience, data, created_at) "
                                        + "VALUES ($1, $2, $3, (SELECT id FROM users WHERE id = $4), $5, $6, $7, $8, $9) "
                                        // an imported room's authors may be accounts of another server
                                        + "ON CONFLICT (room_id, id) DO NOTHING")
                        .execute(Tuple.of(
                                data.getString("id"),
                                roomId,
                                event.getLong("seq"),
                                event.getString("actor"),
                                data.getString("kind"),
                                searchable(data),
                                event.getValue("audience"),
                                data,
                                OffsetDateTime.ofInstant(
                                        Instant.ofEpochMilli(event.getLong("ts", 0L)), ZoneOffset.UTC)))
                        .mapEmpty());
                case "chat.edited" -> done = done.compose(ok -> conn.preparedQuery(
                                "UPDATE chat_messages SET body = $3, data = jsonb_set(data, '{text}', to_jsonb($3::text)), "
                                        + "edited_at = now() WHERE id = $1 AND room_id = $2")
                        .execute(Tuple.of(data.getString("id"), roomId, data.getString("text")))
                        .mapEmpty());
                case "chat.deleted" -> done = done.compose(ok -> conn.preparedQuery(
                                "UPDATE chat_messages SET deleted_at = now(), body = '' WHERE id = $1 AND room_id = $2")
                        .execute(Tuple.of(data.getString("id"), roomId))
                        .mapEmpty());
                case "room.settings" -> done =
                        done.compose(ok -> conn.preparedQuery("UPDATE rooms SET dice_dialect = $2 WHERE id = $1")
                                .execute(Tuple.of(roomId, data.getString("dialect")))
                                .mapEmpty());
                default -> {
                    // not a chat event
                }
            }
        }
        return done;
    }

    /**
     * What search matches: the words of a message, or of a roll its expressions and flavour — never its results, so a
     * blind roller cannot find out their number by searching for it.
     */
    private static String searchable(JsonObject data) {
        StringBuilder text = new StringBuilder(data.getString("text", ""));
        if (data.getString("flavor") != null) text.append(' ').append(data.getString("flavor"));
        if (!data.containsKey("text")) {
            for (Object roll : data.getJsonArray("rolls", new JsonArray())) {
                text.append(' ').append(((JsonObject) roll).getString("expression", ""));
            }
        }
        return text.toString().strip();
    }

    /** A page of what the user may see, newest first, before seq {@code before}. */
    private Future<JsonObject> history(JsonObject request) {
        int limit = Math.max(1, Math.min(MAX_PAGE, request.getInteger("limit", 50)));
        long before = request.getLong("before", Long.MAX_VALUE);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM chat_messages WHERE room_id = $1 AND " + VISIBLE
                        + " AND seq < $4 ORDER BY seq DESC LIMIT $5")
                .execute(Tuple.of(
                        request.getString("roomId"),
                        request.getString("userId"),
                        request.getBoolean("gm"),
                        before,
                        limit + 1))
                .map(rows -> page(request, rows, limit));
    }

    /** Full-text search over what the user may see; the query is words, never PostgreSQL query syntax. */
    private Future<JsonObject> search(JsonObject request) {
        String query = request.getString("q", "");
        if (query.isBlank() || query.length() > MAX_QUERY)
            return Future.failedFuture(new FailureException(
                    ErrorCode.BAD_REQUEST, "a search is 1 to " + MAX_QUERY + " characters of words"));
        int limit = Math.max(1, Math.min(MAX_PAGE, request.getInteger("limit", 50)));
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM chat_messages WHERE room_id = $1 AND " + VISIBLE
                        + " AND search @@ websearch_to_tsquery('simple', $4) ORDER BY seq DESC LIMIT $5")
                .execute(Tuple.of(
                        request.getString("roomId"),
                        request.getString("userId"),
                        request.getBoolean("gm"),
                        query,
                        limit + 1))
                .map(rows -> page(request, rows, limit));
    }

    /** One message's author, kind and audience, for the chat service's edit and delete checks. */
    private Future<JsonObject> get(JsonObject request) {
        return pool.preparedQuery(
                        "SELECT id, author_id, kind, audience, deleted_at, data ? 'rolls' AS rolls FROM chat_messages "
                                + "WHERE room_id = $1 AND id = $2")
                .execute(Tuple.of(request.getString("roomId"), request.getString("messageId")))
                .map(rows -> {
                    if (rows.size() == 0 || rows.iterator().next().getValue("deleted_at") != null)
                        throw new FailureException(ErrorCode.NOT_FOUND, "no such message");
                    Row row = rows.iterator().next();
                    return new JsonObject()
                            .put("id", row.getString("id"))
                            .put("author", row.getString("author_id"))
                            .put("kind", row.getString("kind"))
                            .put("rolls", row.getBoolean("rolls"))
                            .put("audience", row.getJson("audience"));
                });
    }

    /**
     * Per roller, every die of the room's last {@value #DICE_STATS_MESSAGES} messages with rolls (each holds at most 20
     * rolls): one SQL query that unnests rolls, dice terms and dice and counts them grouped by roller, faces and value.
     * Every die counts, kept, dropped or rerolled, in every mode (gm, blind, self: this is the GMs' view), and in
     * deleted messages too (deleting the card does not unroll the dice). Rows with {@code faces} null carry the
     * roller's roll count and latest display name. Malformed roll data (an imported log) is skipped, not failed.
     */
    private static final String DICE_STATS_SQL = "WITH recent AS ("
            + " SELECT seq, data FROM chat_messages WHERE room_id = $1 AND jsonb_typeof(data -> 'rolls') = 'array'"
            + " ORDER BY seq DESC LIMIT $2"
            + "), rolls AS ("
            + " SELECT recent.seq, recent.data ->> 'from' AS user_id, recent.data ->> 'name' AS name, r.roll"
            + " FROM recent CROSS JOIN LATERAL jsonb_array_elements(recent.data -> 'rolls') AS r(roll)"
            + " WHERE jsonb_typeof(r.roll) = 'object' AND recent.data ->> 'from' IS NOT NULL"
            + "), dice AS ("
            + " SELECT rolls.user_id, (t.term ->> 'faces')::numeric AS faces, (d.die ->> 'value')::numeric AS value"
            + " FROM rolls"
            + " CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(rolls.roll -> 'dice') = 'array'"
            + "   THEN rolls.roll -> 'dice' ELSE '[]'::jsonb END) AS t(term)"
            + " CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(t.term -> 'rolls') = 'array'"
            + "   THEN t.term -> 'rolls' ELSE '[]'::jsonb END) AS d(die)"
            + " WHERE jsonb_typeof(t.term -> 'faces') = 'number' AND jsonb_typeof(d.die -> 'value') = 'number'"
            + ")"
            + " SELECT user_id, (array_agg(name ORDER BY seq DESC))[1] AS name, NULL::numeric AS faces,"
            + " NULL::numeric AS value, count(*) AS n FROM rolls GROUP BY user_id"
            + " UNION ALL"
            + " SELECT user_id, NULL, faces, value, count(*) FROM dice GROUP BY user_id, faces, value";

    static final int DICE_STATS_MESSAGES = 10_000;

    private Future<JsonObject> diceStats(JsonObject request) {
        return pool.preparedQuery(DICE_STATS_SQL)
                .execute(Tuple.of(request.getString("roomId"), DICE_STATS_MESSAGES))
                .map(ChatStore::diceStatsOf);
    }

    /** {@code {players: [{userId, displayName, rolls, dice: {"20": {count, sum, faces: {"1": n, …}}}, nat20, nat1}]}}. */
    private static JsonObject diceStatsOf(Iterable<Row> rows) {
        java.util.Map<String, JsonObject> players = new java.util.LinkedHashMap<>();
        for (Row row : rows) {
            JsonObject player = players.computeIfAbsent(row.getString("user_id"), ChatStore::emptyPlayer);
            long n = row.getLong("n");
            if (row.getValue("faces") == null) {
                player.put("displayName", row.getString("name")).put("rolls", n);
                continue;
            }
            String faces = number(row, "faces");
            String value = number(row, "value");
            JsonObject die = player.getJsonObject("dice").getJsonObject(faces);
            if (die == null) {
                die = new JsonObject().put("count", 0L).put("sum", 0L).put("faces", new JsonObject());
                player.getJsonObject("dice").put(faces, die);
            }
            die.put("count", die.getLong("count") + n)
                    .put("sum", die.getLong("sum") + n * row.getNumeric("value").longValue());
            die.getJsonObject("faces").put(value, n);
            if (faces.equals("20") && value.equals("20")) player.put("nat20", player.getLong("nat20") + n);
            if (faces.equals("20") && value.equals("1")) player.put("nat1", player.getLong("nat1") + n);
        }
        JsonArray list = new JsonArray();
        players.values().stream()
                .sorted(java.util.Comparator.comparingLong((JsonObject p) -> -p.getLong("rolls")))
                .forEach(list::add);
        return new JsonObject().put("players", list);
    }

    private static JsonObject emptyPlayer(String userId) {
        return new JsonObject()
                .put("userId", userId)
                .put("displayName", "")
                .put("rolls", 0L)
                .put("dice", new JsonObject())
                .put("nat20", 0L)
                .put("nat1", 0L);
    }

    /** A numeric column as a JSON key: {@code 20}, {@code -1}. */
    private static String number(Row row, String column) {
        return row.getNumeric(column).bigDecimalValue().stripTrailingZeros().toPlainString();
    }

    private static JsonObject page(JsonObject request, Iterable<Row> rows, int limit) {
        String roomId = request.getString("roomId");
        String userId = request.getString("userId");
        boolean gm = request.getBoolean("gm");
        JsonArray messages = new JsonArray();
        int count = 0;
        for (Row row : rows) {
            if (++count > limit) break;
            JsonObject stored = new JsonObject()
                    .put("room", roomId)
                    .put("seq", row.getLong("seq"))
                    .put("type", "chat.message")
                    .put("actor", row.getString("author_id"))
                    .put("ts", row.getOffsetDateTime("created_at").toInstant().toEpochMilli())
                    .put("audience", row.getJson("audience"))
                    .put("data", (JsonObject) row.getJson("data"));
            JsonObject shown = MessageViews.forViewer(stored, userId, gm);
            if (row.getValue("edited_at") != null) shown.put("edited", true);
            messages.add(shown);
        }
        return new JsonObject().put("messages", messages).put("more", count > limit);
    }
}
