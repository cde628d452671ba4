package io.vertable.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.testing.TestStorage;
import java.io.FileOutputStream;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's restart of a killed embedded PostgreSQL, after a start that failed in this JVM: such a start leaves
 * the library's lock on the data folder held by an instance nobody can close, which used to make every later restart
 * fail at once, so the database never came back.
 */
class EmbeddedRestartTest {

    @Test
    void aRestartSucceedsWhenAFailedStartLeftTheFolderLockedInThisProcess(@TempDir Path dataDir) throws Exception {
        try (EmbeddedStorage storage = EmbeddedStorage.startPostgres(dataDir, 0)) {
            Path folder = dataDir.resolve("postgres");
            TestStorage.killServer(folder.resolve("postmaster.pid"));
            storage.close();
            // What a failed start leaves behind: the folder's lock, held in this process by a channel never closed.
            try (FileOutputStream leaked = new FileOutputStream(
                            folder.resolve(EmbeddedStorage.LIBRARY_LOCK).toFile());
                    FileLock held = leaked.getChannel().tryLock()) {
                assertThat(held).as("the test holds the folder's lock").isNotNull();

                storage.restart();

                try (Connection c = TestStorage.jdbc(storage.pgUrl());
                        ResultSet one = c.createStatement().executeQuery("SELECT 1")) {
                    assertThat(one.next()).isTrue();
                    assertThat(one.getInt(1)).isEqualTo(1);
                }
            }
        }
    }
}
