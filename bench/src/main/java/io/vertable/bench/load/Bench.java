package io.vertable.bench.load;

import io.vertable.bench.load.Conn.Member;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The table benchmark: starts Vertable (A), a Socket.IO 4 server (B) and a bare Vert.x WebSocket broadcast
 * (C) on loopback, drives the same open-loop room traffic through each with one generator, checks every delivery, and
 * writes {@code report.md} and {@code latency.svg}. Run by {@code bench/run --short|--long}.
 */
public final class Bench {

    /** The systems under test, as the report names them. */
    enum Sys {
        A("A Vertable bridge (live drag)"),
        B("B Socket.IO 4.8"),
        C("C bare Vert.x WebSocket"),
        AD("A Vertable durable token.move"),
        A4("A Vertable, two clustered nodes (live drag)");

        final String label;

        Sys(String label) {
            this.label = label;
        }
    }

    /** One measured point. */
    record Point(
            Sys sys,
            String workload,
            int round,
            double offered,
            double achieved,
            Histogram latency,
            long expected,
            long delivered,
            long lost,
            long duplicates,
            long reordered,
            long stale,
            long unexpected,
            long malformed,
            long refusals,
            double serverCpuMsPer1k,
            double genCpu,
            long serverRssGrowth,
            Histogram ack,
            Histogram sameNode,
            Histogram crossNode) {

        boolean saturated() {
            return genCpu > 0.70;
        }

        double p(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }

        boolean sustained() {
            return lost == 0
                    && duplicates == 0
                    && reordered == 0
                    && unexpected == 0
                    && malformed == 0
                    && refusals == 0
                    && !saturated()
                    && p(99) <= 50
                    && achieved >= 0.95 * offered;
        }
    }

    /** A room's connections and which of them send. */
    record Group(List<Conn> members, List<Conn> senders) {}

    final Profile profile;
    final Path out;
    final Gen gen;
    final List<Point> points = new ArrayList<>();
    final Map<Sys, Peer> peers = new LinkedHashMap<>();
    final Map<Sys, long[]> idle = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    int phase;
    int nextIndex;
    VertableSetup setup;
    List<VertableSetup.Room> w1Rooms = List.of();
    Map<Integer, VertableSetup.Room> w2Rooms = new LinkedHashMap<>();
    List<VertableSetup.Room> durableRooms = List.of();
    long setupMillis;
    int httpPort;
    long seqGaps;
    Path dataDir;
    Peer w4Edge;
    final List<Path> w4DataDirs = new ArrayList<>();
    long openFailures;
    String lastOpenFailure;
    /** Phases to run ({@code --only w2,w1,w5,idle,durable,w4}); empty runs them all. */
    Set<String> only = Set.of();

    Bench(Profile profile, Path out) {
        this.profile = profile;
        this.out = out;
        this.gen = new Gen(profile.padBytes);
    }

    public static void main(String[] args) throws Exception {
        Profile profile = Profile.SHORT;
        Path out = null;
        Path repo = Path.of(".");
        boolean durableOnly = false;
        Set<String> only = Set.of();
        boolean w2Ladder = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> profile = Profile.SHORT;
                case "--long" -> profile = Profile.LONG;
                case "--smoke" -> profile = Profile.SMOKE;
                case "--out" -> out = Path.of(args[++i]);
                case "--repo" -> repo = Path.of(args[++i]);
                case "--durable-only" -> durableOnly = true;
                case "--only" -> only = phases(args[++i]);
                case "--w2-ladder" -> w2Ladder = true;
                default -> usage();
            }
        }
        if (out == null) out = repo.resolve("bench/results/" + System.currentTimeMillis());
        Files.createDirectories(out);
        Bench bench = new Bench(profile, out);
        bench.only = only;
        int code = 0;
        try {
            if (durableOnly) bench.runDurableOnly(repo.toAbsolutePath().normalize());
            else if (w2Ladder) bench.runW2Only(repo.toAbsolutePath().normalize());
            else bench.run(repo.toAbsolutePath().normalize());
        } catch (Peer.PeerFailure e) {
            System.err.println(e.getMessage());
            Files.writeString(out.resolve("report.md"), "# Benchmark failed\n\n```\n" + e.getMessage() + "\n```\n");
            code = 1;
        } catch (Throwable e) {
            e.printStackTrace();
            Files.writeString(out.resolve("report.md"), "# Benchmark failed\n\n```\n" + e + "\n```\n");
            code = 1;
        } finally {
            if (bench.setup != null) bench.setup.close();
            bench.peers.values().forEach(Peer::close);
            if (bench.w4Edge != null) bench.w4Edge.close();
            bench.gen.close();
            deleteTree(bench.dataDir);
            bench.w4DataDirs.forEach(Bench::deleteTree);
        }
        System.exit(code);
    }

    private static boolean usage() {
        System.err.println(
                "usage: Bench [--short|--long|--smoke] [--durable-only | --w2-ladder | --only w2,w1,w5,idle,durable,w4]"
                        + " [--out dir] [--repo dir]");
        System.exit(2);
        return false;
    }

    /**
     * Only the W2 ladder room (A, B and C, every round), for profiling the fan-out in a minute or two rather than the
     * whole run; writes a table of its points, not the full report.
     */
    void runW2Only(Path repo) throws Exception {
        Environment env = Environment.collect(repo, profile);
        log("profile " + profile.name() + " W2 only → " + out + "; " + env.pinningNote());
        startPeers(repo, env);
        setup = new VertableSetup(httpPort);
        w2Rooms.put(
                profile.ladderSize,
                setup.rooms("w2-" + profile.ladderSize, 1, profile.ladderSize).get(0));
        StringBuilder md = new StringBuilder("# W2 room of " + profile.ladderSize + " only\n\n")
                .append(env.pinningNote())
                .append("\n\n| system | round | offered/s | delivered/s | p50 ms | p99 ms | p99.9 ms | lost | reord |"
                        + " server CPU ms/1k | generator CPU | sustained | load average |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (int round = 1; round <= profile.rounds; round++) {
            for (Sys sys : systems()) {
                int before = points.size();
                w2Ladder(sys, round);
                String load = loadAverage();
                for (Point p : points.subList(before, points.size()))
                    md.append(String.format(
                            "| %s | %d | %.0f | %.0f | %.2f | %.2f | %.2f | %d | %d | %.1f | %.0f%% | %s | %s |%n",
                            p.sys(),
                            round,
                            p.offered(),
                            p.achieved(),
                            p.p(50),
                            p.p(99),
                            p.p(99.9),
                            p.lost(),
                            p.reordered(),
                            p.serverCpuMsPer1k(),
                            p.genCpu() * 100,
                            p.sustained() ? "yes" : "no",
                            load));
            }
        }
        Files.writeString(out.resolve("report.md"), md.toString());
        log("report: " + out.resolve("report.md") + "\n" + md);
    }

    /** The systems a W2-only run measures ({@code BENCH_SYSTEMS}, e.g. {@code A} or {@code A,B}; all three else). */
    private static List<Sys> systems() {
        String names = System.getenv("BENCH_SYSTEMS");
        return names == null
                ? List.of(Sys.A, Sys.B, Sys.C)
                : Arrays.stream(names.split(","))
                        .map(String::trim)
                        .map(Sys::valueOf)
                        .toList();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    void run(Path repo) throws Exception {
        long started = System.currentTimeMillis();
        Environment env = Environment.collect(repo, profile);
        log("profile " + profile.name() + " → " + out + "; " + env.pinningNote());
        startPeers(repo, env);
        long setupStart = System.currentTimeMillis();
        setupVertable();
        setupMillis = System.currentTimeMillis() - setupStart;
        for (int round = 1; round <= profile.rounds && runs("w2"); round++) {
            for (Sys sys : List.of(Sys.A, Sys.B, Sys.C)) w2(sys, round);
        }
        if (only.equals(Set.of("idle"))) warmUpIdle();
        for (Sys sys : List.of(Sys.A, Sys.B, Sys.C)) {
            if (runs("w1") && systems().contains(sys)) w1(sys);
            if (runs("w5")) w5(sys);
            if (runs("idle")) w3(sys);
        }
        if (runs("durable")) durable();
        if (runs("w4")) w4(repo, env);
        log(joinSummary());
        if (!only.isEmpty()) notes.add("only these phases ran: " + String.join(", ", only));
        notes.add("not measured here: chat and dice in W1; GC pauses");
        notes.add("connections that failed to open (counted; their expected deliveries count as lost): " + openFailures
                + (lastOpenFailure == null ? "" : "; last: `" + lastOpenFailure.replace('|', '/') + "`"));
        env.seconds = (System.currentTimeMillis() - started) / 1000;
        new Report(this, env).write();
        log("report: " + out.resolve("report.md"));
    }

    /**
     * W3 alone would measure a JVM that has compiled nothing yet (its CPU per connection was mostly the JIT's): one pass
     * of A's first, its figures and joins dropped.
     */
    void warmUpIdle() {
        w3(Sys.A);
        idle.clear();
        gen.warmJoinUs.reset();
        gen.coldJoinUs.reset();
        gen.burstJoinUs.reset();
        log("(that W3 pass was a warm-up)");
    }

    private static final Set<String> PHASES = Set.of("w2", "w1", "w5", "idle", "durable", "w4");

    /** The phases named by {@code --only}, checked against the known ones. */
    static Set<String> phases(String list) {
        Set<String> named = new java.util.LinkedHashSet<>(List.of(list.split(",")));
        if (!PHASES.containsAll(named)) throw new IllegalArgumentException("--only takes some of " + PHASES);
        return named;
    }

    boolean runs(String phase) {
        return only.isEmpty() || only.contains(phase);
    }

    /** A's join latencies so far, for the log (a partial run's report has the same table). */
    String joinSummary() {
        var warm = gen.warmJoinUs;
        var cold = gen.coldJoinUs;
        return String.format(
                "joins: loaded rooms %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms; first joins %d, p99 %.1f ms",
                warm.getTotalCount(),
                warm.getValueAtPercentile(50) / 1000.0,
                warm.getValueAtPercentile(99) / 1000.0,
                warm.getMaxValue() / 1000.0,
                cold.getTotalCount(),
                cold.getValueAtPercentile(99) / 1000.0);
    }

    /**
     * Only Vertable's durable path (the profile's durable rooms and rates), for comparing PostgreSQL settings: with
     * {@code VTT_PG_EMBEDDED_LOSES_DATA_ON_CRASH=true} in the environment, the node under test runs without fsync.
     */
    void runDurableOnly(Path repo) throws Exception {
        Environment env = Environment.collect(repo, profile);
        String durability = "true".equalsIgnoreCase(System.getenv("VTT_PG_EMBEDDED_LOSES_DATA_ON_CRASH"))
                ? "fsync and synchronous commit OFF (VTT_PG_EMBEDDED_LOSES_DATA_ON_CRASH=true)"
                : "fsync and synchronous commit on (durable, the default)";
        log("profile " + profile.name() + " durable only, " + durability + " → " + out + "; " + env.pinningNote());
        startVertable(repo, env);
        setup = new VertableSetup(httpPort);
        durableRooms = setup.rooms("durable", profile.durableRooms, 6);
        durable();
        StringBuilder md = new StringBuilder("# Durable path only\n\n")
                .append("Embedded PostgreSQL: ")
                .append(durability)
                .append(". ")
                .append(env.pinningNote())
                .append(
                        "\n\n| step | ack p50 ms | ack p99 ms | ack p99.9 ms | delivery p50 ms | delivery p99 ms | acks |"
                                + " lost | seq gaps |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Point p : points)
            md.append(String.format(
                    "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d | %d |%n",
                    p.workload(),
                    p.ack().getValueAtPercentile(50) / 1000.0,
                    p.ack().getValueAtPercentile(99) / 1000.0,
                    p.ack().getValueAtPercentile(99.9) / 1000.0,
                    p.p(50),
                    p.p(99),
                    p.ack().getTotalCount(),
                    p.lost(),
                    seqGaps));
        Files.writeString(out.resolve("report.md"), md.toString());
        log("report: " + out.resolve("report.md") + "\n" + md);
    }

    // ---- peers ----

    void startPeers(Path repo, Environment env) throws IOException {
        startVertable(repo, env);
        String cpus = env.serverCpus;
        Path benchJar = repo.resolve("bench/target/vertable-bench.jar");
        Path peersDir = repo.resolve("bench/peers");
        for (Path needed : List.of(benchJar, peersDir.resolve("node_modules/socket.io"))) {
            if (!Files.exists(needed)) {
                Path missingLog = out.resolve("missing.log");
                Files.writeString(missingLog, needed + " is missing; run bench/run (it builds and installs)\n");
                throw new Peer.PeerFailure(needed.getFileName().toString(), "missing " + needed, missingLog);
            }
        }
        Peer b = Peer.start(
                "B socket.io",
                List.of("node", peersDir.resolve("socketio-server.js").toString(), "0"),
                Map.of(),
                out,
                cpus);
        peers.put(Sys.B, b);
        b.awaitReadyLine(Duration.ofSeconds(30));
        log("B ready: port " + b.port);
        List<String> javaC = new ArrayList<>(List.of("java", "-XX:ActiveProcessorCount=1", "-Xms512m", "-Xmx1g"));
        javaC.addAll(profile.extraServerFlags);
        javaC.addAll(List.of("-cp", benchJar.toString(), RawBroadcastServer.class.getName(), "0"));
        Peer c = Peer.start("C vertx-ws", javaC, Map.of(), out, cpus);
        peers.put(Sys.C, c);
        c.awaitReadyLine(Duration.ofSeconds(30));
        log("C ready: port " + c.port);
    }

    /** A: Vertable from the built jar, its own data folder and generous bridge limits. */
    void startVertable(Path repo, Environment env) throws IOException {
        String cpus = env.serverCpus;
        Path jar = repo.resolve("verticles/target/vertable.jar");
        if (!Files.exists(jar)) {
            Path missingLog = out.resolve("missing.log");
            Files.writeString(missingLog, jar + " is missing; run bench/run (it builds and installs)\n");
            throw new Peer.PeerFailure(jar.getFileName().toString(), "missing " + jar, missingLog);
        }
        Path data = Files.createTempDirectory("vertable-bench-");
        dataDir = data;
        int http = Peer.freePort();
        int bridge = Peer.freePort();
        Path config = out.resolve("vertable-bench-config.json");
        Files.writeString(config, vertableConfig().encodePrettily());
        Map<String, String> envA = Map.of(
                "VTT_HTTP_PORT", String.valueOf(http),
                "VTT_BRIDGE_PORT", String.valueOf(bridge),
                "VTT_DATA_DIR", data.toString(),
                "VTT_CONFIG", config.toString(),
                "VTT_DEPLOY", "http:1,bridge:1,dice:1,map:1,chat:1,persistence:1");
        List<String> javaA = new ArrayList<>(List.of("java", "-XX:ActiveProcessorCount=1", "-Xms512m", "-Xmx1g"));
        javaA.addAll(profile.extraServerFlags);
        if ("1".equals(System.getenv("BENCH_JFR"))) {
            javaA.add("-XX:StartFlightRecording=filename="
                    + out.toAbsolutePath().resolve("vertable.jfr") + ",settings="
                    + Objects.requireNonNullElse(System.getenv("BENCH_JFR_SETTINGS"), "profile"));
            notes.add("A ran with JFR (BENCH_JFR=1, settings=profile): a few % of A's CPU went to profiling");
        }
        javaA.addAll(List.of("-jar", jar.toString()));
        Peer a = Peer.start("A vertable", javaA, envA, out, cpus);
        peers.put(Sys.A, a);
        a.awaitHttpReady("http://127.0.0.1:" + http + "/health/ready", Duration.ofSeconds(120));
        a.port = bridge;
        httpPort = http;
        log("A ready: http " + http + ", bridge " + bridge);
    }

    /** A node config for load: limits far above what a benchmark sends, long tokens, embedded stores on free ports. */
    static JsonObject vertableConfig() {
        return new JsonObject()
                .put(
                        "bridge",
                        new JsonObject()
                                .put("socketRatePerSecond", 10_000)
                                .put("socketBurst", 10_000)
                                .put("userRatePerSecond", 10_000)
                                .put("userBurst", 10_000))
                .put(
                        "rateLimits",
                        new JsonObject()
                                .put("loginPerMinute", 100_000)
                                .put("registerPerHour", 100_000)
                                .put("restWritesPerMinute", 100_000))
                .put("auth", new JsonObject().put("tokenTtlMinutes", 24 * 60))
                .put("postgres", new JsonObject().put("embeddedPort", 0))
                .put("redis", new JsonObject().put("embeddedPort", 0));
    }

    void setupVertable() {
        setup = new VertableSetup(httpPort);
        for (int size : runs("w2") || runs("w5") ? profile.w2Sizes : List.<Integer>of()) {
            w2Rooms.put(size, setup.rooms("w2-" + size, 1, size).get(0));
            log("A: room of " + size + " made");
        }
        // W3 spreads its idle sockets over the first rooms of six; a run of W3 alone makes only those.
        int w1Max = runs("w1")
                ? w1Steps().stream().mapToInt(Integer::intValue).max().orElse(0)
                : runs("idle") ? profile.idleConnections / 6 : 0;
        w1Rooms = setup.rooms("w1", w1Max, 6);
        log("A: " + w1Max + " rooms of 6 made");
        if (runs("durable")) durableRooms = setup.rooms("durable", profile.durableRooms, 6);
    }

    // ---- connections ----

    Conn conn(Sys sys, String room, VertableSetup.Player player) {
        int index = nextIndex++;
        return switch (sys) {
            case A, AD, A4 -> {
                gen.userIndex.put(player.userId(), index);
                yield new Conn.Bridge(
                        gen, new Member(index, room, player.token(), player.userId()), peers.get(Sys.A).port);
            }
            case B -> new Conn.SocketIo(gen, new Member(index, room, null, null), peers.get(Sys.B).port);
            case C -> new Conn.Plain(gen, new Member(index, room, null, null), peers.get(Sys.C).port);
        };
    }

    /** A room for {@code sys}: Vertable's made over REST, or a name for B and C; {@code size} connections. */
    List<Conn> roomConns(Sys sys, VertableSetup.Room room, String name, int size) {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            conns.add(
                    sys == Sys.A || sys == Sys.AD
                            ? conn(
                                    sys,
                                    room.id(),
                                    room.players().get(i % room.players().size()))
                            : conn(sys, name, null));
        }
        return conns;
    }

    /** Opens connections in waves (each room's first member first, so a room's first join is measured cold). */
    void open(List<Group> groups) {
        List<Conn> first = new ArrayList<>();
        List<Conn> rest = new ArrayList<>();
        for (Group group : groups) {
            first.add(group.members().get(0));
            rest.addAll(group.members().subList(1, group.members().size()));
        }
        openAll(first);
        openAll(rest);
        sleep(profile.settleMs);
    }

    private void openAll(List<Conn> conns) {
        for (int from = 0; from < conns.size(); from += 200) {
            List<Conn> batch = conns.subList(from, Math.min(conns.size(), from + 200));
            List<Future<Void>> opened = new ArrayList<>();
            gen.onLoop(() -> {
                        batch.forEach(c -> opened.add(c.open()));
                        return null;
                    })
                    .await();
            Future.join(opened).otherwiseEmpty().await();
            for (Future<Void> f : opened) {
                if (f.failed()) {
                    openFailures++;
                    lastOpenFailure = String.valueOf(f.cause().getMessage());
                }
            }
        }
    }

    void closeAll(List<Group> groups) {
        List<Future<Void>> closing = new ArrayList<>();
        gen.onLoop(() -> {
                    groups.forEach(g -> g.members().forEach(c -> closing.add(c.close())));
                    return null;
                })
                .await();
        Future.join(closing).await();
        sleep(300);
    }

    // ---- workloads ----

    /** W2: one room, ten senders, offered deliveries/s stepped up until a step is not sustained. */
    void w2(Sys sys, int round) {
        w2(sys, round, round == 1 ? profile.w2Sizes : List.of(profile.ladderSize));
    }

    /** W2's ladder room only. */
    void w2Ladder(Sys sys, int round) {
        w2(sys, round, List.of(profile.ladderSize));
    }

    /**
     * W2-only runs for profiling may warm longer ({@code BENCH_WARMUP_S}: the JIT of a JVM server compiles for tens of
     * seconds, and a short warm-up bills it to the first steps) and climb the whole ladder past an unsustained step
     * ({@code BENCH_FULL_LADDER=1}: CPU per delivery at every rate even on a busy host).
     */
    private long warmupMs() {
        return msFromSeconds("BENCH_WARMUP_S", profile.warmupMs);
    }

    /** The W2 ladder's rates ({@code BENCH_LADDER}, comma-separated deliveries/s; the profile's otherwise). */
    private List<Integer> ladder() {
        return numbers("BENCH_LADDER", profile.ladder);
    }

    /** A W2-only run's step length ({@code BENCH_STEP_S}; the profile's otherwise). */
    private long stepMs() {
        return msFromSeconds("BENCH_STEP_S", profile.stepMs);
    }

    /** The environment variable's whole seconds as milliseconds, or {@code fallback} when it is not set. */
    private static long msFromSeconds(String variable, long fallback) {
        String seconds = System.getenv(variable);
        return seconds == null ? fallback : Long.parseLong(seconds) * 1000;
    }

    /** The environment variable's comma-separated numbers, or {@code fallback} when it is not set. */
    private static List<Integer> numbers(String variable, List<Integer> fallback) {
        String listed = System.getenv(variable);
        return listed == null
                ? fallback
                : Arrays.stream(listed.split(","))
                        .map(String::trim)
                        .map(Integer::valueOf)
                        .toList();
    }

    private static boolean fullLadder() {
        return "1".equals(System.getenv("BENCH_FULL_LADDER"));
    }

    private void w2(Sys sys, int round, List<Integer> sizes) {
        for (int size : sizes) {
            List<Conn> conns = roomConns(sys, w2Rooms.get(size), "w2-" + size + "-" + round, size);
            List<Conn> senders = conns.subList(0, Math.min(10, size));
            Group group = new Group(conns, senders);
            open(List.of(group));
            String workload = "W2 room of " + size;
            if (round == 1 && size == profile.ladderSize) {
                log(sys + " warm-up " + warmupMs() / 1000 + " s");
                measure(sys, "warm-up", 0, List.of(group), ladder().get(0) / (double) size, warmupMs(), null);
                points.remove(points.size() - 1);
            }
            List<Integer> ladder = size == profile.ladderSize ? ladder() : profile.fixedLoads;
            for (int deliveries : ladder) {
                Point point = measure(sys, workload, round, List.of(group), (double) deliveries / size, stepMs(), null);
                if (!point.sustained() && size == profile.ladderSize && !(fullLadder() && point.lost() == 0)) break;
            }
            closeAll(List.of(group));
        }
    }

    /**
     * W1's numbers of rooms ({@code BENCH_W1_ROOMS}, comma-separated, for profiling one size; the profile's otherwise).
     */
    private List<Integer> w1Steps() {
        return numbers("BENCH_W1_ROOMS", profile.w1Rooms);
    }

    /**
     * W1: rooms of 6, every player moving at the profile's rate. With {@code BENCH_WARMUP_S} each step is first run
     * that long unmeasured (a W1-only run otherwise measures a cold JIT in its first step).
     */
    void w1(Sys sys) {
        for (int rooms : w1Steps()) {
            List<Group> groups = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                List<Conn> conns = roomConns(sys, w1Rooms.isEmpty() ? null : w1Rooms.get(r), "w1-" + r, 6);
                groups.add(new Group(conns, conns));
            }
            open(groups);
            double moves = rooms * 6 * profile.w1MovesPerUser;
            if (System.getenv("BENCH_WARMUP_S") != null) {
                measure(sys, "warm-up", 0, groups, moves, warmupMs(), null);
                points.remove(points.size() - 1);
            }
            measure(sys, "W1 " + rooms + " rooms of 6", 1, groups, moves, profile.stepMs, null);
            closeAll(groups);
        }
    }

    /** W5: a room of 100 where 1% stop reading; the others' latency and the server's memory. */
    void w5(Sys sys) {
        int size = 100;
        List<Conn> conns = roomConns(sys, w2Rooms.get(size), "w5-" + sys, size);
        Group group = new Group(conns, conns.subList(0, 10));
        open(List.of(group));
        Conn slow = conns.get(size - 1);
        gen.onLoop(() -> {
                    slow.pause();
                    return null;
                })
                .await();
        measure(
                sys,
                "W5 room of 100, 1 stops reading",
                1,
                List.of(group),
                profile.w5Deliveries / size,
                profile.w5Ms,
                slow);
        closeAll(List.of(group));
    }

    /** W3: idle connections in rooms of 6; resident memory (and JVM heap after GC) per connection. */
    void w3(Sys sys) {
        Peer peer = peers.get(sys);
        gc(peer);
        long rss0 = peer.mainRssBytes();
        long heap0 = heapUsed(peer);
        histogram(peer, sys + "-before");
        List<Group> groups = new ArrayList<>();
        int rooms = profile.idleConnections / 6;
        for (int r = 0; r < rooms; r++) {
            VertableSetup.Room room = w1Rooms.isEmpty() ? null : w1Rooms.get(r % w1Rooms.size());
            groups.add(new Group(roomConns(sys, room, "w3-" + r, 6), List.of()));
        }
        long t0 = System.nanoTime();
        long cpu0 = peer.cpuNanos();
        Map<String, Long> byCommand0 = peer.cpuNanosByCommand();
        open(groups);
        long openMs = (System.nanoTime() - t0) / 1_000_000;
        // Server CPU per connection (handshake, register, join, presence; the settle time is idle): unlike the join
        // latencies, it does not depend on what else the host runs.
        double cpuPerOpenMs = (peer.cpuNanos() - cpu0) / 1e6 / (rooms * 6);
        StringBuilder split = new StringBuilder();
        peer.cpuNanosByCommand()
                .forEach((command, nanos) -> split.append(String.format(
                        " %s %.3f", command, (nanos - byCommand0.getOrDefault(command, 0L)) / 1e6 / (rooms * 6))));
        sleep(2_000);
        gc(peer);
        long rss1 = peer.mainRssBytes();
        long heap1 = heapUsed(peer);
        histogram(peer, sys + "-idle");
        int n = rooms * 6;
        idle.put(sys, new long[] {n, (rss1 - rss0) / n, heap0 < 0 ? -1 : (heap1 - heap0) / n, openMs, gen.closed});
        if (sys == Sys.A) joinBursts(groups);
        log(sys + " W3: " + n + " idle, RSS/conn " + (rss1 - rss0) / n + " B, heap/conn "
                + (heap0 < 0 ? "n/a" : (heap1 - heap0) / n + " B")
                + String.format(
                        ", server CPU per connection opened %.3f ms (by process:%s; open took %d ms)",
                        cpuPerOpenMs, split, openMs));
        closeAll(groups);
    }

    /**
     * Joins of loaded rooms sent 200 at once on open sockets: what a burst of joins costs without the handshakes that
     * the joins sent while connecting queue behind (a burst of 200 handshakes alone takes most of 100 ms of a core).
     */
    void joinBursts(List<Group> groups) {
        List<Conn.Bridge> sockets = new ArrayList<>();
        groups.forEach(g -> g.members().forEach(c -> sockets.add((Conn.Bridge) c)));
        int bursts = Math.min(5, sockets.size() / 200);
        for (int b = 0; b < bursts; b++) {
            List<Conn.Bridge> burst = sockets.subList(b * 200, b * 200 + 200);
            List<Future<Void>> joined = new ArrayList<>();
            gen.onLoop(() -> {
                        for (Conn.Bridge socket : burst) {
                            long t0 = System.nanoTime();
                            joined.add(socket.request(
                                            "vtt.in.room",
                                            new JsonObject()
                                                    .put("room", socket.member.room())
                                                    .put("op", "join"))
                                    .map(view -> {
                                        long micros = (System.nanoTime() - t0) / 1000;
                                        gen.burstJoinUs.recordValue(
                                                Math.min(micros, gen.burstJoinUs.getHighestTrackableValue()));
                                        return null;
                                    }));
                        }
                        return null;
                    })
                    .await();
            Future.join(joined).otherwiseEmpty().await();
            sleep(200);
        }
        var h = gen.burstJoinUs;
        log(String.format(
                "A joins 200 at once on open sockets: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0));
    }

    /** Vertable's own cost: durable token moves, acknowledged once in PostgreSQL, then delivered to the room. */
    void durable() {
        List<Group> groups = new ArrayList<>();
        for (VertableSetup.Room room : durableRooms) {
            Conn.Bridge gm = new Conn.Bridge(
                    gen, new Member(nextIndex++, room.id(), setup.gmToken, setup.gmId), peers.get(Sys.A).port);
            gm.open().await();
            gen.onLoop(() -> gm.request(
                            "vtt.in.map",
                            new JsonObject()
                                    .put("room", room.id())
                                    .put("op", "scene.create")
                                    .put("name", "bench")))
                    .compose(f -> f)
                    .await();
            String sceneId = gen.onLoop(() -> gm.request(
                            "vtt.in.room",
                            new JsonObject().put("room", room.id()).put("op", "join")))
                    .compose(f -> f)
                    .await()
                    .getJsonObject("view")
                    .getString("activeScene");
            for (VertableSetup.Player player : room.players()) {
                gen.onLoop(() -> gm.request(
                                "vtt.in.map",
                                new JsonObject()
                                        .put("room", room.id())
                                        .put("op", "token.create")
                                        .put("sceneId", sceneId)
                                        .put("name", "T")
                                        .put("x", 0)
                                        .put("y", 0)
                                        .put("owners", new JsonArray().add(player.userId()))))
                        .compose(f -> f)
                        .await();
            }
            gm.close().await();
            List<Conn> conns = roomConns(Sys.AD, room, null, 6);
            groups.add(new Group(conns, conns));
        }
        open(groups);
        // Each player finds its token in the room view, through a fresh join (a warm room load).
        for (Group group : groups) {
            for (Conn conn : group.members()) {
                Conn.Bridge player = (Conn.Bridge) conn;
                long t0 = System.nanoTime();
                JsonObject view = gen.onLoop(() -> player.request(
                                "vtt.in.room",
                                new JsonObject()
                                        .put("room", player.member.room())
                                        .put("op", "join")))
                        .compose(f -> f)
                        .await();
                gen.joinMicros(t0, false);
                player.lastRoomSeq = view.getLong("seq", -1L);
                JsonObject tokens = view.getJsonObject("view").getJsonObject("tokens");
                for (String id : tokens.fieldNames()) {
                    JsonArray owners = tokens.getJsonObject(id).getJsonArray("owners", new JsonArray());
                    if (owners.contains(player.member.userId())) player.tokenId = id;
                }
                player.durable = true;
                gen.tokenIndex.put(player.tokenId, player.member.index());
            }
        }
        for (double perUser : profile.durableMovesPerUser) {
            double moves = groups.size() * 6 * perUser;
            measure(
                    Sys.AD,
                    "durable " + groups.size() + " rooms of 6, " + perUser + " moves/s each",
                    1,
                    groups,
                    moves,
                    profile.stepMs,
                    null);
        }
        closeAll(groups);
    }

    /**
     * W4: a room of 10 across two clustered Vertable nodes (five members on each bridge); the five senders are on the
     * first node, which owns the room. The latency of deliveries to members on the second node against those on the
     * first is what the cluster hop adds: one event-bus TCP hop plus encoding. Both nodes share the server core.
     */
    void w4(Path repo, Environment env) throws IOException {
        peers.get(Sys.A).close();
        String clusterName = "bench-w4-" + ProcessHandle.current().pid();
        int hz1 = Peer.freePort();
        int hz2 = Peer.freePort();
        int redisPort = Peer.freePort();
        String members = "127.0.0.1:" + hz1 + ",127.0.0.1:" + hz2;
        Path jar = repo.resolve("verticles/target/vertable.jar");
        Path config = out.resolve("vertable-w4-config.json");
        JsonObject w4Config = vertableConfig();
        w4Config.getJsonObject("redis").put("embeddedPort", redisPort);
        Files.writeString(config, w4Config.encodePrettily());
        Map<String, String> cluster = Map.of(
                "VTT_CLUSTER",
                "true",
                "VTT_CLUSTER_HOST",
                "127.0.0.1",
                "VTT_CLUSTER_NAME",
                clusterName,
                "VTT_CLUSTER_MEMBERS",
                members,
                "VTT_CONFIG",
                config.toString(),
                // A cluster's nodes share one signing key; a fresh one per run.
                "VTT_JWT_SECRET",
                java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID());
        ClusterNode owner = clusteredNode(
                "A4 vertable node 1",
                jar,
                env,
                cluster,
                hz1,
                "http:1,bridge:1,dice:1,map:1,chat:1,persistence:1",
                Map.of());
        peers.put(Sys.A4, owner.peer());
        ClusterNode edge = clusteredNode(
                "A4 vertable node 2",
                jar,
                env,
                cluster,
                hz2,
                "http:1,bridge:1",
                Map.of("VTT_REDIS_URL", "redis://127.0.0.1:" + redisPort));
        w4Edge = edge.peer();
        int bridge1 = owner.bridge();
        int bridge2 = edge.bridge();
        log("A4 ready: node 1 http " + owner.http() + " bridge " + bridge1 + ", node 2 http " + edge.http() + " bridge "
                + bridge2);
        VertableSetup.Room room;
        try (VertableSetup w4Setup = new VertableSetup(owner.http())) {
            room = w4Setup.rooms("w4", 1, 10).get(0);
        }
        List<Conn> conns = new ArrayList<>();
        List<Integer> remote = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            VertableSetup.Player player = room.players().get(i);
            int index = nextIndex++;
            gen.userIndex.put(player.userId(), index);
            conns.add(new Conn.Bridge(
                    gen, new Member(index, room.id(), player.token(), player.userId()), i < 5 ? bridge1 : bridge2));
            if (i >= 5) remote.add(index);
        }
        Group group = new Group(conns, conns.subList(0, 5));
        open(List.of(group));
        log("A4 warm-up " + profile.warmupMs / 1000 + " s (two fresh JVMs)");
        measure(Sys.A4, "warm-up", 0, List.of(group), profile.w4Loads().get(0) / 10.0, profile.warmupMs, null, remote);
        points.remove(points.size() - 1);
        for (int deliveries : profile.w4Loads()) {
            measure(
                    Sys.A4,
                    "W4 room of 10 on 2 nodes",
                    1,
                    List.of(group),
                    deliveries / 10.0,
                    profile.stepMs,
                    null,
                    remote);
        }
        closeAll(List.of(group));
    }

    /** A clustered Vertable node of W4 and its ports. */
    record ClusterNode(Peer peer, int http, int bridge) {}

    /** Starts one clustered node with its own data folder and waits until it is ready. */
    private ClusterNode clusteredNode(
            String name,
            Path jar,
            Environment env,
            Map<String, String> cluster,
            int hazelcastPort,
            String plan,
            Map<String, String> extra)
            throws IOException {
        Path data = Files.createTempDirectory("vertable-bench-w4-");
        w4DataDirs.add(data);
        int http = Peer.freePort();
        int bridge = Peer.freePort();
        Map<String, String> environment = new java.util.HashMap<>(cluster);
        environment.putAll(extra);
        environment.put("VTT_DATA_DIR", data.toString());
        environment.put("VTT_HTTP_PORT", String.valueOf(http));
        environment.put("VTT_BRIDGE_PORT", String.valueOf(bridge));
        environment.put("VTT_CLUSTER_PORT", String.valueOf(hazelcastPort));
        environment.put("VTT_DEPLOY", plan);
        List<String> java = new ArrayList<>(List.of("java", "-XX:ActiveProcessorCount=1", "-Xms512m", "-Xmx1g"));
        java.addAll(profile.extraServerFlags);
        java.addAll(List.of("-jar", jar.toString()));
        Peer peer = Peer.start(name, java, environment, out, env.serverCpus);
        try {
            peer.awaitHttpReady("http://127.0.0.1:" + http + "/health/ready", Duration.ofSeconds(120));
        } catch (RuntimeException notReady) {
            peer.close();
            throw notReady;
        }
        return new ClusterNode(peer, http, bridge);
    }

    // ---- one measured phase ----

    Point measure(Sys sys, String workload, int round, List<Group> groups, double movesPerSecond, long ms, Conn slow) {
        return measure(sys, workload, round, groups, movesPerSecond, ms, slow, List.of());
    }

    /** One phase; deliveries to {@code crossNode} receivers are also counted apart (W4). */
    Point measure(
            Sys sys,
            String workload,
            int round,
            List<Group> groups,
            double movesPerSecond,
            long ms,
            Conn slow,
            List<Integer> crossNode) {
        Peer peer = peers.get(sys == Sys.AD ? Sys.A : sys);
        Ledger ledger = gen.begin(++phase).await();
        gen.onLoop(() -> {
                    crossNode.forEach(ledger::crossNode);
                    for (Group g : groups) {
                        for (Conn receiver : g.members()) {
                            if (receiver == slow) continue;
                            for (Conn sender : g.senders())
                                ledger.expect(receiver.member.index(), sender.member.index());
                        }
                    }
                    return null;
                })
                .await();
        long rss0 = peer.rssBytes();
        long serverCpu0 = peer.cpuNanos();
        long genCpu0 = Gen.cpuNanos();
        long t0 = System.nanoTime();
        List<Conn> senders = new ArrayList<>();
        // Interleave rooms' senders so every room's load is spread evenly over the second.
        int maxSenders = groups.stream().mapToInt(g -> g.senders().size()).max().orElse(0);
        for (int i = 0; i < maxSenders; i++) {
            for (Group g : groups)
                if (i < g.senders().size()) senders.add(g.senders().get(i));
        }
        gen.drive(senders, movesPerSecond, ms).await();
        long expected = gen.onLoop(ledger::expected).await();
        long drainDeadline = System.nanoTime() + profile.drainMs * 1_000_000L;
        while (System.nanoTime() < drainDeadline
                && gen.onLoop(() -> ledger.delivered).await() < expected) sleep(20);
        long wallNs = System.nanoTime() - t0;
        long serverCpu = peer.cpuNanos() - serverCpu0;
        long genCpu = Gen.cpuNanos() - genCpu0;
        long rss1 = peer.rssBytes();
        Point point = gen.onLoop(() -> {
                    double sendSeconds = ms / 1000.0;
                    int receiversPerMove = groups.get(0).members().size() - (slow == null ? 0 : 1);
                    return new Point(
                            sys,
                            workload,
                            round,
                            movesPerSecond * receiversPerMove,
                            ledger.delivered / sendSeconds,
                            ledger.latencyUs.copy(),
                            ledger.expected(),
                            ledger.delivered,
                            ledger.lost(),
                            ledger.duplicates,
                            ledger.reordered,
                            ledger.stale,
                            ledger.unexpected,
                            ledger.malformed,
                            gen.refusals,
                            ledger.delivered == 0 ? Double.NaN : serverCpu / 1e6 / (ledger.delivered / 1000.0),
                            (double) genCpu / wallNs,
                            rss1 - rss0,
                            sys == Sys.AD ? gen.ackUs.copy() : null,
                            crossNode.isEmpty() ? null : ledger.sameNodeUs.copy(),
                            crossNode.isEmpty() ? null : ledger.crossNodeUs.copy());
                })
                .await();
        points.add(point);
        seqGaps += gen.onLoop(() -> gen.seqGaps).await();
        log(String.format(
                "%s %s: offered %.0f/s achieved %.0f/s p50 %.2f p99 %.2f p99.9 %.2f ms lost %d dup %d reord %d stale %d"
                        + " unexp %d malformed %d refused %d cpu %.1f ms/1k gen %.0f%%%s%s",
                sys,
                workload,
                point.offered(),
                point.achieved(),
                point.p(50),
                point.p(99),
                point.p(99.9),
                point.lost(),
                point.duplicates(),
                point.reordered(),
                point.stale(),
                point.unexpected(),
                point.malformed(),
                point.refusals(),
                point.serverCpuMsPer1k(),
                point.genCpu() * 100,
                point.saturated() ? " GENERATOR SATURATED" : "",
                gen.refusals > 0 ? " last refusal: " + gen.lastRefusal : ""));
        sleep(profile.pauseMs);
        return point;
    }

    // ---- helpers ----

    /** Removes Vertable's temporary data folder (embedded PostgreSQL and Redis) once its node has stopped. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log("could not remove " + dir + ": " + e.getMessage());
        }
    }

    static void gc(Peer peer) {
        if (peer.name.startsWith("B")) return;
        Environment.exec(List.of("jcmd", String.valueOf(peer.process.pid()), "GC.run"));
    }

    /**
     * With {@code BENCH_HISTO=1}, a JVM peer's live-object histogram into {@code heap-<name>.txt}: compare the idle
     * phase's two to see what each socket holds.
     */
    void histogram(Peer peer, String name) {
        if (peer.name.startsWith("B") || !"1".equals(System.getenv("BENCH_HISTO"))) return;
        String histo = Environment.exec(List.of("jcmd", String.valueOf(peer.process.pid()), "GC.class_histogram"));
        try {
            Files.writeString(out.resolve("heap-" + name + ".txt"), histo);
        } catch (IOException e) {
            log("histogram not written: " + e);
        }
    }

    /** Heap used of a JVM peer after its last GC (bytes), or -1 for Node. */
    static long heapUsed(Peer peer) {
        if (peer.name.startsWith("B")) return -1;
        String info = Environment.exec(List.of("jcmd", String.valueOf(peer.process.pid()), "GC.heap_info"));
        var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    static <T, R> List<R> map(List<T> list, Function<T, R> f) {
        return list.stream().map(f).toList();
    }

    static void log(String line) {
        System.out.println("[bench] " + line);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
