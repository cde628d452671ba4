package io.vertable.persistence;

import io.vertable.kit.stores.AccountsClient;
import io.vertable.security.Ids;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Guests' device credentials (OWASP session management: random, stored only hashed, rotated on every use, revocable,
 * bounded in age). A credential is {@code <id>.<secret>}; using it answers the guest and a new credential, and
 * presenting a secret that was already replaced revokes the whole credential, since either copy may be a thief's.
 */
final class GuestDevicesStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final int maxAgeDays = io.vertable.shared.people.GuestDevice.MAX_AGE_DAYS;

    GuestDevicesStore(Pool pool) {
        this.pool = pool;
    }

    Operations on(Operations operations) {
        return operations
                .on(AccountsClient.Op.DEVICE_ISSUE, this::issue)
                .on(AccountsClient.Op.DEVICE_USE, this::use)
                .on(AccountsClient.Op.DEVICE_REVOKE, this::revoke)
                .on(AccountsClient.Op.DEVICE_FORGET, this::forget)
                .on(AccountsClient.Op.CLAIM, this::claim);
    }

    /** A new credential for a guest who just joined from this browser. */
    private Future<JsonObject> issue(JsonObject request) {
        String id = Ids.newId();
        String secret = secret();
        return pool.preparedQuery("INSERT INTO guest_devices (id, user_id, secret_hash) "
                        + "SELECT $1, id, $3 FROM users WHERE id = $2 AND guest")
                .execute(Tuple.of(id, request.getString("userId"), hash(secret)))
                .map(rows -> {
                    if (rows.rowCount() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "not a guest");
                    return new JsonObject().put("credential", id + "." + secret);
                });
    }

    /** The guest this credential belongs to, and its replacement; a replayed or revoked one is refused. */
    private Future<JsonObject> use(JsonObject request) {
        String credential = request.getString("credential", "");
        int dot = credential.indexOf('.');
        if (dot <= 0 || credential.length() > 200) return refused(ErrorCode.UNAUTHENTICATED, "no device credential");
        String id = credential.substring(0, dot);
        String presented = hash(credential.substring(dot + 1));
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "SELECT user_id, secret_hash, previous_hash, revoked_at IS NOT NULL AS revoked, "
                                        + "created_at < now() - make_interval(days => $2) AS expired "
                                        + "FROM guest_devices WHERE id = $1 FOR UPDATE")
                        .execute(Tuple.of(id, maxAgeDays))
                        .compose(rows -> {
                            if (rows.size() == 0)
                                return refused(ErrorCode.UNAUTHENTICATED, "unknown device credential");
                            Row row = rows.iterator().next();
                            if (row.getBoolean("revoked"))
                                return refused(ErrorCode.TOKEN_REVOKED, "this device was signed out");
                            if (presented.equals(row.getString("previous_hash"))) {
                                // The rightful browser already moved on: this is a copy. Neither copy is trusted any
                                // more
                                // (committed, then refused below).
                                return conn.preparedQuery("UPDATE guest_devices SET revoked_at = now() WHERE id = $1")
                                        .execute(Tuple.of(id))
                                        .map(done -> new JsonObject().put("replayed", true));
                            }
                            if (!MessageDigest.isEqual(
                                    presented.getBytes(StandardCharsets.UTF_8),
                                    row.getString("secret_hash").getBytes(StandardCharsets.UTF_8)))
                                return refused(ErrorCode.UNAUTHENTICATED, "unknown device credential");
                            if (row.getBoolean("expired"))
                                return refused(ErrorCode.UNAUTHENTICATED, "the device credential expired");
                            String next = secret();
                            return conn.preparedQuery(
                                            "UPDATE guest_devices SET previous_hash = secret_hash, secret_hash = $2, "
                                                    + "used_at = now() WHERE id = $1")
                                    .execute(Tuple.of(id, hash(next)))
                                    .compose(done -> AccountsStore.find(conn, row.getString("user_id")))
                                    .map(user ->
                                            new JsonObject().put("user", user).put("credential", id + "." + next));
                        }))
                .compose(answer -> answer.getBoolean("replayed", false)
                        ? refused(ErrorCode.TOKEN_REVOKED, "this device credential was used twice; it is revoked")
                        : Future.succeededFuture(answer));
    }

    /** This browser signs itself out (the guest logged out): its credential stops working, others are untouched. */
    private Future<JsonObject> forget(JsonObject request) {
        String credential = request.getString("credential", "");
        int dot = credential.indexOf('.');
        if (dot <= 0 || credential.length() > 200) return Future.succeededFuture(new JsonObject().put("revoked", 0));
        return pool.preparedQuery("UPDATE guest_devices SET revoked_at = now() "
                        + "WHERE id = $1 AND secret_hash = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(credential.substring(0, dot), hash(credential.substring(dot + 1))))
                .map(rows -> new JsonObject().put("revoked", rows.rowCount()));
    }

    /** Every device of this user signed out (the GM's "sign out devices"). */
    private Future<JsonObject> revoke(JsonObject request) {
        return pool.preparedQuery(
                        "UPDATE guest_devices SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(request.getString("userId")))
                .map(rows -> new JsonObject().put("revoked", rows.rowCount()));
    }

    /** A guest becomes an account with a username and password, keeping their id (and so tokens, sheets, rooms). */
    private Future<JsonObject> claim(JsonObject request) {
        return pool.preparedQuery("UPDATE users SET username = $2, password_hash = $3, guest = false "
                        + "WHERE id = $1 AND guest RETURNING " + AccountsStore.USER_COLUMNS)
                .execute(Tuple.of(
                        request.getString("userId"), request.getString("username"), request.getString("passwordHash")))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.CONFLICT, "this account is not a guest");
                    return new JsonObject()
                            .put("user", AccountsStore.user(rows.iterator().next()));
                })
                .recover(e -> e instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
                        ? Future.failedFuture(new FailureException(ErrorCode.USERNAME_TAKEN, null))
                        : Future.failedFuture(e));
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static <T> Future<T> refused(ErrorCode code, String message) {
        return Future.failedFuture(new FailureException(code, message));
    }
}
