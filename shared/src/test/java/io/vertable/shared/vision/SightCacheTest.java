package io.vertable.shared.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The geometry cache stays within both bounds, drops the least recently used first, and answers as computing does. */
class SightCacheTest {

    @Test
    void heavyEntriesAreDroppedOldestFirstToStayWithinTheWeight() {
        SightCache<int[]> cache = new SightCache<>(100, 10_000, values -> values.length);
        AtomicInteger computed = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            int size = 3_000;
            cache.get("polygon " + i, () -> {
                computed.incrementAndGet();
                return new int[size];
            });
            assertThat(cache.weight()).isLessThanOrEqualTo(10_000);
        }
        assertThat(cache.size()).isEqualTo(3);
        // The three most recent stay; an older one is computed again.
        int before = computed.get();
        cache.get("polygon 49", () -> new int[3_000]);
        cache.get("polygon 47", () -> new int[3_000]);
        assertThat(computed.get()).isEqualTo(before);
        cache.get("polygon 10", () -> {
            computed.incrementAndGet();
            return new int[3_000];
        });
        assertThat(computed.get()).isEqualTo(before + 1);
        // "polygon 48" was the least recently used of the three: it went to make room.
        assertThat(cache.weight()).isEqualTo(9_000);
        cache.get("polygon 48", () -> {
            computed.incrementAndGet();
            return new int[3_000];
        });
        assertThat(computed.get()).isEqualTo(before + 2);
    }

    @Test
    void lightEntriesAreBoundedByCount() {
        SightCache<String> cache = new SightCache<>(5);
        for (int i = 0; i < 20; i++) {
            String value = "v" + i;
            assertThat(cache.get("k" + i, () -> value)).isEqualTo(value);
        }
        assertThat(cache.size()).isEqualTo(5);
        assertThat(cache.get("k19", () -> "recomputed")).isEqualTo("v19");
        assertThat(cache.get("k0", () -> "recomputed")).isEqualTo("recomputed");
    }
}
