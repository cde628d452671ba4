package io.vertable.shared.vision;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small least-recently-used cache of computed geometry (wall indexes, sight and light polygons), keyed by what they
 * were computed from, so a move recomputes only the polygons of what moved. Results are pure functions of their keys:
 * a miss recomputes the same value, so the cache changes speed, never answers. Shared by every room on the node.
 */
public final class SightCache<V> {

    private final Map<Object, V> entries;

    public SightCache(int capacity) {
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value for the key (a string, or a record of them: equal keys must mean equal inputs), computed on a miss. */
    public V get(Object key, Supplier<V> compute) {
        synchronized (entries) {
            V found = entries.get(key);
            if (found != null) return found;
        }
        V computed = compute.get();
        synchronized (entries) {
            entries.put(key, computed);
        }
        return computed;
    }
}
