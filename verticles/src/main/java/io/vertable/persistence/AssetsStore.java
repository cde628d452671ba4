package io.vertable.persistence;

import io.vertable.kit.stores.AssetsClient;
import io.vertable.security.Ids;
import io.vertable.shared.asset.AssetLimits;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Room images (assets). The HTTP verticle has checked the caller's role and the bytes' type; this store
 * keeps each room within its budget and serves an asset's bytes only to a member of its room. Bytes travel over the
 * bus as a {@link Buffer} field (base64 in JSON when the bus is clustered).
 */
final class AssetsStore {

    /** Key space of the advisory locks that serialise uploads per room (so two cannot both take the last place). */
    private static final int UPLOAD_LOCK_SPACE = 0x56_54_41; // "VTA"

    private static final String META = "id, name, content_type, size_bytes, sha256, created_at";

    private final Pool pool;

    AssetsStore(Pool pool) {
        this.pool = pool;
    }

    Operations operations(String address) {
        return new Operations(address)
                .on(AssetsClient.Op.CREATE, this::create)
                .on(AssetsClient.Op.LIST, this::list)
                .on(AssetsClient.Op.DELETE, this::delete)
                .on(AssetsClient.Op.GET, this::get)
                .on(AssetsClient.Op.CONTENT, this::content);
    }

    /** Stores one image if the room has room for it: {@code {roomId, uploadedBy, name, contentType, sha256, content}}. */
    private Future<JsonObject> create(JsonObject request) {
        String roomId = request.getString("roomId");
        Buffer content = request.getBuffer("content");
        String id = Ids.newId();
        return pool.withTransaction(conn -> lockUploads(conn, roomId)
                .compose(locked -> checkBudget(conn, roomId))
                .compose(ok -> conn.preparedQuery(
                                "INSERT INTO assets (id, room_id, uploaded_by, name, content_type, size_bytes, sha256, content) "
                                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + META)
                        .execute(Tuple.of(
                                id,
                                roomId,
                                request.getString("uploadedBy"),
                                request.getString("name"),
                                request.getString("contentType"),
                                content.length(),
                                request.getString("sha256"),
                                content)))
                .map(rows -> meta(rows.iterator().next())));
    }

    private static Future<Void> lockUploads(SqlConnection conn, String roomId) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                .execute(Tuple.of(UPLOAD_LOCK_SPACE, roomId))
                .mapEmpty();
    }

    private static Future<Void> checkBudget(SqlConnection conn, String roomId) {
        return conn.preparedQuery("SELECT count(*) FROM assets WHERE room_id = $1")
                .execute(Tuple.of(roomId))
                .map(rows -> {
                    if (rows.iterator().next().getLong(0) >= AssetLimits.MAX_PER_ROOM) {
                        throw new FailureException(
                                ErrorCode.ASSET_LIMIT,
                                "a room holds at most " + AssetLimits.MAX_PER_ROOM + " images; delete some first");
                    }
                    return null;
                });
    }

    /** The room's assets, oldest first, without their bytes. */
    private Future<JsonObject> list(JsonObject request) {
        return pool.preparedQuery("SELECT " + META + " FROM assets WHERE room_id = $1 ORDER BY created_at, id")
                .execute(Tuple.of(request.getString("roomId")))
                .map(rows -> {
                    JsonArray assets = new JsonArray();
                    rows.forEach(row -> assets.add(meta(row)));
                    return new JsonObject().put("assets", assets);
                });
    }

    private Future<JsonObject> delete(JsonObject request) {
        return pool.preparedQuery("DELETE FROM assets WHERE id = $1 AND room_id = $2 RETURNING id")
                .execute(Tuple.of(request.getString("assetId"), request.getString("roomId")))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such asset in this room");
                    return new JsonObject().put("id", request.getString("assetId"));
                });
    }

    /**
     * One asset for {@code userId}, who must be an unbanned member of its room: anyone else is told it does not exist.
     * When one of {@code etags} is its sha256 (or {@code *}), the bytes are left out ({@code notModified: true}).
     */
    private Future<JsonObject> get(JsonObject request) {
        String[] etags = request.getJsonArray("etags", new JsonArray()).stream()
                .map(String::valueOf)
                .toArray(String[]::new);
        return pool.preparedQuery("SELECT a.room_id, a." + META.replace(", ", ", a.")
                        + ", CASE WHEN a.sha256 = ANY($3) OR '*' = ANY($3) THEN NULL ELSE a.content END AS content "
                        + "FROM assets a "
                        + "JOIN room_members m ON m.room_id = a.room_id AND m.user_id = $2 AND NOT m.banned "
                        + "WHERE a.id = $1")
                .execute(Tuple.of(request.getString("assetId"), request.getString("userId"), etags))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such asset");
                    Row row = rows.iterator().next();
                    JsonObject asset = meta(row).put("roomId", row.getString("room_id"));
                    Buffer content = row.getBuffer("content");
                    return content == null ? asset.put("notModified", true) : asset.put("content", content);
                });
    }

    /** One asset's bytes, by room and id (the caller checked the room's GM). */
    private Future<JsonObject> content(JsonObject request) {
        String assetId = request.getString("assetId");
        return pool.preparedQuery("SELECT content FROM assets WHERE id = $1 AND room_id = $2")
                .execute(Tuple.of(assetId, request.getString("roomId")))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such asset in this room");
                    return new JsonObject()
                            .put("id", assetId)
                            .put("content", rows.iterator().next().getBuffer("content"));
                });
    }

    private static JsonObject meta(Row row) {
        String id = row.getString("id");
        return new JsonObject()
                .put("id", id)
                .put("name", row.getString("name"))
                .put("contentType", row.getString("content_type"))
                .put("size", row.getInteger("size_bytes"))
                .put("sha256", row.getString("sha256"))
                .put("url", AssetLimits.url(id))
                .put("createdAt", row.getOffsetDateTime("created_at").toString());
    }
}
