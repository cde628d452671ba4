package io.vertable.node;

import io.vertable.kit.NodeConfig;
import io.vertable.kit.PgUrl;
import io.vertable.kit.StartupException;
import io.vertable.node.storage.Backups;
import io.vertable.node.storage.EmbeddedStorage;
import io.vertable.node.storage.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The jar's operator commands besides running a node: {@code backup} (one backup now, into the backup folder) and
 * {@code restore FILE} (into an empty database: a fresh data folder, or an empty external database). Both use the
 * node's configuration to find PostgreSQL: {@code VTT_PG_URL}, else the embedded server in the data folder, started
 * for the command and stopped after it (it must not be in use by a running node; point VTT_PG_URL at that one).
 */
final class StoreCommands {

    private StoreCommands() {}

    /** @return the process exit code */
    static int run(String[] args, NodeConfig config) {
        String command = args[0];
        if (command.equals("backup") && args.length == 1) return withDatabase(config, url -> backup(config, url));
        if (command.equals("restore") && args.length == 2) {
            Path file = Path.of(args[1]);
            if (!Files.isRegularFile(file)) {
                System.err.println("vertable: restore: no such file " + file);
                return 2;
            }
            return withDatabase(config, url -> restore(url, file));
        }
        System.err.println("vertable: usage: java -jar vertable.jar [backup | restore FILE]");
        return 2;
    }

    private static int backup(NodeConfig config, PgUrl url) {
        Migrations.apply(url);
        Backups.Taken taken = Backups.take(url, config.backupDir(), config.nodeId());
        System.out.printf(
                "vertable: backup written file=%s bytes=%d schema=%s rows=%s%n",
                taken.file(), taken.bytes(), taken.schemaVersion(), taken.rows());
        return 0;
    }

    private static int restore(PgUrl url, Path file) {
        Map<String, Long> rows = Backups.restore(url, file);
        System.out.printf("vertable: restored file=%s into=%s rows=%s%n", file, url, rows);
        return 0;
    }

    private static int withDatabase(NodeConfig config, java.util.function.Function<PgUrl, Integer> work) {
        String configured = config.section("postgres").getString("url");
        EmbeddedStorage embedded = null;
        try {
            if (configured.isEmpty()) {
                embedded = EmbeddedStorage.startPostgres(
                        config.dataDir(), config.section("postgres").getInteger("embeddedPort"));
            }
            return work.apply(embedded != null ? embedded.pgUrl() : new PgUrl(configured));
        } catch (Backups.BackupException | StartupException e) {
            System.err.println("vertable: " + e.getMessage());
            return 1;
        } finally {
            if (embedded != null) embedded.close();
        }
    }
}
