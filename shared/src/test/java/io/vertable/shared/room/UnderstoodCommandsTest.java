package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.RoomRole;
import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Fields no op reads are dropped before a command is kept or compared; every field an op reads survives. */
class UnderstoodCommandsTest {

    @Test
    void aMoveKeepsItsEnvelopeAndFieldsAndDropsTheRest() {
        JsonObject move = new JsonObject()
                .put("room", "r")
                .put("op", "token.move")
                .put("cid", "c1")
                .put("tokenId", "t")
                .put("x", 1)
                .put("y", 2)
                .put("junk", new JsonObject().put("a", new JsonObject().put("a", 1)))
                .put("name", "not a field of a move");
        assertThat(RoomCommands.understood(move))
                .isEqualTo(new JsonObject()
                        .put("room", "r")
                        .put("op", "token.move")
                        .put("cid", "c1")
                        .put("tokenId", "t")
                        .put("x", 1)
                        .put("y", 2));
        assertThat(RoomCommands.understood(new JsonObject().put("op", "no.such").put("x", 1)))
                .isEqualTo(new JsonObject().put("op", "no.such"));
        assertThat(RoomCommands.understood(new JsonObject().put("op", 7).put("x", 1)))
                .isEqualTo(new JsonObject().put("op", 7));
    }

    /**
     * Random games with every field any op reads, plus junk: each command decides exactly the same from what is kept
     * as from what was sent — so the table of fields misses none that an op reads.
     */
    @Test
    void everyOpDecidesTheSameFromWhatIsKept() {
        List<String> ops = new ArrayList<>(RoomCommands.ops());
        java.util.Collections.sort(ops);
        for (long seed = 1; seed <= 100; seed++) {
            Random random = new Random(seed);
            AtomicInteger ids = new AtomicInteger();
            JsonObject state = RoomReducer.empty("r");
            for (int i = 0; i < 150; i++) {
                Actor actor = random.nextInt(4) == 0 ? new Actor("p1", RoomRole.PLAYER) : new Actor("gm", RoomRole.GM);
                String op = ops.get(random.nextInt(ops.size()));
                JsonObject body = everyField(random, state).put("op", op).put("room", "r");
                int before = ids.get();
                Decision sent = RoomCommands.decide(state, op, body, actor, () -> "id" + ids.incrementAndGet());
                ids.set(before);
                Decision kept = RoomCommands.decide(
                        state, op, RoomCommands.understood(body), actor, () -> "id" + ids.incrementAndGet());
                assertThat(describe(kept)).as(op + " " + body.encode()).isEqualTo(describe(sent));
                for (Change change : sent.changes()) {
                    RoomReducer.apply(state, state.getLong("seq") + 1, change.type(), change.data());
                }
            }
        }
    }

    private static String describe(Decision decision) {
        return decision.accepted()
                ? decision.changes().stream()
                        .map(c -> c.type() + c.data().encode())
                        .toList()
                        .toString()
                : decision.failure().toString();
    }

    /** The property test's plausible body plus every optional field an op may read, and some junk. */
    private static JsonObject everyField(Random random, JsonObject state) {
        JsonObject body = RoomPropertiesTest.body(random, state, "any");
        if (random.nextBoolean()) body.put("image", "img" + random.nextInt(3));
        if (random.nextBoolean()) body.put("width", 100 + random.nextInt(900));
        if (random.nextBoolean()) body.put("height", 100 + random.nextInt(900));
        if (random.nextBoolean()) body.put("color", "#a0b1c2");
        if (random.nextBoolean())
            body.put("grid", new JsonObject().put("type", "hex").put("size", 40));
        if (random.nextBoolean()) body.put("dialect", random.nextBoolean() ? "foundry" : "roll20");
        if (random.nextBoolean()) body.put("enabled", random.nextBoolean());
        if (random.nextBoolean()) body.put("size", 2);
        if (random.nextBoolean()) body.put("rotation", 90);
        if (random.nextBoolean()) body.put("locked", random.nextBoolean());
        if (random.nextBoolean()) body.put("maxHp", 30);
        if (random.nextBoolean()) body.put("conditions", new JsonArray().add("prone"));
        if (random.nextBoolean()) body.put("width", 4);
        body.put("junk", new JsonObject().put("nested", new JsonArray().add(1)));
        return body;
    }
}
