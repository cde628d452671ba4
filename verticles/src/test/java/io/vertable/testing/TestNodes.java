package io.vertable.testing;

import io.vertable.kit.DeploymentPlan;
import io.vertable.kit.NodeConfig;
import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/** Builds in-process nodes for tests: port 0 everywhere, shared test storage, optional loopback cluster. */
public final class TestNodes {

    /**
     * How long test nodes wait for a member's heartbeat before suspecting it. Hazelcast checks heartbeats by the wall
     * clock, and the wall clock of the hosts these tests run on is stepped by 2–5 s every few seconds: with 5 s, two
     * members once suspected each other after a step and the cluster stayed half split for over a minute. A member
     * whose process dies is removed as soon as its connections close, so the tests' failovers do not wait for this.
     */
    public static final int HEARTBEAT_SECONDS = 15;

    private TestNodes() {}

    /** Overrides for a standalone node using the shared test PostgreSQL database and Redis. */
    public static JsonObject standalone(String nodeId, String plan, PgUrl database) {
        return new JsonObject()
                .put(
                        "node",
                        new JsonObject()
                                .put("id", nodeId)
                                .put("dataDir", TestStorage.dataDirFor(database).toString()))
                .put("deploy", DeploymentPlan.parse(plan, "test").toJson())
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("postgres", new JsonObject().put("url", database.url()))
                .put("redis", new JsonObject().put("url", TestStorage.redisUrlFor(database)))
                .put("shutdown", new JsonObject().put("graceSeconds", 5))
                // Scheduled backups would write into the working folder; BackupRestoreTest runs them on purpose.
                .put("backup", new JsonObject().put("enabled", false))
                // Tests act as many users from one address; tests of the REST limits set their own.
                .put(
                        "rateLimits",
                        new JsonObject()
                                .put("loginPerMinute", 10_000)
                                .put("registerPerHour", 100_000)
                                .put("restWritesPerMinute", 100_000));
    }

    /** The signing key test clusters share (a cluster must configure one). */
    public static final String CLUSTER_JWT_SECRET = "test-cluster-signing-key-of-32-characters-or-more";

    /** The key a node signs its tokens with (configured, or generated in its data folder): for forging in tests. */
    public static String signingKey(Node node) {
        return node.context().config().section("jwt").getString("secret");
    }

    /** A loopback cluster of its own: a unique name and member ports no other test class uses. */
    public record TestCluster(String name, int basePort, int size) {

        public static TestCluster create(int size) {
            return new TestCluster("test-" + UUID.randomUUID(), freePortBlock(size), size);
        }

        public JsonObject clusterSection() {
            var members = new JsonArray();
            IntStream.range(0, size).forEach(i -> members.add("127.0.0.1:" + (basePort + i)));
            return new JsonObject()
                    .put("enabled", true)
                    .put("name", name)
                    .put("host", "127.0.0.1")
                    .put("port", basePort)
                    .put("members", members)
                    .put("heartbeatSeconds", HEARTBEAT_SECONDS);
        }

        public Node start(String nodeId, String plan, PgUrl database) {
            return Node.start(config(standalone(nodeId, plan, database)
                    .put("cluster", clusterSection())
                    .put("jwt", new JsonObject().put("secret", CLUSTER_JWT_SECRET))));
        }

        /** A member with extra overrides (e.g. a shared Redis URL), merged over the defaults for tests. */
        public Node start(String nodeId, String plan, PgUrl database, JsonObject extra) {
            return Node.start(config(standalone(nodeId, plan, database)
                    .put("cluster", clusterSection())
                    .put("jwt", new JsonObject().put("secret", CLUSTER_JWT_SECRET))
                    .mergeIn(extra, true)));
        }
    }

    /** Overrides for tests that drive rooms hard from one socket; the bridge's limits have tests of their own. */
    public static JsonObject generousBridgeLimits() {
        return new JsonObject()
                .put(
                        "bridge",
                        new JsonObject()
                                .put("socketRatePerSecond", 10_000)
                                .put("socketBurst", 10_000)
                                .put("userRatePerSecond", 10_000)
                                .put("userBurst", 10_000));
    }

    public static NodeConfig config(JsonObject overrides) {
        return NodeConfig.load(Map.of(), overrides);
    }

    /** A loopback port free now (not reserved): for child processes and restarts that must come back on it. */
    public static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A run of free consecutive ports (best effort: free now, not reserved). */
    static int freePortBlock(int size) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + (int) (Math.random() * 30000);
            if (IntStream.range(0, size + 3).allMatch(i -> isFree(base + i))) return base;
        }
        throw new IllegalStateException("no block of " + size + " free ports");
    }

    private static boolean isFree(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
