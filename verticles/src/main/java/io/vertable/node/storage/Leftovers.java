package io.vertable.node.storage;

import io.vertable.kit.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded servers outlive a node killed with {@code kill -9} (they are re-parented to init). On start, a server whose
 * pid file sits in our data folder is either such an orphan — stopped, so this node can start its own — or belongs
 * to a node that is still running, in which case this node refuses to share the folder.
 */
final class Leftovers {

    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

    private Leftovers() {}

    /**
     * @param pidFile the server's pid file (first line: the pid)
     * @param what "PostgreSQL" or "Redis", for messages
     * @param shareHint what the operator should set instead of starting a second server on the same folder
     */
    static void clear(Path pidFile, String what, String shareHint) {
        Optional<ProcessHandle> server =
                readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (server.isEmpty()) return;
        ProcessHandle process = server.get();
        boolean orphan = process.parent().map(p -> p.pid() == 1).orElse(true);
        if (!orphan) {
            throw new StartupException("node.dataDir " + pidFile.getParent() + ": an embedded " + what
                    + " of another running node uses this folder (pid " + process.pid() + "); " + shareHint);
        }
        LOG.warn("stopping leftover embedded {} pid={} from a node that did not shut down", what, process.pid());
        process.destroy();
        try {
            process.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) return Optional.empty();
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
