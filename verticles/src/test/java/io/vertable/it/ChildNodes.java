package io.vertable.it;

import static org.awaitility.Awaitility.await;

import io.vertable.testing.Http;
import io.vertable.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.IntFunction;

/** Full nodes run as child JVMs on fixed loopback ports, so a restarted node comes back where its clients look. */
final class ChildNodes {

    final int[] httpPorts;
    final int[] bridgePorts;
    final NodeProcess[] processes;
    final boolean[] up;

    ChildNodes(int count) {
        httpPorts = new int[count];
        bridgePorts = new int[count];
        processes = new NodeProcess[count];
        up = new boolean[count];
        for (int i = 0; i < count; i++) {
            httpPorts[i] = TestNodes.freePort();
            bridgePorts[i] = TestNodes.freePort();
        }
    }

    /**
     * Starts the given nodes together and waits until each is ready. A node whose HTTP or bridge port was taken since
     * it was picked (free then, not reserved: another process on the machine may bind it) gets new ports and starts
     * again; clients look its ports up on every connect.
     */
    void start(Path work, Collection<Integer> which, IntFunction<Map<String, String>> env) throws Exception {
        for (int i : which) processes[i] = NodeProcess.start(work, env.apply(i));
        for (int i : which) {
            for (int attempt = 1; ; attempt++) {
                try {
                    processes[i].awaitReady(Duration.ofSeconds(120));
                    break;
                } catch (AssertionError notReady) {
                    processes[i].close();
                    if (attempt == 3 || !notReady.getMessage().contains("already in use")) throw notReady;
                    httpPorts[i] = TestNodes.freePort();
                    bridgePorts[i] = TestNodes.freePort();
                    processes[i] = NodeProcess.start(work, env.apply(i));
                }
            }
            up[i] = true;
        }
    }

    int count() {
        return up.length;
    }

    /** Every node that is up sees {@code members} members and says it is ready. */
    void awaitMembers(int members) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (int i = 0; i < count(); i++) {
                        if (!up[i]) continue;
                        JsonObject ready = Http.getJson(httpPorts[i], "/health/ready");
                        if (!"UP".equals(ready.getString("status"))
                                || ready.getJsonObject("cluster").getInteger("members") != members) return false;
                    }
                    return true;
                });
    }

    void closeAll() throws InterruptedException {
        for (NodeProcess node : processes) if (node != null) node.close();
    }
}
