package io.vertable.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.testing.TestStorage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transaction whose own code path fails without ever finishing it — here a stack overflow inside the database
 * client, as deep JSON once caused — must not hold its connection for good: the server ends the transaction and its
 * session, and the pool serves again by itself.
 */
class TransactionGuardTest {

    static Vertx vertx;
    static PgUrl database;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        database = TestStorage.freshDatabase("txguard");
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    @Test
    void aTransactionLeftHangingIsEndedAndThePoolRecovers() throws Exception {
        JsonObject pg =
                new JsonObject().put("url", database.url()).put("poolSize", 1).put("idleInTransactionSeconds", 1);
        Pool pool = PersistenceVerticle.pool(vertx, pg, "txguard");
        try {
            // A parameter nested far too deep for the client's recursive JSON encoder: it overflows inside the
            // database client, mid-transaction, and the statement's answer never comes.
            Future<Object> stuck = pool.withTransaction(
                    conn -> conn.query("SELECT 1").execute().compose(rows -> conn.preparedQuery(
                                    "SELECT $1::jsonb IS NOT NULL")
                            .execute(Tuple.of(nestedDeeperThanAnyStack()))
                            .map(r -> (Object) r)));

            // The server rolls the transaction back and closes the session; the pool's only slot is free again and
            // a fresh connection serves the next call.
            assertThat(pool.query("SELECT 41 + 1")
                            .execute()
                            .await(30, TimeUnit.SECONDS)
                            .iterator()
                            .next()
                            .getInteger(0))
                    .isEqualTo(42);
            assertThat(idleInTransaction()).isZero();
            assertThat(stuck.succeeded())
                    .as("the overflowing statement never went through")
                    .isFalse();
        } finally {
            pool.close().await();
        }
    }

    @Test
    void theLimitIsSetOnEachSessionNotSentAsAStartupParameter() throws Exception {
        JsonObject pg =
                new JsonObject().put("url", database.url()).put("poolSize", 2).put("idleInTransactionSeconds", 7);
        // pgbouncer refuses a connection whose startup packet carries a parameter it does not know.
        assertThat(PersistenceVerticle.connectOptions(pg).getProperties())
                .doesNotContainKey("idle_in_transaction_session_timeout");
        Pool pool = PersistenceVerticle.pool(vertx, pg, "txguard-set");
        try {
            assertThat(pool.query("SHOW idle_in_transaction_session_timeout")
                            .execute()
                            .await(30, TimeUnit.SECONDS)
                            .iterator()
                            .next()
                            .getString(0))
                    .isEqualTo("7s");
        } finally {
            pool.close().await();
        }
    }

    /** Built in a loop: nothing here recurses. */
    private static JsonObject nestedDeeperThanAnyStack() {
        JsonObject root = new JsonObject();
        JsonObject level = root;
        for (int i = 0; i < 200_000; i++) {
            JsonObject next = new JsonObject();
            level.put("a", next);
            level = next;
        }
        return root;
    }

    private static int idleInTransaction() throws Exception {
        try (Connection c = TestStorage.jdbc(database);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                                + " AND datname = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
