package io.vertable.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertable.kit.DeploymentPlan;
import io.vertable.kit.PgUrl;
import io.vertable.map.DiceSeeds;
import io.vertable.node.Node;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.room.RoomViews;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore drill: a played room is backed up by the schedule, the store is wiped (a new data folder with its own
 * embedded PostgreSQL), the backup restored there, and every table and the room's replay come out identical.
 */
class BackupRestoreTest {

    @TempDir
    static Path work;

    static PgUrl database;
    static Node node;
    static Table table;
    static Path backups;

    @BeforeAll
    static void playARoom() {
        database = TestStorage.freshDatabase("backup");
        node = Node.start(TestNodes.config(
                TestNodes.standalone("backup-node", "http:1,bridge:1,persistence:1,map:1,dice:1,chat:1", database)));
        var rest = new Rest(node.httpPort());
        table = Table.create(rest, "Crypt");
        JsonObject pip = table.join("Pip", "PLAYER");
        try (var gm = Player.gm(node, table)) {
            gm.join();
            gm.ok(Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Crypt"));
            String token = gm.createTokenOnActiveScene("Skeleton");
            for (int x = 1; x <= 20; x++) {
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "token.move")
                                .put("tokenId", token)
                                .put("x", x * 70)
                                .put("y", 0));
            }
            String scene = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                    .getJsonObject("view")
                    .getString("activeScene");
            gm.ok(
                    Addresses.IN_MAP,
                    new JsonObject()
                            .put("op", "fog.reveal")
                            .put("sceneId", scene)
                            .put(
                                    "shape",
                                    new JsonObject()
                                            .put("kind", "rect")
                                            .put("x", 0)
                                            .put("y", 0)
                                            .put("w", 500)
                                            .put("h", 500)));
            gm.chat("The crypt is cold. [[1d20+2]]");
        }
        Rest.Reply sheet = rest.post(
                "/api/rooms/" + table.roomId() + "/characters",
                pip.getString("token"),
                new JsonObject().put("name", "Pip the Bold").put("attributes", new JsonObject().put("str", 4)));
        assertThat(sheet.status()).as(sheet.body().encode()).isEqualTo(201);
        backups = work.resolve("backups");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.shutdown();
    }

    @Test
    void theScheduleTakesOneBackupPerIntervalAndARestoreIntoAFreshFolderReplaysTheRoomIdentically() throws Exception {
        var schedule = new BackupSchedule(
                database,
                new BackupSchedule.Settings(backups, Duration.ofHours(24), 30),
                "backup-node",
                new SimpleMeterRegistry());
        Instant now = Instant.now();
        Backups.Taken taken = schedule.takeIfDue(now).orElseThrow();
        assertThat(schedule.takeIfDue(now.plusSeconds(3600)))
                .as("not due again within the interval")
                .isEmpty();
        assertThat(schedule.last().orElseThrow().file()).isEqualTo(taken.file().toString());
        assertThat(taken.rows())
                .containsKeys("users", "rooms", "room_members", "events", "chat_messages", "characters");
        assertThat(taken.rows().get("events")).isGreaterThan(20);

        // Wipe: a new data folder, its own empty embedded PostgreSQL, nothing of the old store.
        try (EmbeddedStorage fresh = EmbeddedStorage.startPostgres(work.resolve("fresh-data"), 0)) {
            Map<String, Long> restored = Backups.restore(fresh.pgUrl(), taken.file());
            assertThat(restored).isEqualTo(taken.rows());
            for (String tableName : taken.rows().keySet()) {
                if (tableName.equals("backup_runs")) continue; // the run is recorded after its own backup
                assertThat(fingerprint(fresh.pgUrl(), tableName))
                        .as(tableName)
                        .isEqualTo(fingerprint(database, tableName));
            }
            assertThat(replay(fresh.pgUrl(), table.roomId())).isEqualTo(replay(database, table.roomId()));
            assertThat(replay(fresh.pgUrl(), table.roomId()).getJsonObject("tokens"))
                    .hasSize(1);

            // The dice key came with the data: a node on the fresh folder (a new JWT key of its own) rolls with the
            // seeds of the room's open period, not with seeds its own key would give.
            Node restoredNode = Node.start(TestNodes.config(new JsonObject()
                    .put(
                            "node",
                            new JsonObject()
                                    .put("id", "restored")
                                    .put("dataDir", work.resolve("fresh-node").toString()))
                    .put("deploy", DeploymentPlan.parse("persistence:1", "test").toJson())
                    .put("postgres", new JsonObject().put("url", fresh.pgUrl().url()))
                    .put("backup", new JsonObject().put("enabled", false))));
            try {
                String key = DiceSeeds.keyInUse(restoredNode.context().config().json());
                assertThat(key)
                        .isEqualTo(DiceSeeds.keyInUse(node.context().config().json()));
                assertThat(TestNodes.signingKey(restoredNode)).isNotEqualTo(TestNodes.signingKey(node));
                assertThat(key)
                        .isNotEqualTo(DiceSeeds.keyToKeep(
                                restoredNode.context().config().json()));
            } finally {
                restoredNode.shutdown();
            }

            // A second restore into the now full database is refused and changes nothing.
            assertThatThrownBy(() -> Backups.restore(fresh.pgUrl(), taken.file()))
                    .isInstanceOf(Backups.BackupException.class)
                    .hasMessageContaining("already holds data");
            assertThat(fingerprint(fresh.pgUrl(), "events")).isEqualTo(fingerprint(database, "events"));
        }
    }

    @Test
    void aBackupUnderWayElsewhereHoldsTheLockOnlyAsLongAsItsTransaction(@TempDir Path dir) throws Exception {
        PgUrl own = TestStorage.freshDatabase("backup-lock");
        Migrations.apply(own);
        var schedule = new BackupSchedule(
                own,
                new BackupSchedule.Settings(dir, Duration.ofHours(24), 30),
                "lock-node",
                new SimpleMeterRegistry());
        try (Connection other = TestStorage.jdbc(own)) {
            // Another node's backup: the lock taken inside its transaction.
            other.setAutoCommit(false);
            try (var s = other.createStatement();
                    var rs = s.executeQuery("SELECT pg_try_advisory_xact_lock(" + BackupSchedule.LOCK_KEY + ")")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            assertThat(schedule.takeIfDue(Instant.now()))
                    .as("another node is backing up")
                    .isEmpty();
            other.commit();
        }
        assertThat(schedule.takeIfDue(Instant.now()))
                .as("the lock ended with that transaction")
                .isPresent();
        try (Connection c = TestStorage.jdbc(own);
                var s = c.createStatement();
                // This test's own database only: other tests' stores take advisory locks of their own meanwhile.
                var rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no advisory lock outlives the backup").isZero();
        }
    }

    @Test
    void theRestoreCommandLoadsABackupIntoAnEmptyDatabase() throws Exception {
        Backups.Taken taken = Backups.take(database, work.resolve("by-command"), "backup-node");
        PgUrl empty = TestStorage.freshDatabase("restore-target");
        var config = TestNodes.config(new JsonObject().put("postgres", new JsonObject().put("url", empty.url())));
        Class<?> commands = Class.forName("io.vertable.node.StoreCommands");
        var run = commands.getDeclaredMethod("run", String[].class, io.vertable.kit.NodeConfig.class);
        run.setAccessible(true);
        assertThat(run.invoke(null, new String[] {"restore", taken.file().toString()}, config))
                .isEqualTo(0);
        assertThat(fingerprint(empty, "events")).isEqualTo(fingerprint(database, "events"));
        assertThat(run.invoke(
                        null, new String[] {"restore", work.resolve("nope.zip").toString()}, config))
                .isEqualTo(2);
    }

    @Test
    void pruningKeepsTheRetentionAndAlwaysTheNewest(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        Path old = Files.writeString(dir.resolve("vertable-20260101-000000.zip"), "old");
        Path recent = Files.writeString(dir.resolve("vertable-20261201-000000.zip"), "recent");
        Path stranger = Files.writeString(dir.resolve("notes.txt"), "not a backup");
        Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofDays(40))));
        Files.setLastModifiedTime(recent, FileTime.from(now.minus(Duration.ofDays(35))));
        assertThat(Backups.prune(dir, 30, now)).containsExactly(old);
        assertThat(Files.exists(recent))
                .as("the newest backup is kept whatever its age")
                .isTrue();
        assertThat(Files.exists(stranger)).isTrue();
    }

    /** Every row of a table, in a stable order, as one digest. */
    private static String fingerprint(PgUrl url, String tableName) throws SQLException {
        try (Connection c = TestStorage.jdbc(url);
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \""
                                        + tableName + "\" t")) {
            rs.next();
            return rs.getLong(1) + ":" + rs.getString(2);
        }
    }

    /** The GM's view of a room rebuilt from its stored log by the rooms' own reducer. */
    private static JsonObject replay(PgUrl url, String roomId) throws SQLException {
        JsonObject state = RoomReducer.empty(roomId);
        Map<Long, JsonObject> log = new LinkedHashMap<>();
        try (Connection c = TestStorage.jdbc(url);
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT seq, type, data FROM events WHERE room_id = '" + roomId + "' ORDER BY seq")) {
            while (rs.next()) {
                RoomReducer.apply(state, rs.getLong(1), rs.getString(2), new JsonObject(rs.getString(3)));
                log.put(rs.getLong(1), null);
            }
        }
        assertThat(List.copyOf(log.keySet())).as("gap-free log").startsWith(1L);
        return RoomViews.gm(state);
    }
}
