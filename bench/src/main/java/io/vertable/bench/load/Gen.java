package io.vertable.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The load generator: one Vert.x instance with one event loop (one core), one WebSocket client, the phase's ledger,
 * and the open-loop sender. A move's intended send time is fixed by the schedule before it is sent; latency counts
 * from there, so a generator or server that falls behind shows up in the latency instead of slowing the load.
 */
public final class Gen implements AutoCloseable {

    final Vertx vertx;
    final WebSocketClient client;
    final String pad;
    final Map<String, Integer> userIndex = new HashMap<>();
    final Map<String, Integer> tokenIndex = new HashMap<>();
    private final Set<String> joinedRooms = new HashSet<>();
    final Histogram coldJoinUs = new Histogram(60_000_000L, 3);
    final Histogram warmJoinUs = new Histogram(60_000_000L, 3);
    /** Joins sent 200 at once on sockets already open (W3's idle ones): the join alone, not the handshakes. */
    final Histogram burstJoinUs = new Histogram(60_000_000L, 3);

    Histogram ackUs = new Histogram(60_000_000L, 3);
    Ledger ledger = new Ledger(-1);
    private long epochNanos = System.nanoTime();
    long seqGaps;
    long refusals;
    String lastRefusal;
    long closed;
    /** Vertable sockets; the bridge closes one that is silent for 10 s, so all ping every 4 s as the JS client does. */
    final Set<Conn.Bridge> bridgeSockets = new HashSet<>();

    public Gen(int padBytes) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(200_000)
                .setConnectTimeout(30_000)
                .setMaxFrameSize(1 << 20)
                .setMaxMessageSize(1 << 22));
        this.pad = "x".repeat(padBytes);
        vertx.setPeriodic(4_000, id -> bridgeSockets.forEach(Conn.Bridge::ping));
    }

    double nowMs() {
        return (System.nanoTime() - epochNanos) / 1e6;
    }

    /** Starts a phase: a fresh ledger and epoch (run on the event loop). */
    Future<Ledger> begin(int phase) {
        return onLoop(() -> {
            ledger = new Ledger(phase);
            epochNanos = System.nanoTime();
            seqGaps = 0;
            refusals = 0;
            closed = 0;
            ackUs = new Histogram(60_000_000L, 3);
            return ledger;
        });
    }

    /** Runs {@code work} on the generator's event loop. */
    <T> Future<T> onLoop(java.util.concurrent.Callable<T> work) {
        Promise<T> done = Promise.promise();
        vertx.runOnContext(v -> {
            try {
                done.complete(work.call());
            } catch (Exception e) {
                done.fail(e);
            }
        });
        return done.future();
    }

    void joinMicros(long startedNanos, boolean cold) {
        long micros = (System.nanoTime() - startedNanos) / 1000;
        Histogram target = cold ? coldJoinUs : warmJoinUs;
        target.recordValue(Math.min(micros, target.getHighestTrackableValue()));
    }

    /** True the first time a room is joined: its owner is claimed and the room loaded then. */
    boolean firstJoin(String room) {
        return joinedRooms.add(room);
    }

    void ack(long micros) {
        ackUs.recordValue(Math.max(0, Math.min(micros, ackUs.getHighestTrackableValue())));
    }

    void refusal(String frame) {
        refusals++;
        lastRefusal = frame.length() > 300 ? frame.substring(0, 300) : frame;
    }

    /**
     * Open loop: {@code rate} moves per second in total, spread round-robin over {@code senders}, for
     * {@code durationMs}. Every move is counted as sent in the ledger when it is written.
     */
    Future<Void> drive(List<? extends Conn> senders, double rate, long durationMs) {
        Promise<Void> done = Promise.promise();
        vertx.runOnContext(v -> {
            double startMs = nowMs();
            double intervalMs = 1000.0 / rate;
            long total = (long) Math.floor(rate * durationMs / 1000.0);
            long[] next = {0};
            int phase = ledger.phase;
            Ledger current = ledger;
            vertx.setPeriodic(1, id -> {
                double now = nowMs();
                while (next[0] < total) {
                    double intended = Frames.roundMicros(startMs + next[0] * intervalMs);
                    if (intended > now) break;
                    Conn sender = senders.get((int) (next[0] % senders.size()));
                    sender.sendMove(phase, intended);
                    current.sent(sender.member.index());
                    next[0]++;
                }
                if (next[0] >= total) {
                    vertx.cancelTimer(id);
                    done.complete();
                }
            });
        });
        return done.future();
    }

    /** CPU time of this process (generator), ns. */
    static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    @Override
    public void close() {
        client.close().await();
        vertx.close().await();
    }
}
