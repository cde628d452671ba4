package io.vertable.persistence;

import io.vertable.kit.stores.CharactersClient;
import io.vertable.security.Ids;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Character sheets: a name, an owner and attributes as JSON, read by the dice for {@code @} variables. Players see and
 * change their own characters, GMs every character of the room. Requests name the acting user and whether they are a
 * GM ({@code userId}, {@code gm}); the services take both from trusted headers or the session.
 */
final class CharactersStore {

    private static final String COLUMNS = "id, owner_id, name, sheet, notes, portrait, updated_at";

    private final Pool pool;

    CharactersStore(Pool pool) {
        this.pool = pool;
    }

    Operations operations(String address) {
        return new Operations(address)
                .on(CharactersClient.Op.CREATE, this::create)
                .on(CharactersClient.Op.UPDATE, this::update)
                .on(CharactersClient.Op.GET, this::get)
                .on(CharactersClient.Op.LIST, this::list)
                .on(CharactersClient.Op.FOR_ROLL, this::forRoll);
    }

    /** A GM may create a character for any member (or none: an NPC); a player only for themselves. */
    private Future<JsonObject> create(JsonObject request) {
        boolean gm = request.getBoolean("gm");
        String owner =
                gm && request.containsKey("ownerId") ? request.getString("ownerId") : request.getString("userId");
        // The owner must be a member of the room (or nobody: an NPC).
        return pool.preparedQuery("INSERT INTO characters (id, room_id, owner_id, name, sheet, notes, portrait) "
                        + "SELECT $1, $2, $3, $4, $5, $6, $7 WHERE $3::text IS NULL OR EXISTS "
                        + "(SELECT 1 FROM room_members WHERE room_id = $2 AND user_id = $3) RETURNING " + COLUMNS)
                .execute(Tuple.of(
                        Ids.newId(),
                        request.getString("roomId"),
                        owner,
                        request.getString("name"),
                        request.getJsonObject("attributes", new JsonObject()),
                        request.getString("notes", ""),
                        request.getString("portrait")))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "the owner is not a member");
                    return character(rows.iterator().next());
                });
    }

    private Future<JsonObject> update(JsonObject request) {
        return owned(request)
                .compose(current -> pool.preparedQuery(
                                "UPDATE characters SET name = $3, sheet = $4, notes = $5, portrait = $6, "
                                        + "updated_at = now() WHERE room_id = $1 AND id = $2 RETURNING " + COLUMNS)
                        .execute(Tuple.of(
                                request.getString("roomId"),
                                request.getString("id"),
                                request.getString("name", current.getString("name")),
                                request.getJsonObject("attributes", current.getJsonObject("attributes")),
                                request.getString("notes", current.getString("notes")),
                                request.containsKey("portrait")
                                        ? request.getString("portrait")
                                        : current.getString("portrait"))))
                .map(rows -> character(rows.iterator().next()));
    }

    private Future<JsonObject> get(JsonObject request) {
        return owned(request);
    }

    private Future<JsonObject> list(JsonObject request) {
        boolean gm = request.getBoolean("gm");
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM characters WHERE room_id = $1 AND ($2 OR owner_id = $3) "
                        + "ORDER BY created_at, id")
                .execute(Tuple.of(request.getString("roomId"), gm, request.getString("userId")))
                .map(rows -> {
                    JsonArray characters = new JsonArray();
                    rows.forEach(row -> characters.add(character(row)));
                    return new JsonObject().put("characters", characters);
                });
    }

    /**
     * The attributes a roll reads: the named character (by id or name) if the roller may use it, else the roller's
     * first character, else none.
     */
    private Future<JsonObject> forRoll(JsonObject request) {
        String wanted = request.getString("character");
        boolean gm = request.getBoolean("gm");
        String sql = wanted == null
                ? "SELECT " + COLUMNS
                        + " FROM characters WHERE room_id = $1 AND owner_id = $2 ORDER BY created_at, id LIMIT 1"
                : "SELECT " + COLUMNS + " FROM characters WHERE room_id = $1 AND ($3 OR owner_id = $2) "
                        + "AND (id = $4 OR lower(name) = lower($4)) ORDER BY created_at, id LIMIT 1";
        Tuple params = wanted == null
                ? Tuple.of(request.getString("roomId"), request.getString("userId"))
                : Tuple.of(request.getString("roomId"), request.getString("userId"), gm, wanted);
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            if (rows.size() == 0) {
                if (wanted != null)
                    throw new FailureException(ErrorCode.NOT_FOUND, "no character of yours is called " + wanted);
                return new JsonObject().put("attributes", new JsonObject());
            }
            return character(rows.iterator().next());
        });
    }

    /** The character, if the user may see and change it. */
    private Future<JsonObject> owned(JsonObject request) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM characters WHERE room_id = $1 AND id = $2")
                .execute(Tuple.of(request.getString("roomId"), request.getString("id")))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such character");
                    JsonObject character = character(rows.iterator().next());
                    if (!request.getBoolean("gm")
                            && !request.getString("userId").equals(character.getString("ownerId")))
                        throw new FailureException(ErrorCode.CHARACTER_NOT_OWNED, null);
                    return character;
                });
    }

    private static JsonObject character(Row row) {
        return new JsonObject()
                .put("id", row.getString("id"))
                .put("ownerId", row.getString("owner_id"))
                .put("name", row.getString("name"))
                .put("attributes", (JsonObject) row.getJson("sheet"))
                .put("notes", row.getString("notes"))
                .put("portrait", row.getString("portrait"))
                .put("updatedAt", row.getOffsetDateTime("updated_at").toString());
    }
}
