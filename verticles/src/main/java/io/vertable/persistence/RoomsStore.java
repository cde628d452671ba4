package io.vertable.persistence;

import io.vertable.kit.stores.RoomsClient;
import io.vertable.security.Ids;
import io.vertable.shared.people.DisplayNames;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Rooms, their members and roles, and invites. A room always keeps at least one GM. */
final class RoomsStore {

    private static final String ROOM_COLUMNS = "r.id, r.name, r.owner_id, r.dice_dialect, r.created_at, r.archived_at";

    private final Pool pool;

    RoomsStore(Pool pool) {
        this.pool = pool;
    }

    Operations operations(String address) {
        return new Operations(address)
                .on(RoomsClient.Op.CREATE, this::create)
                .on(RoomsClient.Op.LIST_FOR_USER, this::listForUser)
                .on(RoomsClient.Op.GET, this::get)
                .on(RoomsClient.Op.UPDATE, this::update)
                .on(RoomsClient.Op.DELETE, this::delete)
                .on(RoomsClient.Op.UNBAN, this::unban)
                .on(RoomsClient.Op.MEMBERSHIP, this::membership)
                .on(RoomsClient.Op.MEMBERS, this::members)
                .on(RoomsClient.Op.SET_ROLE, this::setRole)
                .on(RoomsClient.Op.REMOVE_MEMBER, this::removeMember)
                .on(RoomsClient.Op.CREATE_INVITE, this::createInvite)
                .on(RoomsClient.Op.LIST_INVITES, this::listInvites)
                .on(RoomsClient.Op.REVOKE_INVITE, this::revokeInvite)
                .on(RoomsClient.Op.PREVIEW_INVITE, this::previewInvite)
                .on(RoomsClient.Op.ACCEPT_INVITE, this::acceptInvite);
    }

    private Future<JsonObject> create(JsonObject request) {
        String id = Ids.newId();
        String owner = request.getString("ownerId");
        return pool.withTransaction(
                        conn -> conn.preparedQuery("INSERT INTO rooms (id, name, owner_id) VALUES ($1, $2, $3)")
                                .execute(Tuple.of(id, request.getString("name"), owner))
                                .compose(done -> conn.preparedQuery(
                                                "INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, 'GM')")
                                        .execute(Tuple.of(id, owner)))
                                .compose(done -> findRoom(conn, id)))
                .map(room -> room.put("role", "GM"));
    }

    private Future<JsonObject> listForUser(JsonObject request) {
        return pool.preparedQuery("SELECT " + ROOM_COLUMNS + ", m.role FROM rooms r "
                        + "JOIN room_members m ON m.room_id = r.id "
                        // An archived room is out of its players' lists; its GMs still see it, marked, to bring it
                        // back.
                        + "WHERE m.user_id = $1 AND NOT m.banned AND (r.archived_at IS NULL OR m.role = 'GM') "
                        + "ORDER BY r.archived_at IS NOT NULL, r.created_at DESC")
                .execute(Tuple.of(request.getString("userId")))
                .map(rows -> {
                    var rooms = new JsonArray();
                    rows.forEach(row -> rooms.add(room(row).put("role", row.getString("role"))));
                    return new JsonObject().put("rooms", rooms);
                });
    }

    private Future<JsonObject> get(JsonObject request) {
        return pool.withConnection(conn -> findRoom(conn, request.getString("roomId")));
    }

    /** A new name and/or the archive flag; answers the room as it now is. */
    private Future<JsonObject> update(JsonObject request) {
        String roomId = request.getString("roomId");
        Boolean archived = request.getBoolean("archived");
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE rooms SET name = coalesce($2, name), "
                        + "archived_at = CASE WHEN $3::boolean IS NULL THEN archived_at "
                        + "WHEN $3 THEN coalesce(archived_at, now()) ELSE NULL END WHERE id = $1")
                .execute(Tuple.of(roomId, request.getString("name"), archived))
                .compose(rows -> {
                    if (rows.rowCount() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such room");
                    return findRoom(conn, roomId);
                }));
    }

    /** The room and everything in it (members, invites, log, snapshots, chat, sheets, notes, images) go. */
    private Future<JsonObject> delete(JsonObject request) {
        String roomId = request.getString("roomId");
        return pool.preparedQuery("DELETE FROM rooms WHERE id = $1")
                .execute(Tuple.of(roomId))
                .map(rows -> {
                    if (rows.rowCount() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such room");
                    return new JsonObject().put("id", roomId).put("deleted", true);
                });
    }

    /** The ban's row goes: the person is no member, and an invite brings them back like anyone new. */
    private Future<JsonObject> unban(JsonObject request) {
        return pool.preparedQuery("DELETE FROM room_members WHERE room_id = $1 AND user_id = $2 AND banned")
                .execute(Tuple.of(request.getString("roomId"), request.getString("userId")))
                .map(rows -> {
                    if (rows.rowCount() == 0)
                        throw new FailureException(ErrorCode.NOT_FOUND, "that person is not banned here");
                    return new JsonObject()
                            .put("userId", request.getString("userId"))
                            .put("banned", false);
                });
    }

    /** {@code {"role": "GM"|…|null, "banned": bool}}: what the bridge and the REST routes authorize with. */
    private Future<JsonObject> membership(JsonObject request) {
        return pool.preparedQuery("SELECT role, banned FROM room_members WHERE room_id = $1 AND user_id = $2")
                .execute(Tuple.of(request.getString("roomId"), request.getString("userId")))
                .map(rows -> {
                    if (rows.size() == 0)
                        return new JsonObject().putNull("role").put("banned", false);
                    Row row = rows.iterator().next();
                    boolean banned = row.getBoolean("banned");
                    return new JsonObject()
                            .put("role", banned ? null : row.getString("role"))
                            .put("banned", banned);
                });
    }

    private Future<JsonObject> members(JsonObject request) {
        return pool.preparedQuery("SELECT u.id, u.display_name, u.guest, m.role, m.banned, m.joined_at "
                        + "FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = $1 "
                        + "ORDER BY m.joined_at")
                .execute(Tuple.of(request.getString("roomId")))
                .map(rows -> {
                    var members = new JsonArray();
                    rows.forEach(row -> members.add(new JsonObject()
                            .put("userId", row.getString("id"))
                            .put("displayName", row.getString("display_name"))
                            .put("guest", row.getBoolean("guest"))
                            .put("role", row.getString("role"))
                            .put("banned", row.getBoolean("banned"))
                            .put("joinedAt", row.getOffsetDateTime("joined_at").toString())));
                    return new JsonObject().put("members", members);
                });
    }

    private Future<JsonObject> setRole(JsonObject request) {
        String roomId = request.getString("roomId");
        String userId = request.getString("userId");
        String role = request.getString("role");
        return pool.withTransaction(conn -> lockMembers(conn, roomId)
                .compose(done -> requireMember(conn, roomId, userId))
                .compose(current -> "GM".equals(current) && !"GM".equals(role)
                        ? requireAnotherGm(conn, roomId, userId)
                        : Future.succeededFuture())
                .compose(done -> conn.preparedQuery(
                                "UPDATE room_members SET role = $3 WHERE room_id = $1 AND user_id = $2")
                        .execute(Tuple.of(roomId, userId, role)))
                .map(done -> new JsonObject().put("userId", userId).put("role", role)));
    }

    /** Kick (the row goes; an invite brings them back) or ban (the row stays, banned, and invites refuse them). */
    private Future<JsonObject> removeMember(JsonObject request) {
        String roomId = request.getString("roomId");
        String userId = request.getString("userId");
        boolean ban = request.getBoolean("ban", false);
        return pool.withTransaction(conn -> lockMembers(conn, roomId)
                .compose(done -> currentRole(conn, roomId, userId))
                .compose(current -> {
                    if (current == null && !ban)
                        throw new FailureException(ErrorCode.NOT_FOUND, "not a member of this room");
                    return "GM".equals(current) ? requireAnotherGm(conn, roomId, userId) : Future.succeededFuture();
                })
                .compose(done -> conn.preparedQuery(
                                ban
                                        // A ban holds even for someone already kicked (their row is gone) or never
                                        // joined.
                                        ? "INSERT INTO room_members (room_id, user_id, role, banned) VALUES ($1, $2, 'PLAYER', true) "
                                                + "ON CONFLICT (room_id, user_id) DO UPDATE SET banned = true"
                                        : "DELETE FROM room_members WHERE room_id = $1 AND user_id = $2")
                        .execute(Tuple.of(roomId, userId)))
                .map(done -> new JsonObject().put("userId", userId).put("banned", ban)));
    }

    private static Future<String> currentRole(SqlConnection conn, String roomId, String userId) {
        return conn.preparedQuery("SELECT role FROM room_members WHERE room_id = $1 AND user_id = $2 AND NOT banned")
                .execute(Tuple.of(roomId, userId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("role"));
    }

    private Future<JsonObject> createInvite(JsonObject request) {
        String code = Ids.inviteCode();
        Long minutes = request.getLong("expiresInMinutes");
        OffsetDateTime expires =
                minutes == null ? null : OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(minutes);
        return pool.preparedQuery("INSERT INTO invites (code, room_id, role, created_by, expires_at, max_uses) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING code, role, expires_at, max_uses, uses")
                .execute(Tuple.of(
                        code,
                        request.getString("roomId"),
                        request.getString("role"),
                        request.getString("createdBy"),
                        expires,
                        request.getInteger("maxUses")))
                .map(rows -> invite(rows.iterator().next()));
    }

    private Future<JsonObject> listInvites(JsonObject request) {
        return pool.preparedQuery("SELECT code, role, expires_at, max_uses, uses FROM invites "
                        + "WHERE room_id = $1 AND NOT revoked ORDER BY created_at DESC")
                .execute(Tuple.of(request.getString("roomId")))
                .map(rows -> {
                    var invites = new JsonArray();
                    rows.forEach(row -> invites.add(invite(row)));
                    return new JsonObject().put("invites", invites);
                });
    }

    private Future<JsonObject> revokeInvite(JsonObject request) {
        return pool.preparedQuery("UPDATE invites SET revoked = true WHERE room_id = $1 AND code = $2 AND NOT revoked")
                .execute(Tuple.of(request.getString("roomId"), request.getString("code")))
                .map(rows -> {
                    if (rows.rowCount() == 0) throw new FailureException(ErrorCode.INVITE_INVALID, null);
                    return new JsonObject()
                            .put("code", request.getString("code"))
                            .put("revoked", true);
                });
    }

    private Future<JsonObject> previewInvite(JsonObject request) {
        return pool.withConnection(
                conn -> usableInvite(conn, request.getString("code"), false).map(invite -> new JsonObject()
                        .put("roomId", invite.getString("room_id"))
                        .put("roomName", invite.getString("room_name"))
                        .put("role", invite.getString("role"))));
    }

    /**
     * Joins a room through an invite, in one transaction that locks the invite row, so {@code max_uses} holds under
     * concurrent accepts. Without {@code userId} a guest account is made with the given display name. A member keeps
     * their current role (a player invite never demotes a GM), and a member opening a link of their own room again
     * just gets in, used up or not.
     */
    private Future<JsonObject> acceptInvite(JsonObject request) {
        String code = request.getString("code");
        String userId = request.getString("userId");
        return pool.withTransaction(conn -> findInvite(conn, code, true).compose(invite -> {
            String roomId = invite.getString("room_id");
            Future<Boolean> alreadyIn = userId == null
                    ? Future.succeededFuture(false)
                    : currentRole(conn, roomId, userId).map(role -> role != null);
            return alreadyIn.compose(member -> {
                if (!member) requireUsable(invite);
                Future<String> who = userId != null
                        ? Future.succeededFuture(userId)
                        : requireNameFree(conn, roomId, request.getString("displayName"))
                                .compose(free -> createGuest(conn, request.getString("displayName")));
                return who.compose(joiner -> join(conn, roomId, joiner, invite.getString("role"))
                        .compose(joined -> countUse(conn, code, joined).map(joined.role()))
                        .compose(role -> AccountsStore.find(conn, joiner).map(user -> new JsonObject()
                                .put("user", user)
                                .put("roomId", roomId)
                                .put("roomName", invite.getString("room_name"))
                                .put("role", role))));
            });
        }));
    }

    /** An invite is used up only by people it brought in, not by members opening it again. */
    private static Future<Void> countUse(SqlConnection conn, String code, Joined joined) {
        if (!joined.fresh()) return Future.succeededFuture();
        return conn.preparedQuery("UPDATE invites SET uses = uses + 1 WHERE code = $1")
                .execute(Tuple.of(code))
                .mapEmpty();
    }

    /**
     * A guest picks the name others will whisper to, so it must not pass for anyone already in the room. The room row
     * is locked so two guests joining at once through different invites cannot both take one name.
     */
    private static Future<Void> requireNameFree(SqlConnection conn, String roomId, String displayName) {
        return conn.preparedQuery("SELECT id FROM rooms WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(roomId))
                .compose(locked -> conn.preparedQuery("SELECT u.display_name FROM room_members m "
                                + "JOIN users u ON u.id = m.user_id WHERE m.room_id = $1 AND NOT m.banned")
                        .execute(Tuple.of(roomId)))
                .map(rows -> {
                    for (Row row : rows) {
                        if (DisplayNames.lookAlike(row.getString("display_name"), displayName)) {
                            throw new FailureException(
                                    ErrorCode.DISPLAY_NAME_TAKEN,
                                    "someone in this room already goes by \"" + row.getString("display_name")
                                            + "\"; pick another name");
                        }
                    }
                    return null;
                });
    }

    private static Future<String> createGuest(SqlConnection conn, String displayName) {
        String id = Ids.newId();
        return conn.preparedQuery("INSERT INTO users (id, display_name, guest) VALUES ($1, $2, true)")
                .execute(Tuple.of(id, displayName))
                .map(done -> id);
    }

    /** The role a joiner has, and whether they just became a member (only then does the invite count a use). */
    private record Joined(String role, boolean fresh) {}

    private static Future<Joined> join(SqlConnection conn, String roomId, String userId, String role) {
        return conn.preparedQuery("SELECT role, banned FROM room_members WHERE room_id = $1 AND user_id = $2")
                .execute(Tuple.of(roomId, userId))
                .compose(rows -> {
                    if (rows.size() > 0) {
                        Row row = rows.iterator().next();
                        if (row.getBoolean("banned")) throw new FailureException(ErrorCode.BANNED, null);
                        return Future.succeededFuture(new Joined(row.getString("role"), false));
                    }
                    return conn.preparedQuery("INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, $3)")
                            .execute(Tuple.of(roomId, userId, role))
                            .map(done -> new Joined(role, true));
                });
    }

    private static Future<JsonObject> usableInvite(SqlConnection conn, String code, boolean lock) {
        return findInvite(conn, code, lock).map(invite -> {
            requireUsable(invite);
            return invite;
        });
    }

    private static Future<JsonObject> findInvite(SqlConnection conn, String code, boolean lock) {
        return conn.preparedQuery("SELECT i.room_id, i.role, i.max_uses, i.uses, i.revoked, r.name AS room_name, "
                        + "i.expires_at < now() AS expired FROM invites i JOIN rooms r ON r.id = i.room_id "
                        + "WHERE i.code = $1" + (lock ? " FOR UPDATE OF i" : ""))
                .execute(Tuple.of(code))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.INVITE_INVALID, null);
                    return rows.iterator().next().toJson();
                });
    }

    private static void requireUsable(JsonObject invite) {
        if (invite.getBoolean("revoked")) throw new FailureException(ErrorCode.INVITE_INVALID, null);
        if (Boolean.TRUE.equals(invite.getBoolean("expired"))) {
            throw new FailureException(ErrorCode.INVITE_EXPIRED, null);
        }
        Integer maxUses = invite.getInteger("max_uses");
        if (maxUses != null && invite.getInteger("uses") >= maxUses) {
            throw new FailureException(ErrorCode.INVITE_EXHAUSTED, null);
        }
    }

    private static Future<Void> lockMembers(SqlConnection conn, String roomId) {
        // Serializes role changes within a room so "at least one GM" cannot be raced away.
        return conn.preparedQuery("SELECT id FROM rooms WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(roomId))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such room");
                    return null;
                });
    }

    private static Future<String> requireMember(SqlConnection conn, String roomId, String userId) {
        return conn.preparedQuery("SELECT role FROM room_members WHERE room_id = $1 AND user_id = $2 AND NOT banned")
                .execute(Tuple.of(roomId, userId))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "not a member of this room");
                    return rows.iterator().next().getString("role");
                });
    }

    private static Future<Void> requireAnotherGm(SqlConnection conn, String roomId, String userId) {
        return conn.preparedQuery("SELECT count(*) FROM room_members "
                        + "WHERE room_id = $1 AND role = 'GM' AND NOT banned AND user_id <> $2")
                .execute(Tuple.of(roomId, userId))
                .map(rows -> {
                    if (rows.iterator().next().getLong(0) == 0) {
                        throw new FailureException(ErrorCode.CONFLICT, "a room needs at least one GM");
                    }
                    return null;
                });
    }

    private static Future<JsonObject> findRoom(SqlConnection conn, String roomId) {
        return conn.preparedQuery("SELECT " + ROOM_COLUMNS + " FROM rooms r WHERE r.id = $1")
                .execute(Tuple.of(roomId))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such room");
                    return room(rows.iterator().next());
                });
    }

    private static JsonObject room(Row row) {
        return new JsonObject()
                .put("id", row.getString("id"))
                .put("name", row.getString("name"))
                .put("ownerId", row.getString("owner_id"))
                .put("diceDialect", row.getString("dice_dialect"))
                .put("createdAt", row.getOffsetDateTime("created_at").toString())
                .put("archived", row.getOffsetDateTime("archived_at") != null);
    }

    private static JsonObject invite(Row row) {
        OffsetDateTime expires = row.getOffsetDateTime("expires_at");
        return new JsonObject()
                .put("code", row.getString("code"))
                .put("role", row.getString("role"))
                .put("expiresAt", expires == null ? null : expires.toString())
                .put("maxUses", row.getInteger("max_uses"))
                .put("uses", row.getInteger("uses"));
    }
}
