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
 *
 * <p>Everything a test JVM writes lives in one temporary folder (hundreds of MB: PostgreSQL's files and WAL), removed by
 * the same hook. A JVM that is killed cannot run its hook, so each start also removes the folders of test JVMs that no
 * longer run: a suite run again and again on one machine would otherwise fill its disk.
 */
public final class TestStorage {

    private static final String FOLDER_PREFIX = "vertable-test-storage";
    private static final String OWNER_FILE = "owner.pid";

    private static EmbeddedStorage postgres;
    private static EmbeddedStorage redis;
    private static Path folder;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestStorage() {}

    private static synchronized void start() {
        if (postgres != null) return;
        try {
            folder = Files.createTempDirectory(FOLDER_PREFIX);
            Files.writeString(
                    folder.resolve(OWNER_FILE),
                    Long.toString(ProcessHandle.current().pid()));
            removeAbandonedFolders(folder.getParent());
            postgres = EmbeddedStorage.startPostgres(folder, 0);
            redis = EmbeddedStorage.startRedis(folder, 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.close();
            postgres.close();
            deleteTree(folder);
        }));
    }

    /** Folders of earlier test JVMs that were killed: their owner no longer runs (or never recorded itself). */
    static void removeAbandonedFolders(Path temp) throws IOException {
        try (var folders = Files.newDirectoryStream(temp, FOLDER_PREFIX + "*")) {
            for (Path other : folders) {
                if (!other.equals(folder) && abandoned(other)) deleteTree(other);
            }
        }
    }

    private static boolean abandoned(Path other) {
        try {
            long owner =
                    Long.parseLong(Files.readString(other.resolve(OWNER_FILE)).trim());
            return ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true);
        } catch (java.nio.file.NoSuchFileException e) {
            // Written a moment after the folder: only a folder that old without it is an earlier JVM's.
            try {
                return Files.getLastModifiedTime(other).toMillis() < System.currentTimeMillis() - 600_000;
            } catch (IOException gone) {
                return false;
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Gone already, or being removed by another JVM's sweep.
        }
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
        start();
        return DATA_BY_DATABASE.computeIfAbsent(database.url(), url -> {
            try {
                return Files.createTempDirectory(folder, "data");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A new folder for a test's own files, removed with the rest of this JVM's test storage. */
    public static Path scratchFolder(String purpose) {
        start();
        try {
            return Files.createTempDirectory(folder, purpose);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

    /**
     * Kills PostgreSQL and holds its port, so it cannot come back until the returned port is closed: an outage that
     * lasts, not a race with the node's supervisor, which restarts a dead server within a second or so. Whoever
     * connects meanwhile is hung up on at once, as by a database that is down (left unanswered, a client would wait out
     * its own timeout instead). On a busy machine the supervisor may have restarted the server before the port was
     * taken: then the new server is killed in turn.
     */
    public static HeldPort killAndHoldPort(Path pidFile, PgUrl url) throws Exception {
        for (int round = 0; round < 10; round++) {
            awaitRunning(pidFile);
            killServer(pidFile);
            java.net.ServerSocket held = takePort(url);
            if (held != null) return new HeldPort(held);
        }
        throw new AssertionError("PostgreSQL was back on its port each time before the test could take it");
    }

    /** A database's port held by a test: every connection closed as soon as it is made, until {@link #close()}. */
    public static final class HeldPort implements AutoCloseable {
        private final java.net.ServerSocket socket;

        HeldPort(java.net.ServerSocket socket) {
            this.socket = socket;
            Thread hangUp = new Thread(this::hangUpOnEveryone, "held-port-" + socket.getLocalPort());
            hangUp.setDaemon(true);
            hangUp.start();
        }

        private void hangUpOnEveryone() {
            while (!socket.isClosed()) {
                try {
                    socket.accept().close();
                } catch (IOException closedOrFailed) {
                    // closed by close(): the loop ends
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Waits until the pid file names a live server (the supervisor's restart may still be writing it). */
    private static void awaitRunning(Path pidFile) {
        for (int attempt = 0; attempt < 600; attempt++) {
            try {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return;
            } catch (IOException | RuntimeException notYet) {
                // not written yet, or half written
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        throw new AssertionError("no PostgreSQL running after 30 s: " + pidFile);
    }

    /** Listens on the database's port, retrying briefly while the killed server's socket goes away; null if taken. */
    private static java.net.ServerSocket takePort(PgUrl url) throws Exception {
        java.net.URI uri = java.net.URI.create(url.url().replace("postgresql://", "http://"));
        for (int attempt = 0; attempt <= 200; attempt++) {
            try {
                return new java.net.ServerSocket(uri.getPort(), 50, java.net.InetAddress.getByName(uri.getHost()));
            } catch (java.net.BindException stillBound) {
                // The kernel frees a killed listener's port within milliseconds.
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            }
        }
        return null;
    }
}
