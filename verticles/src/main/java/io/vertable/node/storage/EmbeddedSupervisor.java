package io.vertable.node.storage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back an embedded PostgreSQL or Redis that exited under a running node (killed, crashed, out of memory), so
 * the node heals without an operator. It looks once a second; a server that will not start is tried again after 1, 2,
 * 4 … up to 30 seconds. Starting a server blocks for seconds, so this runs on its own thread, never an event loop.
 * Meanwhile readiness reports the outage and requests get {@code STORE_UNAVAILABLE}.
 */
public final class EmbeddedSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSupervisor.class);
    private static final long CHECK_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final String nodeId;
    private final List<EmbeddedStorage> servers;
    private final ScheduledExecutorService thread;
    private final Map<EmbeddedStorage, Outage> outages = new ConcurrentHashMap<>();

    /** When a server was first seen down, how many starts failed, and when to try next. */
    private record Outage(long sinceMs, int failedStarts, long nextTryMs) {}

    private EmbeddedSupervisor(String nodeId, List<EmbeddedStorage> servers) {
        this.nodeId = nodeId;
        this.servers = List.copyOf(servers);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vertable-embedded-supervisor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Watches the given servers until {@link #close()}; with none, does nothing. */
    public static EmbeddedSupervisor watch(String nodeId, List<EmbeddedStorage> servers) {
        var supervisor = new EmbeddedSupervisor(nodeId, servers);
        if (!servers.isEmpty()) {
            supervisor.thread.scheduleWithFixedDelay(supervisor::checkAll, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
        }
        return supervisor;
    }

    private void checkAll() {
        for (EmbeddedStorage server : servers) {
            try {
                check(server);
            } catch (RuntimeException e) {
                LOG.warn("embedded {} check failed node={}: {}", server.what(), nodeId, e.getMessage());
            }
        }
    }

    private void check(EmbeddedStorage server) {
        if (server.alive()) return;
        long now = System.currentTimeMillis();
        Outage outage = outages.get(server);
        if (outage == null) {
            LOG.warn("embedded {} exited node={}; restarting it", server.what(), nodeId);
            outage = new Outage(now, 0, now);
        }
        if (now < outage.nextTryMs()) return;
        try {
            server.restart();
            outages.remove(server);
            LOG.info(
                    "embedded {} restarted node={} downMs={} attempts={}",
                    server.what(),
                    nodeId,
                    now - outage.sinceMs(),
                    outage.failedStarts() + 1);
        } catch (RuntimeException e) {
            int failed = outage.failedStarts() + 1;
            long backoff = Math.min(MAX_BACKOFF_MS, CHECK_MS << Math.min(failed - 1, 5));
            outages.put(server, new Outage(outage.sinceMs(), failed, System.currentTimeMillis() + backoff));
            LOG.warn(
                    "embedded {} did not restart node={} attempt={} nextTryMs={}: {}",
                    server.what(),
                    nodeId,
                    failed,
                    backoff,
                    e.getMessage());
        }
    }

    /** Stops watching (before a shutdown stops the servers on purpose); waits for a restart in progress. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
