package io.vertable.testing;

import io.vertable.node.storage.EmbeddedStorage;
import io.vertable.node.storage.PgUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL and one embedded Redis per test JVM (each PostgreSQL start costs seconds), stopped by a
 * shutdown hook. Test classes isolate themselves with their own database.
 */
public final class TestStorage {

    private static EmbeddedStorage postgres;
    private static EmbeddedStorage redis;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestStorage() {}

    private static synchronized void start() {
        if (postgres != null) return;
        try {
            Path dir = Files.createTempDirectory("vertable-test-storage");
            postgres = EmbeddedStorage.startPostgres(dir, 0);
            redis = EmbeddedStorage.startRedis(dir, 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.close();
            postgres.close();
        }));
    }

    /** A new, empty database on the shared server. */
    public static PgUrl freshDatabase(String purpose) {
        start();
        String name = "t_" + purpose.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet();
        PgUrl admin = postgres.pgUrl();
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new PgUrl(admin.url().replaceFirst("/[^/]+$", "/" + name));
    }

    public static String redisUrl() {
        start();
        return redis.redisUrl();
    }

    public static Connection jdbc(PgUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }
}
