package io.vertable.node.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertable.kit.PgUrl;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the scheduled backups: every node that runs persistence looks now and then, and the one that wins a
 * PostgreSQL advisory lock takes a backup when the last one (in {@code backup_runs}, cluster-wide) is older than the
 * interval, then prunes its folder. So a cluster takes one backup per interval, not one per node. The node's
 * {@code /metrics} shows the last backup's time and size.
 */
public final class BackupSchedule implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackupSchedule.class);

    /** Any fixed number: the advisory lock that makes one node at a time take the backup. */
    static final long LOCK_KEY = 0x7674745f6261636bL;

    private static final Duration FIRST_LOOK = Duration.ofMinutes(1);
    private static final Duration MOST_BETWEEN_LOOKS = Duration.ofMinutes(10);

    public record Settings(Path dir, Duration interval, int retentionDays) {}

    /** The last backup the cluster finished. */
    public record Last(Instant at, long bytes, String file, String node) {}

    private final PgUrl url;
    private final Settings settings;
    private final String nodeId;
    private final AtomicReference<Last> last = new AtomicReference<>();
    private final Counter failures;
    private final ScheduledExecutorService thread;

    public BackupSchedule(PgUrl url, Settings settings, String nodeId, MeterRegistry registry) {
        this.url = url;
        this.settings = settings;
        this.nodeId = nodeId;
        Gauge.builder(
                        "vertable.backup.last.timestamp",
                        last,
                        l -> l.get() == null ? 0 : l.get().at().getEpochSecond())
                .description("When the last backup of the store finished (any node), in Unix seconds; 0 = none yet")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder(
                        "vertable.backup.last.size",
                        last,
                        l -> l.get() == null ? 0 : l.get().bytes())
                .description("Size of the last backup of the store")
                .baseUnit("bytes")
                .register(registry);
        failures = Counter.builder("vertable.backup.failures")
                .description("Scheduled backups this node started that failed")
                .register(registry);
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vertable-backups");
            t.setDaemon(true);
            return t;
        });
    }

    /** Looks after {@code FIRST_LOOK}, then at least every ten minutes (more often with a shorter interval). */
    public BackupSchedule start() {
        long every = Math.min(settings.interval().toMillis(), MOST_BETWEEN_LOOKS.toMillis());
        thread.scheduleWithFixedDelay(this::lookQuietly, FIRST_LOOK.toMillis(), every, TimeUnit.MILLISECONDS);
        return this;
    }

    public Optional<Last> last() {
        return Optional.ofNullable(last.get());
    }

    private void lookQuietly() {
        try {
            takeIfDue(Instant.now());
        } catch (RuntimeException | SQLException e) {
            failures.increment();
            LOG.error("backup failed node={} dir={}: {}", nodeId, settings.dir(), e.getMessage());
        }
    }

    /**
     * Takes a backup when none finished within the interval and no other node is taking one right now. The lock, the
     * check, the copy and the record of the run are one transaction on one connection: the lock ends with it, however
     * it ends, and a pooler in transaction mode (pgbouncer) keeps all of it on one server session. The snapshot starts
     * with the statement that takes the lock, so a node that finished and let go within that statement is not seen:
     * then two backups are taken in one interval, which costs a file and loses nothing.
     */
    public Optional<Backups.Taken> takeIfDue(Instant now) throws SQLException {
        try (Connection db = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            last.set(readLast(db).orElse(null));
            Backups.beginSnapshot(db, false);
            try {
                if (!tryLock(db) || !due(readLast(db), now)) {
                    db.rollback();
                    return Optional.empty();
                }
                Backups.Taken taken = Backups.take(db, settings.dir(), nodeId);
                record(db, taken);
                db.commit();
                last.set(new Last(taken.at(), taken.bytes(), taken.file().toString(), nodeId));
                var pruned = Backups.prune(settings.dir(), settings.retentionDays(), now);
                LOG.info(
                        "backup taken node={} file={} bytes={} rows={} pruned={}",
                        nodeId,
                        taken.file(),
                        taken.bytes(),
                        taken.rows().values().stream()
                                .mapToLong(Long::longValue)
                                .sum(),
                        pruned.size());
                return Optional.of(taken);
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            }
        }
    }

    private boolean due(Optional<Last> previous, Instant now) {
        return previous.isEmpty()
                || !previous.get().at().plus(settings.interval()).isAfter(now);
    }

    private static Optional<Last> readLast(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT taken_at, bytes, file, node FROM backup_runs ORDER BY taken_at DESC LIMIT 1")) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(
                    new Last(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getString(3), rs.getString(4)));
        }
    }

    private void record(Connection db, Backups.Taken taken) throws SQLException {
        try (PreparedStatement s =
                db.prepareStatement("INSERT INTO backup_runs (taken_at, node, file, bytes) VALUES (?, ?, ?, ?)")) {
            s.setTimestamp(1, Timestamp.from(taken.at()));
            s.setString(2, nodeId);
            s.setString(3, taken.file().toString());
            s.setLong(4, taken.bytes());
            s.executeUpdate();
        }
    }

    private static boolean tryLock(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_try_advisory_xact_lock(" + LOCK_KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Stops looking; a backup in progress finishes first (it is one transaction and one file). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(60, TimeUnit.SECONDS)) thread.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
