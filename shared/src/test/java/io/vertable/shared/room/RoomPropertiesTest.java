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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties over random games: random commands from a GM and two players (valid and invalid mixed), decided and
 * applied as the map verticle does. Seeds are fixed, so a failure reproduces; 200 games of 150 commands each.
 */
class RoomPropertiesTest {

    record Event(long seq, String type, JsonObject data) {}

    static Stream<Long> seeds() {
        return Stream.iterate(1L, s -> s + 1).limit(200);
    }

    /** Plays a random game and returns its events. */
    static List<Event> play(long seed, int commands) {
        Random random = new Random(seed);
        AtomicInteger counter = new AtomicInteger();
        JsonObject state = RoomReducer.empty("r");
        List<Event> events = new ArrayList<>();
        List<String> ops = new ArrayList<>(RoomCommands.ops());
        java.util.Collections.sort(ops);
        for (int i = 0; i < commands; i++) {
            Actor actor =
                    switch (random.nextInt(6)) {
                        case 0 -> new Actor("p1", RoomRole.PLAYER);
                        case 1 -> new Actor("p2", RoomRole.PLAYER);
                        default -> new Actor("gm", RoomRole.GM);
                    };
            String op = ops.get(random.nextInt(ops.size()));
            Decision decision = RoomCommands.decide(
                    state,
                    op,
                    body(random, state, op),
                    actor,
                    () -> "id" + counter.incrementAndGet(),
                    java.util.Set.of("gm", "p1", "p2")::contains);
            for (Change change : decision.changes()) {
                long seq = state.getLong("seq") + 1;
                RoomReducer.apply(state, seq, change.type(), change.data());
                events.add(new Event(seq, change.type(), change.data().copy()));
            }
        }
        return events;
    }

    /** A plausible body: ids that exist (mostly), coordinates in a small world, occasional nonsense. */
    static JsonObject body(Random random, JsonObject state, String op) {
        JsonObject body = new JsonObject()
                .put("sceneId", pick(random, state.getJsonObject("scenes").fieldNames()))
                .put("tokenId", pick(random, state.getJsonObject("tokens").fieldNames()))
                .put("noteId", pick(random, state.getJsonObject("notes").fieldNames()))
                .put("drawingId", pick(random, state.getJsonObject("drawings").fieldNames()))
                .put("x", random.nextInt(1000))
                .put("y", random.nextInt(1000))
                .put("name", "n" + random.nextInt(100))
                .put("title", "t" + random.nextInt(100))
                .put("body", "secret-" + random.nextInt(1000))
                .put("value", random.nextInt(30))
                .put("rounds", 1 + random.nextInt(3))
                .put("kind", random.nextBoolean() ? "line" : "text")
                .put("text", "label")
                .put("covered", random.nextBoolean())
                .put(
                        "points",
                        new JsonArray()
                                .add(new JsonArray().add(1).add(1))
                                .add(new JsonArray().add(5).add(5)));
        if (random.nextInt(3) == 0) body.put("hidden", true);
        if (random.nextInt(5) == 0) body.put("layer", "gm");
        if (random.nextInt(2) == 0) body.put("owners", new JsonArray().add(random.nextBoolean() ? "p1" : "p2"));
        if (random.nextInt(4) == 0) body.put("gmOnly", false);
        if (random.nextInt(4) == 0) body.put("hp", random.nextInt(20));
        JsonArray entries = state.getJsonObject("initiative").getJsonArray("entries");
        if (!entries.isEmpty())
            body.put(
                    "entryId",
                    entries.getJsonObject(random.nextInt(entries.size())).getString("id"));
        int x = random.nextInt(800), y = random.nextInt(800);
        body.put(
                "shape",
                random.nextBoolean()
                        ? new JsonObject()
                                .put("kind", "rect")
                                .put("x", x)
                                .put("y", y)
                                .put("w", 1 + random.nextInt(400))
                                .put("h", 1 + random.nextInt(400))
                        : new JsonObject()
                                .put("kind", "polygon")
                                .put(
                                        "points",
                                        new JsonArray()
                                                .add(new JsonArray().add(x).add(y))
                                                .add(new JsonArray()
                                                        .add(x + 300)
                                                        .add(y))
                                                .add(new JsonArray()
                                                        .add(x + 150)
                                                        .add(y + 300))));
        if (random.nextInt(20) == 0) body.put("x", Double.NaN);
        return body;
    }

    static String pick(Random random, java.util.Set<String> ids) {
        if (ids.isEmpty() || random.nextInt(15) == 0) return "missing";
        List<String> sorted = new ArrayList<>(ids);
        java.util.Collections.sort(sorted);
        return sorted.get(random.nextInt(sorted.size()));
    }

    static JsonObject replay(List<Event> events, JsonObject from, int start) {
        JsonObject state = from;
        for (int i = start; i < events.size(); i++)
            RoomReducer.apply(
                    state,
                    events.get(i).seq(),
                    events.get(i).type(),
                    events.get(i).data());
        return state;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void replayingFromAnySnapshotGivesTheSameState(long seed) {
        List<Event> events = play(seed, 150);
        JsonObject oneByOne = replay(events, RoomReducer.empty("r"), 0);
        Random random = new Random(seed * 31);
        for (int trial = 0; trial < 5; trial++) {
            int cut = events.isEmpty() ? 0 : random.nextInt(events.size() + 1);
            JsonObject atCut = replay(events.subList(0, cut), RoomReducer.empty("r"), 0);
            JsonObject snapshot = new JsonObject(atCut.encode()); // through its stored form, as PostgreSQL keeps it
            assertThat(replay(events, snapshot, cut).encode()).isEqualTo(oneByOne.encode());
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void patchesRebuildEachViewAndPlayerPatchesCarryNoSecret(long seed) {
        List<Event> events = play(seed, 150);
        JsonObject state = RoomReducer.empty("r");
        JsonObject gmView = RoomViews.gm(state);
        JsonObject playerView = RoomViews.player(state);
        JsonObject clientGm = gmView.copy();
        JsonObject clientPlayer = playerView.copy();
        for (Event event : events) {
            RoomReducer.apply(state, event.seq(), event.type(), event.data());
            JsonObject nextGm = RoomViews.gm(state);
            JsonObject nextPlayer = RoomViews.player(state);
            JsonObject playerPatch = RoomViews.diff(playerView, nextPlayer);
            RoomViews.applyPatch(clientGm, RoomViews.diff(gmView, nextGm));
            RoomViews.applyPatch(clientPlayer, playerPatch);
            assertNoSecret(state, playerPatch);
            gmView = nextGm;
            playerView = nextPlayer;
        }
        assertThat(clientGm).isEqualTo(RoomViews.gm(state));
        assertThat(clientPlayer).isEqualTo(RoomViews.player(state));
    }

    /** No hidden, fogged or off-scene token, no GM note and no other scene may appear in a player patch. */
    static void assertNoSecret(JsonObject state, JsonObject playerPatch) {
        String text = playerPatch.encode();
        String active = state.getString("activeScene");
        JsonObject scene = active == null ? null : state.getJsonObject("scenes").getJsonObject(active);
        state.getJsonObject("tokens").forEach(entry -> {
            if (secret(scene, (JsonObject) entry.getValue())) {
                assertThat(upserted(playerPatch, "tokens")).doesNotContain(entry.getKey());
            }
        });
        state.getJsonObject("notes").forEach(entry -> {
            JsonObject note = (JsonObject) entry.getValue();
            if (note.getBoolean("gmOnly"))
                assertThat(upserted(playerPatch, "notes")).doesNotContain(entry.getKey());
        });
        state.getJsonObject("scenes").fieldNames().forEach(id -> {
            if (!id.equals(active)) assertThat(upserted(playerPatch, "scenes")).doesNotContain(id);
        });
        assertThat(text).doesNotContain("\"gmOnly\":true");
    }

    /**
     * The test's own idea of a secret token, written apart from {@link RoomViews} so that a mistake there cannot
     * agree with itself: hidden, not on the shown scene, or under fog by the last fog operation covering its centre.
     */
    static boolean secret(JsonObject scene, JsonObject token) {
        if (scene == null
                || token.getBoolean("hidden")
                || "gm".equals(token.getString("layer"))
                || !scene.getString("id").equals(token.getString("sceneId"))) return true;
        JsonObject fog = scene.getJsonObject("fog");
        if (!fog.getBoolean("enabled")) return false;
        boolean covered = "covered".equals(fog.getString("initial"));
        double x = token.getDouble("x"), y = token.getDouble("y");
        for (Object o : fog.getJsonArray("ops")) {
            JsonObject op = (JsonObject) o;
            if (inside(op.getJsonObject("shape"), x, y)) covered = "cover".equals(op.getString("op"));
        }
        return covered;
    }

    static boolean inside(JsonObject shape, double x, double y) {
        if ("rect".equals(shape.getString("kind"))) {
            double left = shape.getDouble("x"), top = shape.getDouble("y");
            return left <= x && x <= left + shape.getDouble("w") && top <= y && y <= top + shape.getDouble("h");
        }
        // Winding number: an independent point-in-polygon test.
        JsonArray p = shape.getJsonArray("points");
        int winding = 0;
        for (int i = 0; i < p.size(); i++) {
            double ax = p.getJsonArray(i).getDouble(0), ay = p.getJsonArray(i).getDouble(1);
            double bx = p.getJsonArray((i + 1) % p.size()).getDouble(0),
                    by = p.getJsonArray((i + 1) % p.size()).getDouble(1);
            double cross = (bx - ax) * (y - ay) - (x - ax) * (by - ay);
            if (ay <= y && by > y && cross > 0) winding++;
            else if (ay > y && by <= y && cross < 0) winding--;
        }
        return winding != 0;
    }

    static List<String> upserted(JsonObject patch, String collection) {
        JsonArray entries = patch.getJsonObject("upsert", new JsonObject()).getJsonArray(collection, new JsonArray());
        return entries.stream().map(e -> ((JsonObject) e).getString("id")).toList();
    }
}
