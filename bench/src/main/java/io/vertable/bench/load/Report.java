package io.vertable.bench.load;

import io.vertable.bench.load.Bench.Point;
import io.vertable.bench.load.Bench.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Writes {@code report.md} (ratios, every point, correctness, environment) and {@code latency.svg}. */
final class Report {

    private static final List<Sys> COMPARED = List.of(Sys.A, Sys.B, Sys.C);
    private final Bench bench;
    private final Environment env;
    private final StringBuilder md = new StringBuilder();

    Report(Bench bench, Environment env) {
        this.bench = bench;
        this.env = env;
    }

    void write() throws IOException {
        Files.writeString(bench.out.resolve("latency.svg"), svg());
        heading();
        ratios();
        allPoints();
        correctness();
        vertableOnly();
        crossNode();
        idle();
        environment();
        Files.writeString(bench.out.resolve("report.md"), md.toString());
    }

    // ---- aggregation ----

    private List<Point> of(Sys sys, String workload) {
        return bench.points.stream()
                .filter(p -> p.sys() == sys && p.workload().equals(workload))
                .toList();
    }

    /** Rounds merged: offered load → latency of all rounds together. */
    private TreeMap<Double, Histogram> merged(Sys sys, String workload) {
        TreeMap<Double, Histogram> byLoad = new TreeMap<>();
        for (Point p : of(sys, workload)) {
            byLoad.computeIfAbsent(p.offered(), k -> new Histogram(60_000_000L, 3))
                    .add(p.latency());
        }
        return byLoad;
    }

    /** The highest offered load sustained (zero loss, p99 ≤ 50 ms, generator not saturated) in every round. */
    private double maxSustained(Sys sys, String workload) {
        Map<Integer, Double> perRound = new TreeMap<>();
        for (Point p : of(sys, workload)) {
            perRound.putIfAbsent(p.round(), 0.0);
            if (p.sustained()) perRound.merge(p.round(), p.offered(), Math::max);
        }
        return perRound.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** True when the system was never the limit: it sustained every step the generator could drive. */
    private boolean ladderTopped(Sys sys, String workload) {
        List<Point> points = of(sys, workload);
        double top = bench.profile.ladder.get(bench.profile.ladder.size() - 1);
        boolean generatorBound = points.stream().anyMatch(Point::saturated)
                && points.stream().filter(p -> !p.saturated()).allMatch(Point::sustained);
        return generatorBound || points.stream().anyMatch(p -> p.offered() >= top && p.sustained());
    }

    private double medianCpu(Sys sys, String workload, double offered) {
        List<Double> values = new ArrayList<>();
        for (Point p : of(sys, workload)) if (p.offered() == offered) values.add(p.serverCpuMsPer1k());
        if (values.isEmpty()) return Double.NaN;
        values.sort(Double::compare);
        return values.get(values.size() / 2);
    }

    private Histogram at(Sys sys, String workload, double offered) {
        return merged(sys, workload).get(offered);
    }

    // ---- sections ----

    private void heading() {
        md.append("# Vertable table benchmark — ")
                .append(env.profile)
                .append(" run\n\n")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(" · ")
                .append(env.seconds)
                .append(" s · ")
                .append(env.pinningNote())
                .append("\n\n")
                .append("A = Vertable's SockJS bridge (live: `vtt.in.live` drags relayed at once; durable: `vtt.in.map`"
                        + " `token.move`, acknowledged after the PostgreSQL commit); B = Socket.IO ")
                .append(env.socketIo)
                .append(" on Node ")
                .append(env.node)
                .append(" (join a room, relay each move to it); C = a bare Vert.x WebSocket broadcast (no checks, no"
                        + " parsing). Every system delivers each move to every member of the room, the sender included."
                        + " One generator (Vert.x WebSocket client, one event loop), open loop, latency from the"
                        + " intended send time.\n\n");
    }

    private void ratios() {
        String w2 = "W2 room of " + bench.profile.ladderSize;
        double fixed = 10_000;
        md.append("## Ratios (A/B, A/C)\n\n")
                .append("| measure | A | B | C | A/B | A/C |\n|---|---:|---:|---:|---:|---:|\n");
        double[] sustained =
                COMPARED.stream().mapToDouble(s -> maxSustained(s, w2)).toArray();
        ratioRow(
                "max sustained deliveries/s, zero loss, p99 ≤ 50 ms (" + w2 + ", every round"
                        + (COMPARED.stream().anyMatch(s -> ladderTopped(s, w2))
                                ? "; ≥: the generator, not the server, stopped the ladder"
                                : "")
                        + ")",
                sustained,
                "%.0f",
                COMPARED.stream().map(s -> ladderTopped(s, w2) ? "≥ " : "").toList());
        for (double percentile : new double[] {50, 99, 99.9}) {
            ratioRow(
                    "p" + fmt("%s", percentile).replace(".0", "") + " ms at " + (int) fixed + " deliveries/s (" + w2
                            + ")",
                    COMPARED.stream()
                            .mapToDouble(s -> pct(at(s, w2, fixed), percentile))
                            .toArray(),
                    "%.2f",
                    null);
        }
        for (int rooms : bench.profile.w1Rooms) {
            String w1 = "W1 " + rooms + " rooms of 6";
            ratioRow(
                    "p99 ms, " + w1 + " (" + (int) (rooms * 36 * bench.profile.w1MovesPerUser) + " deliveries/s)",
                    COMPARED.stream()
                            .mapToDouble(s -> {
                                TreeMap<Double, Histogram> m = merged(s, w1);
                                return m.isEmpty()
                                        ? Double.NaN
                                        : pct(m.firstEntry().getValue(), 99);
                            })
                            .toArray(),
                    "%.2f",
                    null);
        }
        ratioRow(
                "server CPU ms per 1,000 deliveries at " + (int) fixed + "/s (" + w2 + ", median of rounds)",
                COMPARED.stream().mapToDouble(s -> medianCpu(s, w2, fixed)).toArray(),
                "%.1f",
                null);
        ratioRow(
                "memory per idle connection, bytes (A, C: JVM heap after GC; B: Node process RSS)",
                COMPARED.stream().mapToDouble(this::idleBytes).toArray(),
                "%.0f",
                null);
        md.append(
                        "\nHigher is better for deliveries/s; lower is better for the rest. A's column is its live path"
                                + " (like for like with a Socket.IO relay); its durable path is in \"Vertable's own costs\".\n\n")
                .append("![latency](latency.svg)\n\n");
    }

    /** What an idle connection costs: heap after GC for a JVM (its RSS is reserved up front), RSS for Node. */
    private double idleBytes(Sys sys) {
        long[] v = bench.idle.get(sys);
        if (v == null) return Double.NaN;
        long bytes = v[2] >= 0 ? v[2] : v[1];
        return bytes > 0 ? bytes : Double.NaN;
    }

    private void ratioRow(String label, double[] v, String format, List<String> prefixes) {
        md.append("| ").append(label);
        for (int i = 0; i < v.length; i++) {
            md.append(" | ")
                    .append(prefixes == null ? "" : prefixes.get(i))
                    .append(Double.isNaN(v[i]) ? "—" : fmt(format, v[i]));
        }
        md.append(" | ")
                .append(ratio(v[0], v[1]))
                .append(" | ")
                .append(ratio(v[0], v[2]))
                .append(" |\n");
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "—" : fmt("%.2f", a / b);
    }

    private void allPoints() {
        md.append("## Every point\n\n")
                .append(
                        "| system | workload | round | offered/s | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms | lost"
                                + " | dup | reord | server CPU ms/1k | generator CPU | sustained |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Point p : bench.points) {
            md.append(fmt(
                    "| %s | %s | %d | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %d | %d | %.1f | %.0f%% | %s |\n",
                    p.sys().name(),
                    p.workload(),
                    p.round(),
                    p.offered(),
                    p.achieved(),
                    p.p(50),
                    p.p(99),
                    p.p(99.9),
                    p.latency().getTotalCount() == 0 ? Double.NaN : p.latency().getMaxValue() / 1000.0,
                    p.lost(),
                    p.duplicates(),
                    p.reordered(),
                    p.serverCpuMsPer1k(),
                    p.genCpu() * 100,
                    p.saturated() ? "discarded: generator saturated" : p.sustained() ? "yes" : "no"));
        }
        md.append("\nA point is *sustained* when nothing was lost, duplicated, reordered or refused, p99 ≤ 50 ms, the"
                + " delivered rate reached 95% of the offered one and the generator used ≤ 70% of its core. Server CPU"
                + " counts the whole process tree (for A: the JVM, embedded PostgreSQL and Redis).\n\n");
    }

    private void correctness() {
        md.append("## Correctness (every delivery checked)\n\n")
                .append("| system | expected | delivered | lost | duplicated | reordered | stale (earlier phase) |"
                        + " unexpected | malformed | refused |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<Sys, long[]> sums = new LinkedHashMap<>();
        for (Point p : bench.points) {
            long[] s = sums.computeIfAbsent(p.sys(), k -> new long[9]);
            long[] v = {
                p.expected(),
                p.delivered(),
                p.lost(),
                p.duplicates(),
                p.reordered(),
                p.stale(),
                p.unexpected(),
                p.malformed(),
                p.refusals()
            };
            for (int i = 0; i < v.length; i++) s[i] += v[i];
        }
        sums.forEach((sys, s) -> md.append(fmt(
                "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n",
                sys.label, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8])));
        md.append("\nEach move carries (sender, sequence, phase, intended send time); each receiver keeps a per-sender"
                        + " record. For A the live drag carries them in x (sequence), y (time) and tokenId (phase); the"
                        + " durable move in the token's x and y. Durable events' room `seq` gaps seen by receivers: ")
                .append(bench.seqGaps)
                .append(". W5's paused reader is excluded from its room's expectations.\n\n");
    }

    private void vertableOnly() {
        md.append("## Vertable's own costs\n\n")
                .append("| measure | p50 ms | p99 ms | p99.9 ms | max ms | count |\n|---|---:|---:|---:|---:|---:|\n");
        for (Point p : allOf(Sys.AD)) {
            row("ack of " + p.workload() + " (send → `ok` after the PostgreSQL commit)", p.ack());
            row("delivery of " + p.workload() + " (send → event at every member)", p.latency());
        }
        row(
                "room load: first join of a room (owner claimed, room loaded from PostgreSQL; joins sent 200 at a"
                        + " time while connecting)",
                bench.gen.coldJoinUs);
        row(
                "room load: join of a loaded room (view for the role; same bursts, plus one join per durable player"
                        + " after its room has events)",
                bench.gen.warmJoinUs);
        row(
                "room load: join of a loaded room, 200 at once on open idle sockets (W3's; no handshakes in the"
                        + " queue)",
                bench.gen.burstJoinUs);
        md.append("\nREST set-up of the rooms (one GM, players joining by invite as guests) took ")
                .append(bench.setupMillis / 1000)
                .append(" s.\n\n");
    }

    private void crossNode() {
        md.append("## W4 two clustered nodes\n\n")
                .append("A room of 10: five members on each node's bridge, the five senders and the room's owner on"
                        + " node 1; both nodes on the server core. Cross-node deliveries travel node 1 → node 2 over the"
                        + " clustered event bus.\n\n")
                .append("| offered deliveries/s | receivers | p50 ms | p99 ms | p99.9 ms | max ms | count |\n"
                        + "|---:|---|---:|---:|---:|---:|---:|\n");
        for (Point p : allOf(Sys.A4)) {
            crossNodeRow(p.offered(), "same node as the sender", p.sameNode());
            crossNodeRow(p.offered(), "other node", p.crossNode());
        }
        md.append("\n");
    }

    private void crossNodeRow(double offered, String receivers, Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            md.append(fmt("| %.0f | %s | — | — | — | — | 0 |\n", offered, receivers));
            return;
        }
        md.append(fmt(
                "| %.0f | %s | %.2f | %.2f | %.2f | %.2f | %d |\n",
                offered, receivers, pct(h, 50), pct(h, 99), pct(h, 99.9), h.getMaxValue() / 1000.0, h.getTotalCount()));
    }

    private List<Point> allOf(Sys sys) {
        return bench.points.stream().filter(p -> p.sys() == sys).toList();
    }

    private void row(String label, Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            md.append("| ").append(label).append(" | — | — | — | — | 0 |\n");
            return;
        }
        md.append(fmt(
                "| %s | %.2f | %.2f | %.2f | %.2f | %d |\n",
                label, pct(h, 50), pct(h, 99), pct(h, 99.9), h.getMaxValue() / 1000.0, h.getTotalCount()));
    }

    private void idle() {
        md.append("## W3 idle connections\n\n")
                .append("| system | connections | RSS bytes/conn | heap bytes/conn (after GC) | open time ms |\n"
                        + "|---|---:|---:|---:|---:|\n");
        bench.idle.forEach((sys, v) -> md.append(fmt(
                "| %s | %d | %s | %s | %d |\n",
                sys.label,
                v[0],
                v[1] < 0 ? "n/m (RSS fell: heap shrank)" : String.valueOf(v[1]),
                v[2] < 0 ? "n/a" : String.valueOf(v[2]),
                v[3])));
        md.append(
                "\nIdle connections sit in rooms of 6 and are registered on their room (A: authenticated, `vtt.room.<id>`"
                        + " registered, joined; they ping every 4 s as the JS client does). RSS is the main process only; a JVM"
                        + " reserves its heap up front (-Xms512m), so for A and C the heap column is the one that counts, for"
                        + " Node the RSS column.\n\n");
    }

    private void environment() {
        md.append("## Environment\n\n")
                .append("- CPU: ")
                .append(env.cpu)
                .append(", ")
                .append(env.cores)
                .append(" cores visible to the generator (")
                .append(env.hostCores)
                .append(" on the host, shared with other work); ")
                .append(env.kernel)
                .append("\n- ")
                .append(env.java)
                .append("; Vert.x ")
                .append(env.vertx)
                .append("; Node ")
                .append(env.node)
                .append("; socket.io ")
                .append(env.socketIo)
                .append("\n- Pinning: ")
                .append(env.pinningNote())
                .append("\n- Server JVMs: `-XX:ActiveProcessorCount=1 -Xms512m -Xmx1g -XX:+UseG1GC`; Vertable with its"
                        + " embedded PostgreSQL and Redis (children of its JVM, on the same core), every verticle once,"
                        + " bridge rate limits raised to 10,000/s")
                .append("\n- Profile `")
                .append(env.profile)
                .append("`: ")
                .append(bench.profile.rounds)
                .append(" rounds of W2 alternating A, B, C; ")
                .append(bench.profile.stepMs / 1000.0)
                .append(" s per step; warm-up ")
                .append(bench.profile.warmupMs / 1000)
                .append(" s per system; moves padded to ~")
                .append(bench.profile.padBytes + 90)
                .append(" bytes\n\n");
        for (String note : bench.notes) md.append("- ").append(note).append('\n');
    }

    // ---- the plot ----

    String svg() {
        String w2 = "W2 room of " + bench.profile.ladderSize;
        int width = 720, height = 420, left = 70, right = 200, top = 40, bottom = 50;
        double xMin = Math.log10(bench.profile.ladder.get(0) / 1.5);
        double xMax = Math.log10(bench.profile.ladder.get(bench.profile.ladder.size() - 1) * 1.5);
        double yMin = Math.log10(0.1), yMax = Math.log10(1000);
        StringBuilder s = new StringBuilder();
        s.append(fmt(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                width, height));
        s.append(fmt(
                "<text x=\"%d\" y=\"22\" font-size=\"14\">Latency vs offered load, %s (%s run): p99 solid, p50"
                        + " dashed</text>\n",
                left, w2, env.profile));
        int plotW = width - left - right, plotH = height - top - bottom;
        for (double y : new double[] {0.1, 1, 10, 100, 1000}) {
            double py = top + plotH - (Math.log10(y) - yMin) / (yMax - yMin) * plotH;
            s.append(fmt(
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\""
                            + " text-anchor=\"end\">%s ms</text>\n",
                    left, py, left + plotW, py, left - 6, py + 4, y < 1 ? "0.1" : String.valueOf((int) y)));
        }
        for (int load : bench.profile.ladder) {
            double px = left + (Math.log10(load) - xMin) / (xMax - xMin) * plotW;
            s.append(fmt(
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%.1f\" y=\"%d\""
                            + " text-anchor=\"middle\">%dk</text>\n",
                    px, top, px, top + plotH, px, top + plotH + 16, load / 1000));
        }
        s.append(fmt(
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">offered deliveries/s (log)</text>\n",
                left + plotW / 2, height - 10));
        s.append(fmt(
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
                left, top, plotW, plotH));
        String[] colours = {"#d62728", "#1f77b4", "#2ca02c"};
        int legendY = top + 10;
        for (int i = 0; i < COMPARED.size(); i++) {
            Sys sys = COMPARED.get(i);
            TreeMap<Double, Histogram> m = merged(sys, w2);
            for (double percentile : new double[] {99, 50}) {
                StringBuilder pts = new StringBuilder();
                for (Map.Entry<Double, Histogram> e : m.entrySet()) {
                    double v = Math.max(0.1, Math.min(1000, pct(e.getValue(), percentile)));
                    double px = left + (Math.log10(e.getKey()) - xMin) / (xMax - xMin) * plotW;
                    double py = top + plotH - (Math.log10(v) - yMin) / (yMax - yMin) * plotH;
                    pts.append(fmt("%.1f,%.1f ", px, py));
                    s.append(fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n", px, py, colours[i]));
                }
                s.append(fmt(
                        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
                        pts.toString().trim(), colours[i], percentile == 50 ? " stroke-dasharray=\"5,4\"" : ""));
            }
            s.append(fmt(
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/><text x=\"%d\""
                            + " y=\"%d\">%s</text>\n",
                    left + plotW + 10,
                    legendY,
                    left + plotW + 30,
                    legendY,
                    colours[i],
                    left + plotW + 35,
                    legendY + 4,
                    escape(sys.label)));
            legendY += 20;
        }
        s.append(fmt(
                "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>\n",
                left + plotW + 10, legendY + 10, "50 ms = p99 limit"));
        return s.append("</svg>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }

    static double pct(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
