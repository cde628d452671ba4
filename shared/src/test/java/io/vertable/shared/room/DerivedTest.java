package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DerivedTest {

    private final Derived<String> derived = Derived.whileSourceLives();
    private final AtomicInteger computed = new AtomicInteger();

    private String derive(Object of, Object revision) {
        return derived.get(of, revision, () -> "value " + computed.incrementAndGet());
    }

    @Test
    void aValueStandsWhileItsObjectAndRevisionDo() {
        JsonObject walls = new JsonObject().put("w1", new JsonObject());
        assertThat(derive(walls, 1L)).isEqualTo("value 1");
        assertThat(derive(walls, 1L)).isEqualTo("value 1");
        // The same object changed in place: its revision says so, and the value is worked out again.
        walls.put("w2", new JsonObject());
        assertThat(derive(walls, 2L)).isEqualTo("value 2");
        assertThat(derive(walls, 2L)).isEqualTo("value 2");
        assertThat(derived.size()).isEqualTo(1);
    }

    @Test
    void anEqualObjectIsAnotherSource() {
        JsonObject one = new JsonObject().put("w1", new JsonObject());
        JsonObject copy = one.copy();
        assertThat(derive(one, 1L)).isEqualTo("value 1");
        assertThat(derive(copy, 1L)).isEqualTo("value 2");
        assertThat(derive(one, 1L)).isEqualTo("value 1");
    }

    @Test
    void aValueUsedByNothingElseIsLetGo() {
        Derived<JsonObject> copies = Derived.whileUsed();
        JsonObject walls = new JsonObject();
        JsonObject held = copies.get(walls, 1L, JsonObject::new);
        JsonObject source = new JsonObject().put("drawings", 1);
        AtomicInteger made = new AtomicInteger();
        copies.get(source, 1L, () -> new JsonObject().put("made", made.incrementAndGet()));
        // Bounded: once collected, the value nothing held is worked out afresh for its (still live) source.
        for (int tries = 0; tries < 200 && made.get() == 1; tries++) {
            System.gc();
            copies.get(source, 1L, () -> new JsonObject().put("made", made.incrementAndGet()));
        }
        assertThat(made.get()).as("a value nobody held, worked out again").isEqualTo(2);
        assertThat(copies.get(walls, 1L, JsonObject::new))
                .as("a value a view still holds")
                .isSameAs(held);
    }

    @Test
    void aValueGoesWithItsObject() {
        JsonObject kept = new JsonObject();
        derive(kept, 1L);
        for (int i = 0; i < 100; i++) derive(new JsonObject().put("i", i), 1L);
        // Bounded: a collection that runs clears the weak references, and the next call forgets their values.
        for (int tries = 0; tries < 200 && derived.size() > 1; tries++) System.gc();
        assertThat(derived.size()).isEqualTo(1);
        assertThat(derive(kept, 1L)).isEqualTo("value 1");
    }
}
