package io.vertable.bench.load;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The accounting of one measured phase: every (receiver, sender) pair that should see each other's moves has a track;
 * every delivery is checked against it. A move seen twice is a duplicate, one older than the newest seen from that
 * sender is reordered, one never seen is lost; a delivery from an earlier phase is stale, one nobody expected (wrong
 * room, unknown sender) is unexpected. Latency is from the move's intended send time, in µs. Single-threaded: the
 * generator's one event loop owns it.
 */
public final class Ledger {

    /** One receiver's view of one sender. */
    static final class Track {
        final BitSet seen = new BitSet();
        int newest = -1;
        int distinct;
    }

    public final int phase;
    public final Histogram latencyUs = new Histogram(60_000_000L, 3);
    /** W4: receivers connected to the other node than the senders, and latency split by where the receiver is. */
    private final Set<Integer> crossNodeReceivers = new HashSet<>();

    public final Histogram sameNodeUs = new Histogram(60_000_000L, 3);
    public final Histogram crossNodeUs = new Histogram(60_000_000L, 3);
    private final Map<Long, Track> tracks = new HashMap<>();
    private final Map<Integer, Integer> sent = new HashMap<>();
    public long delivered;
    public long duplicates;
    public long reordered;
    public long stale;
    public long unexpected;
    public long malformed;
    public long errors;

    public Ledger(int phase) {
        this.phase = phase;
    }

    private static long key(int receiver, int sender) {
        return ((long) receiver << 32) | (sender & 0xffffffffL);
    }

    /** Says that {@code receiver} must see every move {@code sender} makes in this phase. */
    public void expect(int receiver, int sender) {
        tracks.putIfAbsent(key(receiver, sender), new Track());
    }

    /** Says that {@code receiver} is connected to another node than the senders (W4). */
    public void crossNode(int receiver) {
        crossNodeReceivers.add(receiver);
    }

    /** Counts a move {@code sender} made (its sequence numbers run 0, 1, 2, … within the phase). */
    public void sent(int sender) {
        sent.merge(sender, 1, Integer::sum);
    }

    public long sentTotal() {
        long total = 0;
        for (int count : sent.values()) total += count;
        return total;
    }

    /** A delivery; {@code micros} from the intended send time. */
    public void delivered(int receiver, int sender, int seq, int phaseOfMove, long micros) {
        if (phaseOfMove != phase) {
            stale++;
            return;
        }
        Track track = tracks.get(key(receiver, sender));
        if (track == null || seq < 0) {
            unexpected++;
            return;
        }
        if (track.seen.get(seq)) {
            duplicates++;
            return;
        }
        track.seen.set(seq);
        track.distinct++;
        if (seq < track.newest) reordered++;
        else track.newest = seq;
        delivered++;
        long value = Math.max(0, Math.min(latencyUs.getHighestTrackableValue(), micros));
        latencyUs.recordValue(value);
        (crossNodeReceivers.contains(receiver) ? crossNodeUs : sameNodeUs).recordValue(value);
    }

    /** Moves that should have arrived and did not, once the phase has drained. */
    public long lost() {
        long lost = 0;
        for (Map.Entry<Long, Track> entry : tracks.entrySet()) {
            int sender = (int) (entry.getKey() & 0xffffffffL);
            lost += sent.getOrDefault(sender, 0) - entry.getValue().distinct;
        }
        return lost;
    }

    /** Deliveries that should happen: Σ over tracks of what their sender sent. */
    public long expected() {
        long expected = 0;
        for (Map.Entry<Long, Track> entry : tracks.entrySet()) {
            expected += sent.getOrDefault((int) (entry.getKey() & 0xffffffffL), 0);
        }
        return expected;
    }

    public boolean clean() {
        return lost() == 0 && duplicates == 0 && reordered == 0 && unexpected == 0 && malformed == 0;
    }
}
