package io.vertable.it;

import io.vertable.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** The node's fat jar run as a child process, the way an operator runs it. */
final class NodeProcess implements AutoCloseable {

    private static final Pattern READY =
            Pattern.compile("node ready node=\\S+ url=(?:http://127\\.0\\.0\\.1:(\\d+)/|\\(no http\\))");
    static final String JAR = System.getProperty("vertable.jar", "target/vertable.jar");

    private final Process process;
    private final Path output;

    private NodeProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static NodeProcess start(Path workDir, Map<String, String> env) throws IOException {
        Path output = workDir.resolve("node-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                Path.of(JAR).toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(false)
                .redirectOutput(output.toFile())
                .redirectError(workDir.resolve(output.getFileName() + ".err").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("VTT_"));
        builder.environment().putAll(env);
        return new NodeProcess(builder.start(), output);
    }

    /** The environment that makes a child JVM a member of {@code cluster}; the caller adds its own settings. */
    static Map<String, String> clusterEnv(TestNodes.TestCluster cluster) {
        JsonObject section = cluster.clusterSection();
        List<String> members = new ArrayList<>();
        section.getJsonArray("members").forEach(m -> members.add((String) m));
        Map<String, String> env = new HashMap<>();
        env.put("VTT_CLUSTER", "true");
        env.put("VTT_CLUSTER_NAME", section.getString("name"));
        env.put("VTT_CLUSTER_PORT", section.getInteger("port").toString());
        env.put("VTT_CLUSTER_MEMBERS", String.join(",", members));
        return env;
    }

    /** Waits for the "node ready" line and returns the HTTP port it names. */
    int awaitReady(Duration timeout) {
        Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> READY.matcher(stdout()).find() || !process.isAlive());
        Matcher ready = READY.matcher(stdout());
        if (!ready.find()) throw new AssertionError("node did not get ready:\n" + stdout() + stderr());
        return ready.group(1) == null ? -1 : Integer.parseInt(ready.group(1));
    }

    /** Waits for the process to end and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node still running after " + timeout + ":\n" + stdout() + stderr());
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, as Kubernetes and systemd send it. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown path runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String stdout() {
        return read(output);
    }

    String stderr() {
        return read(output.resolveSibling(output.getFileName() + ".err"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
