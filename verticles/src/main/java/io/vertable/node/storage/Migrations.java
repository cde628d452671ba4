package io.vertable.node.storage;

import io.vertable.kit.PgUrl;
import io.vertable.kit.StartupException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with Flyway before any verticle touches the database. Flyway takes a PostgreSQL
 * advisory lock, so nodes starting together migrate once; a database already up to date applies nothing.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    /** @return how many migrations this call applied (0 when the schema was current) */
    public static int apply(PgUrl url) {
        try {
            int applied = Flyway.configure()
                    .dataSource(url.jdbcUrl(), url.user(), url.password())
                    .locations("classpath:db/migration")
                    .connectRetries(0)
                    .load()
                    .migrate()
                    .migrationsExecuted;
            LOG.info("schema migrations applied={} url={}", applied, url);
            return applied;
        } catch (FlywayException e) {
            throw new StartupException("postgres.url " + url + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int cut = message.indexOf('\n');
        String line = (cut < 0 ? message : message.substring(0, cut)).trim();
        return line.startsWith("Unable to") || line.contains("refused") || line.contains("password")
                ? "cannot connect (" + line + ")"
                : "migration failed (" + line + ")";
    }
}
