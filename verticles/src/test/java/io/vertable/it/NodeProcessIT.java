package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.testing.Http;
import io.vertable.testing.TestNodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged node as a separate JVM: bad configuration, signals, a hard kill, data across restarts. */
class NodeProcessIT {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path work;

    /** A node with its own embedded servers on free ports, in this test's folder. */
    private Map<String, String> ownStorage(int pgPort, int redisPort) {
        return Map.of(
                "VTT_HTTP_PORT", "0",
                "VTT_HTTP_HOST", "127.0.0.1",
                "VTT_BRIDGE_PORT", "0",
                "VTT_NODE_ID", "proc",
                "VTT_DEPLOY", "http:1,persistence:1",
                "VTT_PG_EMBEDDED_PORT", Integer.toString(pgPort),
                "VTT_REDIS_EMBEDDED_PORT", Integer.toString(redisPort),
                "VTT_DATA_DIR", work.resolve("data").toString());
    }

    private static void assertOneLineRefusal(NodeProcess node, int exitCode, String expected) throws Exception {
        assertThat(node.awaitExit(Duration.ofSeconds(60))).as(node.stderr()).isEqualTo(exitCode);
        String stderr = node.stderr().strip();
        assertThat(stderr).startsWith(expected);
        assertThat(stderr.lines().count()).as(stderr).isEqualTo(1);
        assertThat(node.stderr() + node.stdout()).doesNotContain("\tat ");
    }

    @Test
    void malformedConfigFileExitsTwoWithOneLine() throws Exception {
        Path config = work.resolve("broken.json");
        Files.writeString(config, "{ \"http\": { \"port\": 80 ");
        try (var node = NodeProcess.start(work, Map.of("VTT_CONFIG", config.toString()))) {
            assertOneLineRefusal(node, 2, "vertable: configuration error: " + config + ": not valid JSON");
        }
    }

    @Test
    void unknownVerticleAndNegativeCountExitTwo() throws Exception {
        try (var node = NodeProcess.start(work, Map.of("VTT_DEPLOY", "http:1,dicey:1"))) {
            assertOneLineRefusal(node, 2, "vertable: configuration error: VTT_DEPLOY: unknown verticle 'dicey'");
        }
        try (var node = NodeProcess.start(work, Map.of("VTT_DEPLOY", "map:-2"))) {
            assertOneLineRefusal(
                    node, 2, "vertable: configuration error: VTT_DEPLOY: map: instances must not be negative");
        }
    }

    @Test
    void unreachableDatabaseExitsOneNamingTheKey() throws Exception {
        try (var node = NodeProcess.start(
                work,
                Map.of("VTT_DEPLOY", "persistence:1", "VTT_PG_URL", "postgresql://postgres@127.0.0.1:1/vertable"))) {
            assertOneLineRefusal(
                    node,
                    1,
                    "vertable: cannot start: postgres.url postgresql://postgres@127.0.0.1:1/vertable: cannot connect");
        }
    }

    @Test
    void portInUseExitsOneAndStopsTheEmbeddedServersItStarted() throws Exception {
        int pgPort = TestNodes.freePort();
        try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            var env = new java.util.HashMap<>(ownStorage(pgPort, TestNodes.freePort()));
            env.put("VTT_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            try (var node = NodeProcess.start(work, env)) {
                assertOneLineRefusal(
                        node, 1, "vertable: cannot start: http.port " + taken.getLocalPort() + ": already in use");
            }
        }
        // Nothing half-started survives: the embedded PostgreSQL it had started is gone, its port free again.
        assertThat(isFree(pgPort)).isTrue();
        assertThat(postgresPid(work.resolve("data"))).isEmpty();
    }

    @Test
    void sigtermStopsGracefullyExitsZeroAndDataSurvivesAHardKillAndRestarts() throws Exception {
        int pgPort = TestNodes.freePort();
        Map<String, String> env = ownStorage(pgPort, TestNodes.freePort());
        String jdbc = "jdbc:postgresql://127.0.0.1:" + pgPort + "/vertable";

        // 1. Start, write a row, SIGTERM: exit 0 within seconds, embedded servers stopped.
        try (var node = NodeProcess.start(work, env)) {
            int port = node.awaitReady(START);
            assertThat(Http.getJson(port, "/health/ready").getString("status")).isEqualTo("UP");
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", null)) {
                // The shipped defaults: a commit the node acknowledges is on disk (asked of the running server).
                assertThat(setting(c, "fsync")).isEqualTo("on");
                assertThat(setting(c, "synchronous_commit")).isEqualTo("on");
                assertThat(setting(c, "full_page_writes")).isEqualTo("on");
                c.createStatement()
                        .execute("INSERT INTO users (id, display_name, guest) VALUES ('survivor', 'Still here', true)");
            }
            long stopAsked = System.nanoTime();
            node.terminate();
            assertThat(node.awaitExit(Duration.ofSeconds(20))).as(node.stdout()).isZero();
            System.out.printf("graceful stop took %d ms%n", (System.nanoTime() - stopAsked) / 1_000_000);
            assertThat(node.stdout()).contains("node stopped node=proc clean=true");
        }
        assertThat(isFree(pgPort)).isTrue();
        assertThat(postgresPid(work.resolve("data"))).isEmpty();

        // 2. Start again, then kill -9: the embedded servers are orphaned and still running.
        try (var node = NodeProcess.start(work, env)) {
            node.awaitReady(START);
            node.kill();
        }
        assertThat(isFree(pgPort))
                .as("orphaned PostgreSQL still holds its port")
                .isFalse();

        // 3. Start once more: the orphans are cleared, the node is ready and the row written in step 1 is there.
        try (var node = NodeProcess.start(work, env)) {
            int port = node.awaitReady(START);
            assertThat(node.stdout()).contains("stopping leftover embedded PostgreSQL");
            assertThat(Http.getJson(port, "/health/ready").getString("status")).isEqualTo("UP");
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", null);
                    ResultSet rs =
                            c.createStatement().executeQuery("SELECT display_name FROM users WHERE id = 'survivor'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Still here");
            }
            node.terminate();
            assertThat(node.awaitExit(Duration.ofSeconds(20))).isZero();
        }
    }

    private static String setting(Connection c, String name) throws java.sql.SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SHOW " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static Optional<Long> postgresPid(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return Optional.empty();
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    }

    private static boolean isFree(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
