package io.vertable.persistence;

import io.vertable.kit.stores.AccountsClient;
import io.vertable.security.Ids;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** Accounts: registration (the first account becomes ADMIN), lookup for login, lookup by id. */
final class AccountsStore {

    static final String USER_COLUMNS = "id, username, display_name, server_role, guest";

    private final Pool pool;

    AccountsStore(Pool pool) {
        this.pool = pool;
    }

    Operations operations(String address) {
        return new Operations(address)
                .on(AccountsClient.Op.REGISTER, this::register)
                .on(AccountsClient.Op.FIND_FOR_LOGIN, this::findForLogin)
                .on(AccountsClient.Op.GET, this::get);
    }

    /** Serializes registrations so exactly one first account becomes ADMIN, however many arrive at once. */
    private static final long FIRST_ADMIN_LOCK = 0x7674_7461_646d_696eL;

    private Future<JsonObject> register(JsonObject request) {
        String id = Ids.newId();
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                        .execute(Tuple.of(FIRST_ADMIN_LOCK))
                        .compose(locked -> conn.preparedQuery(
                                        "INSERT INTO users (id, username, password_hash, display_name, server_role) "
                                                + "SELECT $1, $2, $3, $4, CASE WHEN EXISTS (SELECT 1 FROM users WHERE server_role = 'ADMIN') "
                                                + "THEN 'USER' ELSE 'ADMIN' END RETURNING " + USER_COLUMNS)
                                .execute(Tuple.of(
                                        id,
                                        request.getString("username"),
                                        request.getString("passwordHash"),
                                        request.getString("displayName")))))
                .map(rows -> new JsonObject().put("user", user(rows.iterator().next())))
                .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
                        ? Future.failedFuture(new FailureException(ErrorCode.USERNAME_TAKEN, null))
                        : Future.failedFuture(e));
    }

    private Future<JsonObject> findForLogin(JsonObject request) {
        return pool.preparedQuery("SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE username = $1")
                .execute(Tuple.of(request.getString("username")))
                .map(rows -> {
                    if (rows.size() == 0) throw new FailureException(ErrorCode.INVALID_CREDENTIALS, null);
                    Row row = rows.iterator().next();
                    return new JsonObject().put("user", user(row)).put("passwordHash", row.getString("password_hash"));
                });
    }

    private Future<JsonObject> get(JsonObject request) {
        return find(pool, request.getString("userId")).map(user -> new JsonObject().put("user", user));
    }

    static Future<JsonObject> find(SqlClient client, String userId) {
        return client.preparedQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = $1")
                .execute(Tuple.of(userId))
                .map(AccountsStore::single);
    }

    private static JsonObject single(RowSet<Row> rows) {
        if (rows.size() == 0) throw new FailureException(ErrorCode.NOT_FOUND, "no such user");
        return user(rows.iterator().next());
    }

    static JsonObject user(Row row) {
        return new JsonObject()
                .put("id", row.getString("id"))
                .put("username", row.getString("username"))
                .put("displayName", row.getString("display_name"))
                .put("admin", "ADMIN".equals(row.getString("server_role")))
                .put("guest", row.getBoolean("guest"));
    }
}
