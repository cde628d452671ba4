package io.vertable.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertable.kit.PgUrl;
import io.vertable.testing.TestStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {

    private static final List<String> TABLES = List.of(
            "users",
            "rooms",
            "room_members",
            "invites",
            "events",
            "snapshots",
            "chat_messages",
            "assets",
            "characters",
            "notes");

    @Test
    void migrationsCreateTheSchemaOnAnEmptyDatabaseAndAreIdempotent() throws SQLException {
        PgUrl url = TestStorage.freshDatabase("migrations");
        assertThat(Migrations.apply(url)).isPositive();
        assertThat(tables(url)).containsAll(TABLES);
        assertThat(Migrations.apply(url)).isZero();
        assertThat(tables(url)).containsAll(TABLES);
    }

    @Test
    void theEventLogRefusesASecondEventWithTheSameSeq() throws SQLException {
        PgUrl url = TestStorage.freshDatabase("fence");
        Migrations.apply(url);
        try (Connection c = TestStorage.jdbc(url);
                var s = c.createStatement()) {
            s.execute("INSERT INTO users (id, display_name, guest) VALUES ('u1', 'Ann', true)");
            s.execute("INSERT INTO rooms (id, name, owner_id) VALUES ('r1', 'Crypt', 'u1')");
            String event = "INSERT INTO events (room_id, seq, type, ts, audience, data) "
                    + "VALUES ('r1', 1, 'token.moved', now(), '\"all\"', '{}')";
            s.execute(event);
            assertThatThrownBy(() -> s.execute(event))
                    .isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        }
    }

    @Test
    void dataWrittenBeforeARestartIsThereAfterIt(@TempDir Path dataDir) throws SQLException {
        try (EmbeddedStorage first = EmbeddedStorage.startPostgres(dataDir, 0)) {
            Migrations.apply(first.pgUrl());
            try (Connection c = TestStorage.jdbc(first.pgUrl());
                    var s = c.createStatement()) {
                s.execute(
                        "INSERT INTO users (id, display_name, guest) VALUES ('keeper', 'Kept across restarts', true)");
            }
        }
        try (EmbeddedStorage second = EmbeddedStorage.startPostgres(dataDir, 0)) {
            assertThat(Migrations.apply(second.pgUrl())).isZero();
            try (Connection c = TestStorage.jdbc(second.pgUrl());
                    ResultSet rs =
                            c.createStatement().executeQuery("SELECT display_name FROM users WHERE id = 'keeper'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Kept across restarts");
            }
        }
    }

    @Test
    void theEmbeddedServerIsDurableUnlessToldItMayLoseData(@TempDir Path dataDir) throws SQLException {
        try (EmbeddedStorage durable = EmbeddedStorage.startPostgres(dataDir.resolve("durable"), 0)) {
            assertThat(settings(durable.pgUrl())).isEqualTo(List.of("on", "on", "on"));
        }
        try (EmbeddedStorage unsafe = EmbeddedStorage.startPostgres(
                dataDir.resolve("unsafe"), 0, EmbeddedStorage.Durability.LOSES_DATA_ON_CRASH)) {
            assertThat(settings(unsafe.pgUrl())).isEqualTo(List.of("off", "off", "off"));
        }
    }

    /** fsync, synchronous_commit and full_page_writes as the running server reports them. */
    private static List<String> settings(PgUrl url) throws SQLException {
        var values = new java.util.ArrayList<String>();
        try (Connection c = TestStorage.jdbc(url)) {
            for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = c.createStatement().executeQuery("SHOW " + name)) {
                    assertThat(rs.next()).isTrue();
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    @Test
    void passwordsNeverAppearInTheRedactedUrl() {
        var url = new PgUrl("postgresql://vtt:s3cret@db.example:5432/vtt");
        assertThat(url.redacted())
                .isEqualTo("postgresql://vtt:***@db.example:5432/vtt")
                .doesNotContain("s3cret");
        assertThat(url.toString()).doesNotContain("s3cret");
        assertThat(url.jdbcUrl())
                .startsWith("jdbc:postgresql://db.example:5432/vtt")
                .doesNotContain("s3cret");
    }

    private static List<String> tables(PgUrl url) throws SQLException {
        var names = new ArrayList<String>();
        try (Connection c = TestStorage.jdbc(url);
                ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) names.add(rs.getString("TABLE_NAME"));
        }
        return names;
    }
}
