package io.vertable.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite cleans up after test JVMs that were killed, so running it again and again cannot fill the disk. */
class TestStorageTest {

    @Test
    void foldersOfTestJvmsThatNoLongerRunAreRemovedAndLiveOnesKept(@TempDir Path temp) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path abandoned = storageFolder(temp, "1", finished.pid());
        Path live = storageFolder(temp, "2", ProcessHandle.current().pid());
        Path other = Files.createDirectory(temp.resolve("someone-elses"));

        TestStorage.removeAbandonedFolders(temp);

        assertThat(abandoned).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();
    }

    private static Path storageFolder(Path temp, String suffix, long owner) throws Exception {
        Path folder = Files.createDirectory(temp.resolve("vertable-test-storage" + suffix));
        Files.writeString(folder.resolve("owner.pid"), Long.toString(owner));
        Files.createDirectories(folder.resolve("postgres/pg_wal"));
        Files.writeString(folder.resolve("postgres/pg_wal/segment"), "x".repeat(1000));
        return folder;
    }
}
