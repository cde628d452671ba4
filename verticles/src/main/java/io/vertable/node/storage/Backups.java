package io.vertable.node.storage;

import io.vertable.kit.PgUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Logical backups of the whole store (accounts, rooms, event logs, snapshots, chat, sheets, images): one zip per
 * backup holding a manifest and each table in PostgreSQL's binary COPY format, read in one repeatable-read
 * transaction so the tables agree with each other. Works the same against the embedded server and an external one,
 * needs no {@code pg_dump} binary, and a restore goes through the schema migrations, so a backup taken by an older
 * build restores into a newer one. Blocking (JDBC): call it from a worker thread or a command, never an event loop.
 */
public final class Backups {

    /** Bumped when the file layout changes; a restore refuses a format it does not know. */
    static final int FORMAT = 1;

    static final String PREFIX = "vertable-";
    static final String SUFFIX = ".zip";
    private static final String MANIFEST = "manifest.json";
    private static final String HISTORY = "flyway_schema_history";
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private Backups() {}

    /** What a finished backup is: its file, size and what it holds. */
    public record Taken(Path file, long bytes, Instant at, String schemaVersion, Map<String, Long> rows) {}

    /**
     * The table a node fills by itself when it first starts (its dice key): not data a restore must not overwrite; the
     * backup's rows replace it.
     */
    private static final String NODE_MADE = "server_secrets";

    /** A backup or restore that could not be done, with a message for the operator. */
    public static final class BackupException extends RuntimeException {
        BackupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Writes a new backup of {@code url}'s database into {@code dir} (created if missing). */
    public static Taken take(PgUrl url, Path dir, String nodeId) {
        try (Connection db = connect(url)) {
            beginSnapshot(db, true);
            Taken taken = take(db, dir, nodeId);
            db.commit();
            return taken;
        } catch (SQLException e) {
            throw new BackupException("backup of " + url + " into " + dir + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the transaction a backup reads: one snapshot, so the tables agree with each other. Read-only unless the
     * caller records the run in the same transaction.
     */
    static void beginSnapshot(Connection db, boolean readOnly) throws SQLException {
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ" + (readOnly ? ", READ ONLY" : ""));
        }
    }

    /**
     * Writes a backup of what {@code db}'s transaction (opened by {@link #beginSnapshot}) sees into {@code dir}; the
     * caller ends the transaction.
     */
    static Taken take(Connection db, Path dir, String nodeId) {
        Instant at = Instant.now();
        Path file = dir.resolve(PREFIX + FILE_TIME.format(at) + SUFFIX);
        try {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, ".partial-", SUFFIX);
            Map<String, Long> rows = new LinkedHashMap<>();
            String version;
            try (OutputStream out = Files.newOutputStream(partial);
                    ZipOutputStream zip = new ZipOutputStream(out)) {
                version = schemaVersion(db);
                CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
                for (String table : tablesInLoadOrder(db)) {
                    zip.putNextEntry(new ZipEntry("tables/" + table + ".copy"));
                    rows.put(table, copy.copyOut("COPY " + quoted(table) + " TO STDOUT (FORMAT binary)", zip));
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(manifest(at, nodeId, version, rows).encodePrettily().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            } catch (SQLException | IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            // On disk before it gets its name: a crash must not leave a truncated file that looks like the latest
            // backup.
            try (var channel = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return new Taken(file, Files.size(file), at, version, rows);
        } catch (SQLException | IOException e) {
            throw new BackupException("backup into " + dir + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a backup into {@code url}'s database, which must hold no rows yet (a fresh data folder or database). The
     * schema is migrated to the backup's version first, the rows copied in one transaction, then the rest of this
     * build's migrations run, so a half-done restore leaves nothing behind.
     */
    public static Map<String, Long> restore(PgUrl url, Path file) {
        try {
            JsonObject manifest = readManifest(file);
            if (manifest.getInteger("format", -1) != FORMAT) {
                throw new BackupException(
                        file + ": not a backup this build can read (format " + manifest.getValue("format")
                                + ", expected " + FORMAT + ")",
                        null);
            }
            String version = manifest.getString("schemaVersion");
            migrate(url, version);
            Map<String, Long> restored = new LinkedHashMap<>();
            try (Connection db = connect(url)) {
                db.setAutoCommit(false);
                String target = schemaVersion(db);
                if (!target.equals(version)) {
                    throw new BackupException(
                            url + " is at schema version " + target + ", the backup at " + version
                                    + "; restore into an empty database or a fresh data folder",
                            null);
                }
                requireEmpty(db, url);
                // Only the schema's own tables are loaded: a crafted file naming another table is refused.
                java.util.Set<String> schemaTables = new java.util.HashSet<>(tablesInLoadOrder(db));
                CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
                try (InputStream in = Files.newInputStream(file);
                        ZipInputStream zip = new ZipInputStream(in)) {
                    for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                        String name = entry.getName();
                        if (!name.startsWith("tables/") || !name.endsWith(".copy")) continue;
                        String table = name.substring("tables/".length(), name.length() - ".copy".length());
                        if (!manifest.getJsonObject("rows").containsKey(table)) {
                            throw new BackupException(file + ": table " + table + " is not in its manifest", null);
                        }
                        if (!schemaTables.contains(table)) {
                            throw new BackupException(file + ": " + table + " is not a table of the schema", null);
                        }
                        if (table.equals(NODE_MADE)) clear(db, table);
                        restored.put(table, copy.copyIn("COPY " + quoted(table) + " FROM STDIN (FORMAT binary)", zip));
                    }
                }
                for (String table : manifest.getJsonObject("rows").fieldNames()) {
                    long expected = manifest.getJsonObject("rows").getLong(table);
                    if (restored.getOrDefault(table, -1L) != expected) {
                        throw new BackupException(
                                file + ": table " + table + " holds " + restored.get(table)
                                        + " rows, its manifest says " + expected + "; nothing was restored",
                                null);
                    }
                }
                db.commit();
            }
            Migrations.apply(url);
            return restored;
        } catch (SQLException | IOException e) {
            throw new BackupException("restore of " + file + " into " + url + " failed: " + e.getMessage(), e);
        }
    }

    /** Deletes backups older than {@code keepDays}, always keeping the newest; returns the files deleted. */
    public static List<Path> prune(Path dir, int keepDays, Instant now) {
        List<Path> deleted = new ArrayList<>();
        List<Path> backups = list(dir);
        Instant cutoff = now.minusSeconds(keepDays * 86_400L);
        for (Path file : backups.subList(0, Math.max(0, backups.size() - 1))) {
            try {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    Files.delete(file);
                    deleted.add(file);
                }
            } catch (IOException e) {
                throw new BackupException("cannot prune " + file + ": " + e.getMessage(), e);
            }
        }
        return deleted;
    }

    /** The backups in {@code dir}, oldest first. */
    public static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                        String name = f.getFileName().toString();
                        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
                    })
                    .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new BackupException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject manifest(Instant at, String nodeId, String version, Map<String, Long> rows) {
        var counts = new JsonObject();
        rows.forEach(counts::put);
        return new JsonObject()
                .put("format", FORMAT)
                .put("takenAt", at.toString())
                .put("node", nodeId)
                .put("schemaVersion", version)
                .put("tables", new JsonArray(List.copyOf(rows.keySet())))
                .put("rows", counts);
    }

    private static JsonObject readManifest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals(MANIFEST)) {
                    return new JsonObject(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (io.vertx.core.json.DecodeException | java.util.zip.ZipException e) {
            throw new BackupException(file + ": not a Vertable backup (" + e.getMessage() + ")", e);
        }
        throw new BackupException(file + ": not a Vertable backup (no manifest)", null);
    }

    private static void migrate(PgUrl url, String version) {
        Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations("classpath:db/migration")
                .target(version)
                .connectRetries(0)
                .load()
                .migrate();
    }

    private static void clear(Connection db, String table) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DELETE FROM " + quoted(table));
        }
    }

    private static void requireEmpty(Connection db, PgUrl url) throws SQLException {
        for (String table : tablesInLoadOrder(db)) {
            if (table.equals(NODE_MADE)) continue;
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + quoted(table) + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new BackupException(
                            url + " already holds data (table " + table + "); restore into an empty database or a "
                                    + "fresh data folder",
                            null);
                }
            }
        }
    }

    private static String schemaVersion(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM " + HISTORY
                        + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            if (!rs.next()) throw new SQLException("the database has no migrated schema");
            return rs.getString(1);
        }
    }

    /** The schema's tables (not Flyway's), each after the tables its foreign keys point at. */
    static List<String> tablesInLoadOrder(Connection db) throws SQLException {
        Map<String, Set<String>> dependsOn = new LinkedHashMap<>();
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        + "AND tablename <> '" + HISTORY + "' ORDER BY tablename")) {
            while (rs.next()) dependsOn.put(rs.getString(1), new LinkedHashSet<>());
        }
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT c.conrelid::regclass::text, c.confrelid::regclass::text "
                        + "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                        + "WHERE c.contype = 'f' AND n.nspname = 'public'")) {
            while (rs.next()) {
                String from = rs.getString(1);
                String to = rs.getString(2);
                if (dependsOn.containsKey(from) && !from.equals(to))
                    dependsOn.get(from).add(to);
            }
        }
        List<String> order = new ArrayList<>();
        while (order.size() < dependsOn.size()) {
            boolean progressed = false;
            for (var table : dependsOn.entrySet()) {
                if (!order.contains(table.getKey()) && order.containsAll(table.getValue())) {
                    order.add(table.getKey());
                    progressed = true;
                }
            }
            if (!progressed) throw new SQLException("foreign keys form a cycle among " + dependsOn.keySet());
        }
        return order;
    }

    private static Connection connect(PgUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }

    private static String quoted(String table) {
        return '"' + table.replace("\"", "\"\"") + '"';
    }
}
