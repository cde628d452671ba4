package io.vertable.shared.vision;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A small least-recently-used cache of computed geometry (wall indexes, sight and light polygons), keyed by what they
 * were computed from, so a move recomputes only the polygons of what moved. Results are pure functions of their keys:
 * a miss recomputes the same value, so the cache changes speed, never answers. Shared by every room on the node.
 *
 * <p>Bounded by entries and by weight (e.g. polygon vertices): a token that keeps moving leaves a polygon at every
 * place it stood, thousands of vertices each, and a cache bounded by count alone would hold hundreds of megabytes of
 * them, to be copied by every garbage collection.
 */
public final class SightCache<V> {

    private final Map<Object, V> entries;
    private final int capacity;
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private long weight;

    public SightCache(int capacity) {
        this(capacity, Long.MAX_VALUE, v -> 0);
    }

    public SightCache(int capacity, long maxWeight, ToLongFunction<V> weigher) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
        this.capacity = capacity;
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    /** The value for the key (a string, or a record of them: equal keys must mean equal inputs), computed on a miss. */
    public V get(Object key, Supplier<V> compute) {
        synchronized (entries) {
            V found = entries.get(key);
            if (found != null) return found;
        }
        V computed = compute.get();
        synchronized (entries) {
            V replaced = entries.put(key, computed);
            if (replaced != null) weight -= weigher.applyAsLong(replaced);
            weight += weigher.applyAsLong(computed);
            evict();
        }
        return computed;
    }

    /** Drops the least recently used entries while over either bound. */
    private void evict() {
        Iterator<V> eldest = entries.values().iterator();
        while ((entries.size() > capacity || weight > maxWeight) && eldest.hasNext()) {
            weight -= weigher.applyAsLong(eldest.next());
            eldest.remove();
        }
    }

    /** Entries held now (for tests). */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Their total weight now (for tests). */
    public long weight() {
        synchronized (entries) {
            return weight;
        }
    }
}
