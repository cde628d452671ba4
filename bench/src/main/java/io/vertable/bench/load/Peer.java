package io.vertable.bench.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A system under test running as a child process on loopback, pinned to the server core when {@code taskset} is
 * there. Its output goes to a log file in the run folder; when it does not start, {@link PeerFailure} names it and
 * quotes the log's tail. Also reads the process tree's CPU time and resident memory from {@code /proc}.
 */
public final class Peer implements AutoCloseable {

    /** A peer that did not start: its name, the reason, and the tail of its log. */
    public static final class PeerFailure extends RuntimeException {
        PeerFailure(String name, String reason, Path log) {
            super("peer " + name + " failed to start: " + reason + "\n--- tail of " + log + " ---\n" + tail(log, 25));
        }
    }

    private static final Pattern READY = Pattern.compile("READY (\\d+)");
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    public final String name;
    public final Process process;
    public final Path log;
    public int port;

    private Peer(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} (prefixed by the pinning), logging to {@code dir/<name>.log}. */
    public static Peer start(String name, List<String> command, Map<String, String> env, Path dir, String cpus)
            throws IOException {
        List<String> full = new ArrayList<>();
        if (cpus != null) full.addAll(List.of("taskset", "-c", cpus));
        full.addAll(command);
        Path log = dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".log");
        var builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            return new Peer(name, builder.start(), log);
        } catch (IOException e) {
            Files.writeString(log, "could not start " + full + ": " + e.getMessage());
            throw new PeerFailure(name, "could not run " + command.get(0) + ": " + e.getMessage(), log);
        }
    }

    /** Waits for a {@code READY <port>} line. */
    public Peer awaitReadyLine(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = READY.matcher(read(log));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                return this;
            }
            if (!process.isAlive()) throw new PeerFailure(name, "exited with code " + process.exitValue(), log);
            sleep(100);
        }
        throw new PeerFailure(name, "no READY line within " + timeout.toSeconds() + " s", log);
    }

    /** Waits for HTTP 200 from {@code url} (Vertable's {@code /health/ready}). */
    public Peer awaitHttpReady(String url, Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new PeerFailure(name, "exited with code " + process.exitValue(), log);
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) return this;
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new PeerFailure(name, "not ready within " + timeout.toSeconds() + " s (" + last + ")", log);
    }

    /** CPU time of the process and its descendants (embedded PostgreSQL and Redis for Vertable), ns. */
    public long cpuNanos() {
        long ticks = 0;
        for (long pid : tree()) ticks += statTicks(pid);
        return ticks * (1_000_000_000L / CLOCK_TICKS);
    }

    /** CPU time of the process tree by command name (java, postgres, redis-server…), ns. */
    public java.util.Map<String, Long> cpuNanosByCommand() {
        java.util.Map<String, Long> byCommand = new java.util.TreeMap<>();
        for (long pid : tree()) {
            String command;
            try {
                command = Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
            } catch (IOException | RuntimeException e) {
                continue;
            }
            byCommand.merge(command, statTicks(pid) * (1_000_000_000L / CLOCK_TICKS), Long::sum);
        }
        return byCommand;
    }

    /** Resident memory of the process tree, bytes. */
    public long rssBytes() {
        long kb = 0;
        for (long pid : tree()) kb += statusKb(pid, "VmRSS:");
        return kb * 1024;
    }

    /** Resident memory of the main process alone, bytes. */
    public long mainRssBytes() {
        return statusKb(process.pid(), "VmRSS:") * 1024;
    }

    private List<Long> tree() {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(child -> pids.add(child.pid()));
        return pids;
    }

    private static long statTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy(); // SIGTERM: Vertable stops its embedded servers on the way out
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(Path file, int lines) {
        String[] all = read(file).split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++)
            out.append(all[i]).append('\n');
        return out.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
