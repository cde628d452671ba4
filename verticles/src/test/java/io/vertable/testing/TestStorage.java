package io.vertable.testing;

import io.vertable.kit.PgUrl;
import io.vertable.node.storage.EmbeddedStorage;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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

    private static final AtomicInteger REDIS_DBS = new AtomicInteger();

    /**
     * A Redis database per test database (nodes of one test share both, as a cluster does): rate-limit buckets and presence keys are cluster-wide by design, so test classes
     * must not share them. The test Redis is new in every JVM, so each of its 63 spare databases starts empty.
     */
    public static String redisUrlFor(PgUrl database) {
        start();
        return REDIS_BY_DATABASE.computeIfAbsent(database.url(), url -> {
            int db = REDIS_DBS.incrementAndGet();
            if (db > 63) throw new IllegalStateException("more test databases than spare Redis databases");
            return redis.redisUrl() + "/" + db;
        });
    }

    /**
     * A data folder per test database: nodes of one test share it as nodes on one machine would (and with it the
     * signing key a node without {@code jwt.secret} keeps there), and a restarted node finds it again.
     */
    public static Path dataDirFor(PgUrl database) {
        return DATA_BY_DATABASE.computeIfAbsent(database.url(), url -> {
            try {
                return Files.createTempDirectory("vertable-test-data");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static final java.util.Map<String, Path> DATA_BY_DATABASE = new java.util.concurrent.ConcurrentHashMap<>();

    private static final java.util.Map<String, String> REDIS_BY_DATABASE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A room's stored events in seq order: {seq, type, data}. */
    public static List<JsonObject> storedLog(PgUrl database, String roomId) throws SQLException {
        var log = new ArrayList<JsonObject>();
        try (Connection c = jdbc(database);
                var query = c.prepareStatement("SELECT seq, type, data FROM events WHERE room_id = ? ORDER BY seq")) {
            query.setString(1, roomId);
            try (var rs = query.executeQuery()) {
                while (rs.next())
                    log.add(new JsonObject()
                            .put("seq", rs.getLong(1))
                            .put("type", rs.getString(2))
                            .put("data", new JsonObject(rs.getString(3))));
            }
        }
        return log;
    }

    public static Connection jdbc(PgUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }

    /**
     * SIGKILL to an embedded server and every process it started, as a crash of its machine would: PostgreSQL's
     * postmaster alone would leave the backends of open connections answering for a moment, so a write might be stored
     * after the "outage" began.
     */
    public static void killServer(Path pidFile) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        // Stopped first, so no backend is forked between listing them and the kill (one such would store a write).
        if (new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor() != 0)
            throw new IllegalStateException("could not stop PostgreSQL pid=" + pid);
        List<ProcessHandle> backends = process.descendants().toList();
        process.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        for (ProcessHandle backend : backends) backend.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
