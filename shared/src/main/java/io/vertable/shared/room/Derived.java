package io.vertable.shared.room;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Values derived from one object of a room's state (a collection such as its walls), kept while that very object is
 * alive and its revision stands. A cache keyed by room id would keep the walls of every room it had seen alive, long
 * after the room was unloaded; here a value goes with the state it came from. Values held {@link #whileUsed weakly}
 * last only while something else (a view) holds them: a state viewed once, such as a room just loaded, leaves nothing
 * for the collector to carry. Shared between threads.
 */
final class Derived<V> {

    private final Map<Source, Value<V>> values = new HashMap<>();
    private final ReferenceQueue<Object> gone = new ReferenceQueue<>();
    private final boolean weakValues;

    private Derived(boolean weakValues) {
        this.weakValues = weakValues;
    }

    /** Values kept as long as their source object lives. */
    static <V> Derived<V> whileSourceLives() {
        return new Derived<>(false);
    }

    /** Values kept as long as their source object lives and something else holds them. */
    static <V> Derived<V> whileUsed() {
        return new Derived<>(true);
    }

    /** A value held strongly or weakly. */
    private record Value<V>(Object revision, V strong, WeakReference<V> weak) {
        V value() {
            return weak == null ? strong : weak.get();
        }
    }

    /** The object a value is derived from, by identity, held weakly. */
    private static final class Source extends WeakReference<Object> {
        private final int hash;

        Source(Object of, ReferenceQueue<Object> queue) {
            super(of, queue);
            this.hash = System.identityHashCode(of);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Source other)) return false;
            Object mine = get();
            return mine != null && mine == other.get();
        }
    }

    /** The value derived from {@code of} at {@code revision}, computed when there is none or it is of another. */
    V get(Object of, Object revision, Supplier<V> compute) {
        synchronized (values) {
            forgetGone();
            Value<V> found = values.get(new Source(of, null));
            V value = found == null ? null : found.value();
            if (value != null && found.revision().equals(revision)) return value;
        }
        V computed = compute.get();
        Value<V> held = weakValues
                ? new Value<>(revision, null, new WeakReference<>(computed))
                : new Value<>(revision, computed, null);
        synchronized (values) {
            values.put(new Source(of, gone), held);
        }
        return computed;
    }

    /** Values held now (for tests). */
    int size() {
        synchronized (values) {
            forgetGone();
            return values.size();
        }
    }

    private void forgetGone() {
        for (Reference<?> dead; (dead = gone.poll()) != null; ) values.remove(dead);
    }
}
