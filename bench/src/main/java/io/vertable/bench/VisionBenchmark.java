package io.vertable.bench;

import io.vertable.shared.RoomRole;
import io.vertable.shared.room.RoomCommands;
import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.room.RoomViews;
import io.vertable.shared.room.Vision;
import io.vertable.shared.wire.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Server-side vision, as the room owner runs it, on one thread:
 *
 * <ul>
 *   <li>{@code moveAndViews}: one token moves to a new place (so its sight polygon is not cached); then what the room
 *       owner does for that event — the explored cells it adds, the GM view, the shared player view and the six
 *       players' own views, each diffed against the one before. A dark 100×100-cell scene with 1,000 wall segments
 *       (rooms and corridors), 20 lights, 6 players' tokens seeing the whole scene, 40 monsters and 100 drawings.
 *   <li>{@code loadRoom}: a 10,000-event room of that scene (walls, lights, tokens, then moves with their explored
 *       cells) replayed from nothing into a state and joined by the six players, under a fresh room id so no
 *       geometry is cached.
 * </ul>
 *
 * Run: {@code java -jar bench/target/vertable-bench.jar VisionBenchmark} (sample mode: percentiles per operation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VisionBenchmark {

    static final double SIDE = 5_000;
    static final double CELL = 50;
    static final int PLAYERS = 6;
    static final Actor GM = new Actor("gm", RoomRole.GM);

    private JsonObject state;
    private final Map<String, JsonObject> views = new HashMap<>();
    private JsonObject gmView;
    private JsonObject playerView;
    private final List<String> heroes = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(7);
    private List<JsonObject> log;
    private int rooms;

    @Setup(Level.Trial)
    public void setUp() {
        Room room = new Room("bench-room");
        room.build(random, 10_000);
        state = room.state;
        log = room.log;
        heroes.addAll(room.heroes);
        Vision vision = Vision.of(state);
        gmView = RoomViews.gm(state);
        playerView = RoomViews.player(state, vision, null);
        for (String user : vision.players()) views.put(user, RoomViews.player(state, vision, user));
    }

    /**
     * Warmed up for 30 s: on one core the JIT keeps compiling JTS's rarer paths (the light pieces' overlays) for about
     * 20 s, and a shorter warm-up measures the compiler thread taking the core, not the move.
     */
    @Benchmark
    @Warmup(iterations = 6, time = 5)
    public int moveAndViews() {
        String tokenId = heroes.get(random.nextInt(heroes.size()));
        JsonObject token = state.getJsonObject("tokens").getJsonObject(tokenId);
        double x = Math.max(25, Math.min(SIDE - 25, token.getDouble("x") + random.nextDouble(-60, 60)));
        double y = Math.max(25, Math.min(SIDE - 25, token.getDouble("y") + random.nextDouble(-60, 60)));
        return events(new Change(
                io.vertable.shared.wire.EventType.TOKEN_MOVED,
                new JsonObject().put("tokenId", tokenId).put("x", x).put("y", y)));
    }

    /**
     * What the room owner does per accepted change: apply it, add what players now see to what they explored (events
     * of their own, right after it), then every view and its patch.
     */
    private int events(Change first) {
        Deque<Change> changes = new ArrayDeque<>(List.of(first));
        int size = 0;
        while (!changes.isEmpty()) {
            Change change = changes.poll();
            RoomReducer.apply(state, state.getLong("seq") + 1, change.type(), change.data());
            Vision vision = Vision.of(state);
            if (!EventType.EXPLORED_ADDED.wire().equals(change.type()))
                vision.exploredChanges().forEach(changes::addFirst);
            String onlyViewOf = RoomViews.onlyViewOf(change.type(), change.data());
            size += onlyViewOf != null && vision.players().equals(views.keySet())
                    ? view(vision, onlyViewOf)
                    : views(vision);
        }
        return size;
    }

    /** An event that changes one player's view alone: theirs rebuilt and diffed, as the room owner does. */
    private int view(Vision vision, String user) {
        JsonObject mine = RoomViews.player(state, vision, user);
        int size = RoomViews.diff(views.getOrDefault(user, playerView), mine).size();
        views.put(user, mine);
        return size;
    }

    private int views(Vision vision) {
        JsonObject gm = RoomViews.gm(state);
        JsonObject players = RoomViews.player(state, vision, null);
        int size = RoomViews.diff(gmView, gm).size()
                + RoomViews.diff(playerView, players).size();
        gmView = gm;
        playerView = players;
        for (String user : vision.players()) {
            JsonObject mine = RoomViews.player(state, vision, user);
            size += RoomViews.diff(views.getOrDefault(user, playerView), mine).size();
            views.put(user, mine);
        }
        return size;
    }

    @Benchmark
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 10)
    public int loadRoom() {
        JsonObject loaded = RoomReducer.empty("bench-load-" + rooms++);
        for (JsonObject event : log)
            RoomReducer.apply(loaded, event.getLong("seq"), event.getString("type"), event.getJsonObject("data"));
        Vision vision = Vision.of(loaded);
        int size = RoomViews.gm(loaded).size()
                + RoomViews.player(loaded, vision, null).size();
        for (String user : vision.players())
            size += RoomViews.player(loaded, vision, user).size();
        return size;
    }

    /** A room built by commands, as the owner would: each accepted event applied, explored cells after it. */
    static final class Room {
        final JsonObject state;
        final List<JsonObject> log = new ArrayList<>();
        final List<String> heroes = new ArrayList<>();
        final AtomicInteger ids = new AtomicInteger();
        String sceneId;

        Room(String roomId) {
            state = RoomReducer.empty(roomId);
        }

        void build(SplittableRandom random, int events) {
            decide(
                    GM,
                    "scene.create",
                    new JsonObject()
                            .put("name", "dungeon")
                            .put("width", SIDE)
                            .put("height", SIDE)
                            .put("grid", new JsonObject().put("size", CELL)));
            sceneId = state.getString("activeScene");
            // 250 walls of 4 segments: rooms and corridor bends on the grid.
            for (int w = 0; w < 250; w++) {
                double x = CELL * random.nextInt(1, 99), y = CELL * random.nextInt(1, 99);
                JsonArray points = new JsonArray().add(new JsonArray().add(x).add(y));
                for (int s = 0; s < 4; s++) {
                    double step = CELL * random.nextInt(2, 6) * (random.nextBoolean() ? 1 : -1);
                    // Turned back at the scene's edge, so no segment has zero length.
                    if (s % 2 == 0) x = x + step < 0 || x + step > SIDE ? x - step : x + step;
                    else y = y + step < 0 || y + step > SIDE ? y - step : y + step;
                    points.add(new JsonArray().add(x).add(y));
                }
                String kind = w % 10 == 0 ? "door" : "wall";
                decide(
                        GM,
                        "wall.create",
                        new JsonObject()
                                .put("sceneId", sceneId)
                                .put("kind", kind)
                                .put("points", points));
            }
            for (int l = 0; l < 20; l++)
                decide(
                        GM,
                        "light.create",
                        new JsonObject()
                                .put("sceneId", sceneId)
                                .put("x", random.nextDouble(SIDE))
                                .put("y", random.nextDouble(SIDE))
                                .put("bright", 3)
                                .put("dim", 6));
            for (int p = 0; p < PLAYERS; p++)
                decide(
                        GM,
                        "token.create",
                        new JsonObject()
                                .put("sceneId", sceneId)
                                .put("name", "hero " + p)
                                .put("x", 25 + CELL * random.nextInt(100))
                                .put("y", 25 + CELL * random.nextInt(100))
                                .put("owners", new JsonArray().add("p" + p))
                                .put("sight", new JsonObject().put("darkvision", 12)),
                        Set.of("p" + p));
            state.getJsonObject("tokens").fieldNames().forEach(heroes::add);
            for (int m = 0; m < 40; m++)
                decide(
                        GM,
                        "token.create",
                        new JsonObject()
                                .put("sceneId", sceneId)
                                .put("name", "monster " + m)
                                .put("x", random.nextDouble(SIDE))
                                .put("y", random.nextDouble(SIDE)));
            for (int d = 0; d < 100; d++)
                decide(
                        GM,
                        "drawing.create",
                        new JsonObject()
                                .put("sceneId", sceneId)
                                .put("kind", "line")
                                .put(
                                        "points",
                                        new JsonArray()
                                                .add(new JsonArray()
                                                        .add(random.nextDouble(SIDE))
                                                        .add(random.nextDouble(SIDE)))
                                                .add(new JsonArray()
                                                        .add(random.nextDouble(SIDE))
                                                        .add(random.nextDouble(SIDE)))));
            decide(
                    GM,
                    "scene.update",
                    new JsonObject().put("sceneId", sceneId).put("vision", true).put("darkness", 0.8));
            while (log.size() < events) {
                String hero = heroes.get(random.nextInt(heroes.size()));
                JsonObject token = state.getJsonObject("tokens").getJsonObject(hero);
                decide(
                        GM,
                        "token.move",
                        new JsonObject()
                                .put("tokenId", hero)
                                .put(
                                        "x",
                                        Math.max(
                                                25,
                                                Math.min(
                                                        SIDE - 25,
                                                        token.getDouble("x") + CELL * random.nextInt(-2, 3))))
                                .put(
                                        "y",
                                        Math.max(
                                                25,
                                                Math.min(
                                                        SIDE - 25,
                                                        token.getDouble("y") + CELL * random.nextInt(-2, 3)))));
            }
        }

        void decide(Actor actor, String op, JsonObject body) {
            decide(actor, op, body, Set.of());
        }

        void decide(Actor actor, String op, JsonObject body, Set<String> members) {
            Decision decision =
                    RoomCommands.decide(state, op, body, actor, () -> "b" + ids.incrementAndGet(), members::contains);
            if (!decision.accepted()) throw new IllegalStateException(op + ": " + decision.failure());
            for (Change change : decision.changes()) {
                apply(change);
                Vision vision = Vision.of(state);
                if (vision != null) vision.exploredChanges().forEach(this::apply);
            }
        }

        void apply(Change change) {
            long seq = state.getLong("seq") + 1;
            RoomReducer.apply(state, seq, change.type(), change.data());
            log.add(new JsonObject().put("seq", seq).put("type", change.type()).put("data", change.data()));
        }
    }
}
