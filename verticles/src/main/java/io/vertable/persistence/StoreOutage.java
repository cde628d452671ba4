package io.vertable.persistence;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.util.Set;

/**
 * Tells a database that is not there from a database that said no. Only the first is an outage: the client is told
 * {@code STORE_UNAVAILABLE} (try again shortly) instead of {@code INTERNAL}, and the operator sees one line, not a trace.
 */
final class StoreOutage {

    /** SQLSTATE class 08 is "connection exception"; 57P01–57P03 are a server shutting down or not accepting yet. */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

    private StoreOutage() {}

    static boolean is(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            // Refused, or reset under a running query (the server was killed): either way the database is not there.
            if (e instanceof SocketException || e instanceof ClosedConnectionException) return true;
            if (e instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                if (state.startsWith("08") || SHUTDOWN_STATES.contains(state)) return true;
            }
            if (e.getCause() == e) break;
        }
        return false;
    }
}
