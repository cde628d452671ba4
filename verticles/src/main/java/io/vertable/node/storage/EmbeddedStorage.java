package io.vertable.node.storage;

import io.vertable.kit.PgUrl;
import io.vertable.kit.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.OverlappingFileLockException;
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
 * The embedded PostgreSQL and Redis a node starts when no external servers are configured. Both keep
 * their data under the node's data folder, so a restart finds it again.
 */
public final class EmbeddedStorage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStorage.class);
    public static final String DATABASE = "vertable";

    private volatile EmbeddedPostgres postgres;
    private volatile RedisServer redis;
    private final PgUrl pgUrl;
    private final String redisUrl;
    /** What this server is and how to start it again on the same folder and port, for the supervisor. */
    private final String what;

    private final Path pidFile;
    private final java.util.function.Supplier<EmbeddedStorage> again;

    private EmbeddedStorage(
            String what,
            EmbeddedPostgres postgres,
            PgUrl pgUrl,
            RedisServer redis,
            String redisUrl,
            Path pidFile,
            java.util.function.Supplier<EmbeddedStorage> again) {
        this.what = what;
        this.postgres = postgres;
        this.pgUrl = pgUrl;
        this.redis = redis;
        this.redisUrl = redisUrl;
        this.pidFile = pidFile;
        this.again = again;
    }

    /**
     * What an embedded PostgreSQL promises about a commit it has answered. The embedding library's defaults are made
     * for throw-away test databases (no fsync, commits answered before the WAL is on disk); a node that tells a
     * player "stored" must not run that way, so every setting that decides it is written here, explicitly.
     */
    public enum Durability {
        /** fsync on, synchronous commit: an answered commit survives a crash of PostgreSQL or of the machine. */
        DURABLE("on", "on"),
        /** fsync off, asynchronous commit: faster, and a crash can lose acknowledged events or corrupt the data folder. */
        LOSES_DATA_ON_CRASH("off", "off");

        final String fsync;
        final String synchronousCommit;

        Durability(String fsync, String synchronousCommit) {
            this.fsync = fsync;
            this.synchronousCommit = synchronousCommit;
        }
    }

    /** Starts a durable embedded PostgreSQL in {@code dataDir/postgres} on {@code port} (0 = any free port). */
    public static EmbeddedStorage startPostgres(Path dataDir, int port) {
        return startPostgres(dataDir, port, Durability.DURABLE);
    }

    /** Starts an embedded PostgreSQL in {@code dataDir/postgres} on {@code port} (0 = any free port). */
    public static EmbeddedStorage startPostgres(Path dataDir, int port, Durability durability) {
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
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(chosen)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    // These -c settings come after the library's own "-F -c synchronous_commit=off", so they win.
                    .setServerConfig("fsync", durability.fsync)
                    .setServerConfig("synchronous_commit", durability.synchronousCommit)
                    .setServerConfig("full_page_writes", durability.fsync);
            EmbeddedPostgres pg = start(builder, dir);
            createDatabase(pg);
            var url = new PgUrl("postgresql://postgres@127.0.0.1:" + pg.getPort() + "/" + DATABASE);
            LOG.info(
                    "embedded PostgreSQL started url={} dir={} fsync={} synchronous_commit={}",
                    url,
                    dir,
                    durability.fsync,
                    durability.synchronousCommit);
            if (durability == Durability.LOSES_DATA_ON_CRASH) {
                LOG.warn("embedded PostgreSQL runs without fsync: a crash can lose acknowledged events");
            }
            int bound = pg.getPort();
            return new EmbeddedStorage(
                    "PostgreSQL",
                    pg,
                    url,
                    null,
                    null,
                    dir.resolve("postmaster.pid"),
                    () -> startPostgres(dataDir, bound, durability));
        } catch (IOException | SQLException | RuntimeException e) {
            if (e instanceof StartupException startup) throw startup;
            throw new StartupException("postgres: the embedded PostgreSQL did not start in " + dir + " (" + e + ")", e);
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
            return new EmbeddedStorage("Redis", null, null, server, url, pidFile, () -> startRedis(dataDir, chosen));
        } catch (IOException | RuntimeException e) {
            throw new StartupException(
                    "redis: the embedded Redis did not start in " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /** The folder lock the embedded PostgreSQL library takes in the data folder before it starts the server. */
    static final String LIBRARY_LOCK = "epg-lock";

    /**
     * Starts the server. A start that failed before (the port taken between our check and the server's bind, a server
     * that did not come up in time) leaves the library's lock on the folder held in this JVM, by an instance the
     * library never returned; every later start in this JVM would then fail at once, and the supervisor would never
     * bring the database back. No other process holds it (the pid file check before said so), so the lock file is
     * replaced by a fresh one and the start tried once more.
     */
    private static EmbeddedPostgres start(EmbeddedPostgres.Builder builder, Path dir) throws IOException {
        try {
            return builder.start();
        } catch (OverlappingFileLockException heldHere) {
            LOG.warn(
                    "embedded PostgreSQL folder still locked by a start that failed in this process; unlocking dir={}",
                    dir);
            Files.deleteIfExists(dir.resolve(LIBRARY_LOCK));
            return builder.start();
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

    /** Which server this is, for logs: "PostgreSQL" or "Redis". */
    public String what() {
        return what;
    }

    /** Whether the server's process (named by its pid file) is still running. */
    public boolean alive() {
        return Leftovers.readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .map(ProcessHandle::isAlive)
                .orElse(false);
    }

    /**
     * Starts the server again on the same folder and port after it died, so clients configured with its URL find it
     * where it was. Throws a {@link StartupException} when it does not come up (the supervisor tries again later).
     */
    public synchronized void restart() {
        close();
        EmbeddedStorage fresh = again.get();
        postgres = fresh.postgres;
        redis = fresh.redis;
    }

    public PgUrl pgUrl() {
        return pgUrl;
    }

    public String redisUrl() {
        return redisUrl;
    }

    @Override
    public synchronized void close() {
        if (postgres != null) {
            try {
                postgres.close();
                LOG.info("embedded PostgreSQL stopped");
            } catch (IOException | RuntimeException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
        if (redis != null) {
            try {
                redis.stop();
                LOG.info("embedded Redis stopped");
            } catch (IOException | RuntimeException e) {
                LOG.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}
