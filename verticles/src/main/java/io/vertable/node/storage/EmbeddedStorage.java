package io.vertable.node.storage;

import io.vertable.node.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The embedded PostgreSQL and Redis a node starts when no external servers are configured (DESIGN §7). Both keep
 * their data under the node's data folder, so a restart finds it again.
 */
public final class EmbeddedStorage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStorage.class);
    public static final String DATABASE = "vertable";

    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final PgUrl pgUrl;
    private final String redisUrl;

    private EmbeddedStorage(EmbeddedPostgres postgres, PgUrl pgUrl, RedisServer redis, String redisUrl) {
        this.postgres = postgres;
        this.pgUrl = pgUrl;
        this.redis = redis;
        this.redisUrl = redisUrl;
    }

    /** Starts an embedded PostgreSQL in {@code dataDir/postgres} on {@code port} (0 = any free port). */
    public static EmbeddedStorage startPostgres(Path dataDir, int port) {
        Path dir = dataDir.resolve("postgres").toAbsolutePath();
        int chosen = port == 0 ? freePort() : port;
        Leftovers.clear(
                dir.resolve("postmaster.pid"),
                "PostgreSQL",
                "point this node at it with VTT_PG_URL, or give it its own VTT_DATA_DIR");
        requireFree(
                chosen,
                "postgres.embeddedPort",
                "VTT_PG_URL=postgresql://postgres@127.0.0.1:" + chosen + "/" + DATABASE);
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(chosen)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
            createDatabase(pg);
            var url = new PgUrl("postgresql://postgres@127.0.0.1:" + pg.getPort() + "/" + DATABASE);
            LOG.info("embedded PostgreSQL started url={} dir={}", url, dir);
            return new EmbeddedStorage(pg, url, null, null);
        } catch (IOException | SQLException e) {
            throw new StartupException(
                    "postgres: the embedded PostgreSQL did not start in " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /** Starts an embedded Redis in {@code dataDir/redis} on {@code port} (0 = any free port), append-only on disk. */
    public static EmbeddedStorage startRedis(Path dataDir, int port) {
        Path dir = dataDir.resolve("redis").toAbsolutePath();
        int chosen = port == 0 ? freePort() : port;
        Path pidFile = dir.resolve("redis.pid");
        Leftovers.clear(pidFile, "Redis", "point this node at it with VTT_REDIS_URL, or give it its own VTT_DATA_DIR");
        requireFree(chosen, "redis.embeddedPort", "VTT_REDIS_URL=redis://127.0.0.1:" + chosen);
        try {
            Files.createDirectories(dir);
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(chosen)
                    .setting("dir " + dir)
                    .setting("pidfile " + pidFile)
                    .setting("appendonly yes")
                    .setting("save 60 1")
                    .setting("databases 64") // the tests give each of their databases a Redis database of its own
                    .build();
            server.start();
            String url = "redis://127.0.0.1:" + chosen;
            LOG.info("embedded Redis started url={} dir={}", url, dir);
            return new EmbeddedStorage(null, null, server, url);
        } catch (IOException | RuntimeException e) {
            throw new StartupException(
                    "redis: the embedded Redis did not start in " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    private static void createDatabase(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            var exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!exists.next()) s.execute("CREATE DATABASE " + DATABASE);
        }
    }

    private static void requireFree(int port, String key, String shareHint) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new StartupException(
                    key + " " + port + ": already in use (is another node's embedded server there? share it with "
                            + shareHint + ", or pick another port)");
        }
    }

    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StartupException("no free local port for an embedded server (" + e.getMessage() + ")", e);
        }
    }

    public PgUrl pgUrl() {
        return pgUrl;
    }

    public String redisUrl() {
        return redisUrl;
    }

    @Override
    public void close() {
        if (postgres != null) {
            try {
                postgres.close();
                LOG.info("embedded PostgreSQL stopped");
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
        if (redis != null) {
            try {
                redis.stop();
                LOG.info("embedded Redis stopped");
            } catch (IOException e) {
                LOG.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}
