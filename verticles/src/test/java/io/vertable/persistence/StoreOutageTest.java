package io.vertable.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/**
 * What counts as the database being away. A PostgreSQL killed under a running query resets its connection: seen in the
 * browser as "Chat history could not be loaded: Something went wrong on the server" while the table was paused.
 */
class StoreOutageTest {

    @Test
    void aRefusedOrResetConnectionIsAnOutageAndARefusalByTheDatabaseIsNot() {
        assertThat(StoreOutage.is(new ConnectException("Connection refused"))).isTrue();
        assertThat(StoreOutage.is(new RuntimeException(new SocketException("Connection reset"))))
                .isTrue();
        assertThat(StoreOutage.is(new PgException("the database system is shutting down", "FATAL", "57P01", null)))
                .isTrue();
        assertThat(StoreOutage.is(new PgException("duplicate key", "ERROR", "23505", null)))
                .isFalse();
        assertThat(StoreOutage.is(new IllegalStateException("a bug"))).isFalse();
    }
}
