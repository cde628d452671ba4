package io.vertable.kit;

import io.vertx.pgclient.PgConnectOptions;

/**
 * A PostgreSQL URL in libpq form ({@code postgresql://user:pass@host:port/db}) and the two shapes the node needs:
 * connect options for the reactive client and a JDBC URL for Flyway.
 */
public record PgUrl(String url) {

    public PgConnectOptions connectOptions() {
        return PgConnectOptions.fromUri(url);
    }

    public String jdbcUrl() {
        PgConnectOptions options = connectOptions();
        return "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase()
                + "?connectTimeout=5&socketTimeout=60";
    }

    public String user() {
        return connectOptions().getUser();
    }

    public String password() {
        return connectOptions().getPassword();
    }

    /** The URL without its password, for logs and error lines. */
    public String redacted() {
        return url.replaceFirst("://([^:/@]+):[^@]*@", "://$1:***@");
    }

    @Override
    public String toString() {
        return redacted();
    }
}
