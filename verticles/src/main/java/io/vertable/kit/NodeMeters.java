package io.vertable.kit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertable.shared.wire.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters an operator watches (README "Operating a node"), on the node's Prometheus registry as {@code vertable_*}.
 * Rooms and sockets belong to verticle instances that come and go with a rescale, so each instance keeps its own count
 * here and the node's gauges add them up; an undeployed instance is forgotten, not left behind at its last value.
 */
public final class NodeMeters {

    public static final String ROOMS_OWNED = "vertable.rooms.owned";
    public static final String BRIDGE_SOCKETS = "vertable.bridge.sockets";
    public static final String BRIDGE_REFUSALS = "vertable.bridge.refusals";
    public static final String EVENTS_APPENDED = "vertable.events.appended";
    public static final String APPEND_LATENCY = "vertable.append.latency";
    public static final String HANDOVERS = "vertable.room.handovers";
    public static final String FAILOVERS = "vertable.room.failovers";

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> roomsByInstance = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> socketsByInstance = new ConcurrentHashMap<>();
    private final Counter appended;
    private final Timer appendLatency;
    private final Counter handovers;
    private final Counter failovers;

    public NodeMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(ROOMS_OWNED, this, NodeMeters::roomsOwned)
                .description("Rooms whose owner (sequencer) runs on this node")
                .register(registry);
        Gauge.builder(BRIDGE_SOCKETS, this, NodeMeters::openSockets)
                .description("Open bridge sockets on this node")
                .register(registry);
        appended = Counter.builder(EVENTS_APPENDED)
                .description("Room events stored in the log by owners on this node")
                .register(registry);
        appendLatency = Timer.builder(APPEND_LATENCY)
                .description("From an owner's append request to the log's answer, per batch")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        handovers = Counter.builder(HANDOVERS)
                .description("Rooms this node handed to another owner on purpose (stop, rescale)")
                .register(registry);
        failovers = Counter.builder(FAILOVERS)
                .description("Rooms this node took over from an owner that left without handing them over")
                .register(registry);
    }

    /** The live count of rooms one map instance owns; {@link #forget} it when the instance stops. */
    public AtomicInteger roomsOf(String instance) {
        return roomsByInstance.computeIfAbsent(instance, k -> new AtomicInteger());
    }

    /** The live count of sockets one bridge instance holds. */
    public AtomicInteger socketsOf(String instance) {
        return socketsByInstance.computeIfAbsent(instance, k -> new AtomicInteger());
    }

    public void forget(String instance) {
        roomsByInstance.remove(instance);
        socketsByInstance.remove(instance);
    }

    public int roomsOwned() {
        return roomsByInstance.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int openSockets() {
        return socketsByInstance.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Rooms per map instance, for the cluster view: how evenly claims spread. */
    public Map<String, Integer> roomsByInstance() {
        Map<String, Integer> counts = new TreeMap<>();
        roomsByInstance.forEach((instance, rooms) -> counts.put(instance, rooms.get()));
        return counts;
    }

    /** A bridge refusal sent to a client (an err frame or a refused upgrade), by its catalog code. */
    public void refused(ErrorCode code) {
        Counter.builder(BRIDGE_REFUSALS)
                .description("Refusals the bridge sent to clients, by catalog code")
                .tag("code", code.name())
                .register(registry)
                .increment();
    }

    /** A batch of {@code events} stored after {@code nanos}. */
    public void appended(int events, long nanos) {
        appended.increment(events);
        appendLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void handedOver() {
        handovers.increment();
    }

    public void failedOver() {
        failovers.increment();
    }
}
