package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.RoomRole;
import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random scenes (walls of every kind, lights, darkness) and random play (players walking their tokens, the GM moving
 * monsters, working doors, drawing, lighting), decided and applied as the map verticle does — explored cells added
 * after each event, each player's view diffed into patches. An independent oracle checks every patch: a brute-force
 * sampler that tests the line of sight against every wall segment, with no index and no polygon. It holds that
 *
 * <ul>
 *   <li>no patch to a player carries a token the player cannot see now (own tokens aside), nor a drawing or door with
 *       no point the player sees now or saw before (their explored area, sampled by the oracle at each cell centre);
 *   <li>no player move that the server accepted crosses or touches a wall that stops movement, and a move clear of
 *       every wall by more than a pixel is accepted;
 *   <li>the caches (sight polygons, explored cells, parts of player views) change nothing: after every event, the same
 *       state computed with every cache cold gives the same explored cells and views — walls, doors, lights moving
 *       or going, drawings removed and explored cells reset included.
 * </ul>
 *
 * "Cannot see" is robust: the point and its four neighbours a pixel away are all hidden to the oracle, so the
 * rays cast an epsilon past wall ends (a fraction of a pixel at these distances) cannot make a false alarm.
 */
class VisionPropertiesTest {

    static final double SIDE = 1_000;
    static final double CELL = 50;
    static final List<String> PLAYERS = List.of("p1", "p2");
    static final AtomicInteger FRESH_ROOMS = new AtomicInteger();

    static Stream<Long> seeds() {
        return Stream.iterate(1L, s -> s + 1).limit(80);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void playersReceiveOnlyWhatTheirTokensSeeAndNoMoveCrossesAWall(long seed) {
        new Game(seed).play(80);
    }

    static final class Game {
        final Random random;
        final AtomicInteger ids = new AtomicInteger();
        final JsonObject state = RoomReducer.empty("room-" + ids.hashCode());
        final Map<String, JsonObject> views = new HashMap<>();
        /** Each player's view as their browser holds it: every patch applied to a copy of the first view. */
        final Map<String, JsonObject> clients = new HashMap<>();
        /** Per player, the explored cells the oracle has seen them see (centres, robustly or not). */
        final Map<String, Set<Integer>> oracleExplored = new HashMap<>();

        final Actor gm = new Actor("gm", RoomRole.GM);
        String sceneId;
        int acceptedMoves;
        int blockedMoves;

        Game(long seed) {
            this.random = new Random(seed);
        }

        void play(int steps) {
            setUp();
            for (int i = 0; i < steps; i++) step();
            assertThat(acceptedMoves + blockedMoves).isPositive();
        }

        void setUp() {
            decide(
                    gm,
                    "scene.create",
                    new JsonObject()
                            .put("name", "cave")
                            .put("width", SIDE)
                            .put("height", SIDE)
                            .put("grid", new JsonObject().put("size", CELL)));
            sceneId = state.getString("activeScene");
            int walls = 3 + random.nextInt(12);
            for (int i = 0; i < walls; i++) randomWall();
            for (String player : PLAYERS) {
                for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                    JsonObject token = new JsonObject()
                            .put("sceneId", sceneId)
                            .put("name", player)
                            .put("x", coordinate())
                            .put("y", coordinate())
                            .put("owners", new JsonArray().add(player));
                    if (random.nextBoolean())
                        token.put(
                                "sight",
                                new JsonObject()
                                        .put("range", 2 + random.nextInt(10))
                                        .put("darkvision", random.nextInt(4)));
                    decide(gm, "token.create", token, Set.of(player));
                }
            }
            for (int i = 0, n = 2 + random.nextInt(6); i < n; i++) monster();
            decide(
                    gm,
                    "scene.update",
                    new JsonObject()
                            .put("sceneId", sceneId)
                            .put("vision", true)
                            .put("darkness", random.nextBoolean() ? 0.0 : 0.8));
        }

        void randomWall() {
            String kind = List.of("wall", "wall", "door", "window", "terrain").get(random.nextInt(5));
            JsonArray points = new JsonArray();
            double x = coordinate(), y = coordinate();
            points.add(new JsonArray().add(x).add(y));
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                // Mostly along the grid, as walls are drawn; sometimes slanted.
                if (random.nextInt(3) > 0) {
                    if (random.nextBoolean()) x = clamp(x + (random.nextInt(9) - 4) * CELL);
                    else y = clamp(y + (random.nextInt(9) - 4) * CELL);
                } else {
                    x = coordinate();
                    y = coordinate();
                }
                JsonArray last = points.getJsonArray(points.size() - 1);
                if (last.getDouble(0) == x && last.getDouble(1) == y) continue;
                points.add(new JsonArray().add(x).add(y));
            }
            if (points.size() < 2) return;
            JsonObject wall =
                    new JsonObject().put("sceneId", sceneId).put("kind", kind).put("points", points);
            if (kind.equals("door"))
                wall.put("door", List.of("open", "closed", "locked").get(random.nextInt(3)));
            decide(gm, "wall.create", wall);
        }

        void monster() {
            decide(
                    gm,
                    "token.create",
                    new JsonObject()
                            .put("sceneId", sceneId)
                            .put("name", "monster")
                            .put("x", coordinate())
                            .put("y", coordinate())
                            .put(
                                    "light",
                                    random.nextInt(4) == 0
                                            ? new JsonObject().put("bright", 1).put("dim", 3)
                                            : null));
        }

        double coordinate() {
            // Whole and half cells mostly (where walls and tokens meet in play), anything sometimes.
            return random.nextInt(4) == 0 ? random.nextDouble() * SIDE : Math.round(random.nextDouble() * 40) * 25.0;
        }

        static double clamp(double v) {
            return Math.max(0, Math.min(SIDE, v));
        }

        void step() {
            int dice = random.nextInt(24);
            if (dice < 10) playerMove();
            else if (dice < 13) gmMove();
            else if (dice < 15) door();
            else if (dice < 17) drawing();
            else if (dice < 18) light();
            else if (dice < 19) randomWall();
            else if (dice < 20)
                decide(
                        gm,
                        "scene.update",
                        new JsonObject().put("sceneId", sceneId).put("darkness", random.nextBoolean() ? 0.0 : 0.9));
            else if (dice < 21) removeOne("drawings", "drawing.remove", "drawingId");
            else if (dice < 22) moveLight();
            else if (dice < 23) removeOne("lights", "light.remove", "lightId");
            else
                decide(
                        gm,
                        "explored.reset",
                        random.nextBoolean()
                                ? new JsonObject().put("sceneId", sceneId)
                                : new JsonObject().put("sceneId", sceneId).put("userId", PLAYERS.get(0)));
        }

        /** The GM removes one of the collection's entries (by sorted id, so the game stays reproducible). */
        void removeOne(String collection, String op, String idField) {
            List<String> ids = new ArrayList<>(
                    state.getJsonObject(collection, new JsonObject()).fieldNames());
            if (ids.isEmpty()) return;
            java.util.Collections.sort(ids);
            decide(gm, op, new JsonObject().put(idField, ids.get(random.nextInt(ids.size()))));
        }

        void moveLight() {
            List<String> ids = new ArrayList<>(Walls.lights(state).fieldNames());
            if (ids.isEmpty()) return;
            java.util.Collections.sort(ids);
            decide(
                    gm,
                    "light.update",
                    new JsonObject()
                            .put("lightId", ids.get(random.nextInt(ids.size())))
                            .put("x", coordinate())
                            .put("y", coordinate()));
        }

        void playerMove() {
            String player = PLAYERS.get(random.nextInt(PLAYERS.size()));
            List<JsonObject> mine = tokensOf(player);
            if (mine.isEmpty()) return;
            JsonObject token = mine.get(random.nextInt(mine.size()));
            double x0 = token.getDouble("x"), y0 = token.getDouble("y");
            // Short steps mostly (walking down corridors), long jumps sometimes.
            double x = random.nextInt(3) > 0 ? clamp(x0 + (random.nextInt(5) - 2) * CELL) : coordinate();
            double y = random.nextInt(3) > 0 ? clamp(y0 + (random.nextInt(5) - 2) * CELL) : coordinate();
            Decision decision = decide(
                    new Actor(player, RoomRole.PLAYER),
                    "token.move",
                    new JsonObject()
                            .put("tokenId", token.getString("id"))
                            .put("x", x)
                            .put("y", y));
            Oracle oracle = new Oracle(state, sceneId);
            if (decision.accepted()) {
                acceptedMoves++;
                assertThat(oracle.moveBlocked(x0, y0, x, y, 0))
                        .as("accepted move (%s,%s)->(%s,%s) crosses a wall", x0, y0, x, y)
                        .isFalse();
            } else {
                assertThat(decision.failure().code()).isEqualTo(ErrorCode.MOVE_BLOCKED);
                blockedMoves++;
                assertThat(oracle.moveBlocked(x0, y0, x, y, 1))
                        .as("refused move (%s,%s)->(%s,%s) is clear of every wall", x0, y0, x, y)
                        .isTrue();
            }
        }

        void gmMove() {
            List<String> tokens = new ArrayList<>(state.getJsonObject("tokens").fieldNames());
            java.util.Collections.sort(tokens);
            decide(
                    gm,
                    "token.move",
                    new JsonObject()
                            .put("tokenId", tokens.get(random.nextInt(tokens.size())))
                            .put("x", coordinate())
                            .put("y", coordinate()));
        }

        void door() {
            List<String> doors = new ArrayList<>();
            Walls.walls(state).forEach(e -> {
                if ("door".equals(((JsonObject) e.getValue()).getString("kind"))) doors.add(e.getKey());
            });
            if (doors.isEmpty()) return;
            java.util.Collections.sort(doors);
            decide(
                    gm,
                    "door.set",
                    new JsonObject()
                            .put("wallId", doors.get(random.nextInt(doors.size())))
                            .put("door", List.of("open", "closed", "locked").get(random.nextInt(3))));
        }

        void drawing() {
            decide(
                    gm,
                    "drawing.create",
                    new JsonObject()
                            .put("sceneId", sceneId)
                            .put("kind", "line")
                            .put(
                                    "points",
                                    new JsonArray()
                                            .add(new JsonArray()
                                                    .add(coordinate())
                                                    .add(coordinate()))
                                            .add(new JsonArray()
                                                    .add(coordinate())
                                                    .add(coordinate()))));
        }

        void light() {
            decide(
                    gm,
                    "light.create",
                    new JsonObject()
                            .put("sceneId", sceneId)
                            .put("x", coordinate())
                            .put("y", coordinate())
                            .put("bright", 1)
                            .put("dim", 1 + random.nextInt(6)));
        }

        List<JsonObject> tokensOf(String player) {
            List<JsonObject> out = new ArrayList<>();
            List<String> ids = new ArrayList<>(state.getJsonObject("tokens").fieldNames());
            java.util.Collections.sort(ids);
            for (String id : ids) {
                JsonObject token = state.getJsonObject("tokens").getJsonObject(id);
                if (token.getJsonArray("owners").contains(player)) out.add(token);
            }
            return out;
        }

        Decision decide(Actor actor, String op, JsonObject body) {
            return decide(actor, op, body, Set.of());
        }

        /** As the room owner: decide, apply each event, add what players now see to their explored cells, diff. */
        Decision decide(Actor actor, String op, JsonObject body, Set<String> members) {
            Decision decision =
                    RoomCommands.decide(state, op, body, actor, () -> "id" + ids.incrementAndGet(), members::contains);
            for (Change change : decision.changes()) {
                apply(change);
                Vision vision = Vision.of(state);
                if (vision != null) {
                    List<Change> explored = vision.exploredChanges();
                    checkCachesAgree(vision, explored);
                    explored.forEach(this::applyChangingOneView);
                }
                checkPatches();
            }
            return decision;
        }

        /**
         * The cached geometry and view parts change nothing: the same state under a room id never seen (so every
         * cache misses and everything is computed afresh) gives the same explored cells and the same views.
         */
        void checkCachesAgree(Vision vision, List<Change> explored) {
            JsonObject fresh = state.copy().put("room", "fresh-" + FRESH_ROOMS.incrementAndGet());
            Vision cold = Vision.of(fresh);
            assertThat(explored).as("explored cells from cached polygons").isEqualTo(cold.exploredChanges());
            for (String player : List.of(PLAYERS.get(0), PLAYERS.get(1), "nobody"))
                assertThat(RoomViews.player(state, vision, player))
                        .as("%s's view from cached parts", player)
                        .isEqualTo(RoomViews.player(fresh, cold, player));
            assertThat(RoomViews.player(state, vision, null)).isEqualTo(RoomViews.player(fresh, cold, null));
            assertThat(RoomViews.gm(state)).isEqualTo(RoomViews.gm(fresh));
        }

        /**
         * Applies an event that {@link RoomViews#onlyViewOf} says changes one player's view alone (the room owner then
         * rebuilds only that one), and checks that every other view — the GM's, the shared one, each other player's —
         * is the same after it.
         */
        void applyChangingOneView(Change change) {
            String only = RoomViews.onlyViewOf(change.type(), change.data());
            assertThat(only).as("the player whose explored cells grow").isNotNull();
            Map<String, JsonObject> before = everyView();
            apply(change);
            Map<String, JsonObject> after = everyView();
            before.remove(only);
            after.remove(only);
            assertThat(after)
                    .as("views other than %s's after %s", only, change.data())
                    .isEqualTo(before);
        }

        /** The GM's view, the shared player view and each player's own, computed afresh. */
        Map<String, JsonObject> everyView() {
            Vision vision = Vision.of(state);
            Map<String, JsonObject> all = new java.util.HashMap<>();
            all.put("<gm>", RoomViews.gm(state));
            all.put("<players>", RoomViews.player(state, vision, null));
            for (String player : PLAYERS) all.put(player, RoomViews.player(state, vision, player));
            return all;
        }

        void apply(Change change) {
            RoomReducer.apply(state, state.getLong("seq") + 1, change.type(), change.data());
        }

        /** Each player's patch for this event, checked against the oracle, then applied to their copy. */
        void checkPatches() {
            Vision vision = Vision.of(state);
            Oracle oracle = sceneId == null ? null : new Oracle(state, sceneId);
            for (String player : PLAYERS) {
                if (oracle != null && vision != null) oracle.explore(player, oracleExplored);
                JsonObject now = RoomViews.player(state, vision, player);
                JsonObject before = views.getOrDefault(player, RoomViews.player(RoomReducer.empty("x")));
                JsonObject patch = RoomViews.diff(before, now);
                views.put(player, now);
                // Views share unchanged parts with the views before them (tokens, drawings, masks): the patches must
                // still rebuild the view exactly, as they would not if a shared part had been changed in place.
                JsonObject client = clients.computeIfAbsent(player, p -> before.copy());
                RoomViews.applyPatch(client, patch);
                assertThat(withoutNulls(client))
                        .as("%s's view rebuilt from patches", player)
                        .isEqualTo(withoutNulls(now));
                if (vision == null) continue;
                JsonObject upsert = patch.getJsonObject("upsert", new JsonObject());
                for (Object t : upsert.getJsonArray("tokens", new JsonArray())) {
                    JsonObject token = (JsonObject) t;
                    if (token.getJsonArray("owners").contains(player)) continue;
                    assertThat(oracle.robustlyHidden(player, token.getDouble("x"), token.getDouble("y")))
                            .as(
                                    "token %s at (%s,%s) sent to %s",
                                    token.getString("id"), token.getValue("x"), token.getValue("y"), player)
                            .isFalse();
                }
                for (String collection : List.of("drawings", "walls")) {
                    for (Object d : upsert.getJsonArray(collection, new JsonArray())) {
                        JsonObject shape = (JsonObject) d;
                        Oracle seeing = collection.equals("walls") ? oracle.without(shape.getString("id")) : oracle;
                        assertThat(seeing.anyPointKnown(player, shape, oracleExplored.get(player)))
                                .as("%s %s sent to %s", collection, shape.encode(), player)
                                .isTrue();
                    }
                }
            }
        }
    }

    /** A view as the browser reads it: a field set to null is one left out. */
    static Object withoutNulls(Object value) {
        if (value instanceof JsonObject object) {
            Map<String, Object> out = new java.util.TreeMap<>();
            object.forEach(e -> {
                if (e.getValue() != null) out.put(e.getKey(), withoutNulls(e.getValue()));
            });
            return out;
        }
        if (value instanceof JsonArray array)
            return array.stream().map(VisionPropertiesTest::withoutNulls).toList();
        return value;
    }

    /** Brute force over every wall segment of the scene, straight from the state: no index, no polygons. */
    static final class Oracle {
        final JsonObject state;
        final JsonObject scene;
        final List<double[]> walls = new ArrayList<>(); // x1, y1, x2, y2, sight (0 none, 1 full, 2 terrain), move
        final double grid;

        Oracle(JsonObject state, String sceneId) {
            this(state, sceneId, null);
        }

        /** The oracle with one wall left out: a door is seen when its face is, though it stands in its own way. */
        Oracle without(String wallId) {
            return new Oracle(state, scene.getString("id"), wallId);
        }

        Oracle(JsonObject state, String sceneId, String leftOut) {
            this.state = state;
            this.scene = state.getJsonObject("scenes").getJsonObject(sceneId);
            this.grid = scene.getJsonObject("grid").getDouble("size");
            Walls.walls(state).forEach(e -> {
                JsonObject wall = (JsonObject) e.getValue();
                if (!sceneId.equals(wall.getString("sceneId")) || e.getKey().equals(leftOut)) return;
                String kind = wall.getString("kind");
                boolean open = kind.equals("door") && "open".equals(wall.getString("door"));
                double sight = kind.equals("window") || open ? 0 : kind.equals("terrain") ? 2 : 1;
                double move = open || kind.equals("terrain") ? 0 : 1;
                JsonArray points = wall.getJsonArray("points");
                for (int i = 0; i + 1 < points.size(); i++) {
                    JsonArray a = points.getJsonArray(i), b = points.getJsonArray(i + 1);
                    walls.add(
                            new double[] {a.getDouble(0), a.getDouble(1), b.getDouble(0), b.getDouble(1), sight, move});
                }
            });
        }

        /** Whether some wall that stops movement comes within {@code slack} pixels of the path (0: touches it). */
        boolean moveBlocked(double ax, double ay, double bx, double by, double slack) {
            for (double[] w : walls) {
                if (w[5] == 0) continue;
                if (segmentDistance(ax, ay, bx, by, w) <= slack + 1e-9) return true;
            }
            return false;
        }

        /**
         * Whether sight goes from a to b: no wall meets the line (touching counts) short of b itself, so a point on a
         * wall's face is seen, as the surface of the wall is.
         */
        boolean lineClear(double ax, double ay, double bx, double by) {
            double length = Math.hypot(bx - ax, by - ay);
            if (length > 1e-6) {
                bx -= (bx - ax) / length * 1e-6;
                by -= (by - ay) / length * 1e-6;
            }
            int terrain = 0;
            for (double[] w : walls) {
                if (w[4] == 0 || !crosses(ax, ay, bx, by, w)) continue;
                if (w[4] == 1) return false;
                if (++terrain >= 2) return false;
            }
            return true;
        }

        boolean sees(String player, double x, double y) {
            boolean dark = scene.getDouble("darkness", 0.0) >= 0.5;
            JsonObject tokens = state.getJsonObject("tokens");
            for (String id : tokens.fieldNames()) {
                JsonObject token = tokens.getJsonObject(id);
                if (!token.getJsonArray("owners").contains(player) || token.getBoolean("hidden")) continue;
                if (!scene.getString("id").equals(token.getString("sceneId"))) continue;
                double tx = token.getDouble("x"), ty = token.getDouble("y");
                JsonObject sight = token.getJsonObject("sight", new JsonObject());
                double range = sight.getValue("range") == null ? Double.MAX_VALUE : sight.getDouble("range") * grid;
                double d = Math.hypot(x - tx, y - ty);
                if (d > range || !lineClear(tx, ty, x, y)) continue;
                if (!dark || d <= sight.getDouble("darkvision", 0.0) * grid || lit(x, y)) return true;
            }
            return false;
        }

        boolean lit(double x, double y) {
            List<double[]> lights = new ArrayList<>();
            Walls.lights(state).forEach(e -> {
                JsonObject l = (JsonObject) e.getValue();
                if (scene.getString("id").equals(l.getString("sceneId")))
                    lights.add(new double[] {l.getDouble("x"), l.getDouble("y"), l.getDouble("dim") * grid});
            });
            state.getJsonObject("tokens").forEach(e -> {
                JsonObject t = (JsonObject) e.getValue();
                JsonObject l = t.getJsonObject("light");
                if (l != null
                        && !t.getBoolean("hidden")
                        && scene.getString("id").equals(t.getString("sceneId")))
                    lights.add(new double[] {t.getDouble("x"), t.getDouble("y"), l.getDouble("dim") * grid});
            });
            for (double[] l : lights) {
                double d = Math.hypot(x - l[0], y - l[1]);
                // A light lights the point it stands on, even on a wall.
                if (d <= l[2] && (d == 0 || lineClear(l[0], l[1], x, y))) return true;
            }
            return false;
        }

        /** Seen neither at the point nor a pixel away in any direction. */
        boolean robustlyHidden(String player, double x, double y) {
            return !sees(player, x, y)
                    && !sees(player, x + 1, y)
                    && !sees(player, x - 1, y)
                    && !sees(player, x, y + 1)
                    && !sees(player, x, y - 1);
        }

        /** Samples every explored-grid cell centre: seen now (even barely) joins the player's explored set. */
        void explore(String player, Map<String, Set<Integer>> explored) {
            Set<Integer> mine = explored.computeIfAbsent(player, p -> new HashSet<>());
            double cell = Math.max(grid, Math.max(scene.getDouble("width"), scene.getDouble("height")) / 256);
            int cols = (int) Math.ceil(scene.getDouble("width") / cell);
            int rows = (int) Math.ceil(scene.getDouble("height") / cell);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) {
                    if (mine.contains(r * cols + c)) continue;
                    if (!robustlyHidden(player, (c + 0.5) * cell, (r + 0.5) * cell)) mine.add(r * cols + c);
                }
        }

        boolean anyPointKnown(String player, JsonObject shape, Set<Integer> explored) {
            double cell = Math.max(grid, Math.max(scene.getDouble("width"), scene.getDouble("height")) / 256);
            int cols = (int) Math.ceil(scene.getDouble("width") / cell);
            JsonArray points = shape.getJsonArray("points");
            List<double[]> samples = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                JsonArray p = points.getJsonArray(i);
                samples.add(new double[] {p.getDouble(0), p.getDouble(1)});
                if (i + 1 < points.size()) {
                    JsonArray q = points.getJsonArray(i + 1);
                    samples.add(
                            new double[] {(p.getDouble(0) + q.getDouble(0)) / 2, (p.getDouble(1) + q.getDouble(1)) / 2
                            });
                }
            }
            for (double[] s : samples) {
                if (!robustlyHidden(player, s[0], s[1])) return true;
                int c = (int) (s[0] / cell), r = (int) (s[1] / cell);
                if (s[0] >= 0 && s[1] >= 0 && c < cols && explored != null && explored.contains(r * cols + c))
                    return true;
            }
            return false;
        }

        /** Whether a→b meets the wall (touching counts), by orientation tests. */
        static boolean crosses(double ax, double ay, double bx, double by, double[] w) {
            return segmentDistance(ax, ay, bx, by, w) <= 1e-9;
        }

        static double segmentDistance(double ax, double ay, double bx, double by, double[] w) {
            double o1 = orient(ax, ay, bx, by, w[0], w[1]), o2 = orient(ax, ay, bx, by, w[2], w[3]);
            double o3 = orient(w[0], w[1], w[2], w[3], ax, ay), o4 = orient(w[0], w[1], w[2], w[3], bx, by);
            if (o1 * o2 < 0 && o3 * o4 < 0) return 0;
            return Math.min(
                    Math.min(pointDistance(w[0], w[1], ax, ay, bx, by), pointDistance(w[2], w[3], ax, ay, bx, by)),
                    Math.min(
                            pointDistance(ax, ay, w[0], w[1], w[2], w[3]),
                            pointDistance(bx, by, w[0], w[1], w[2], w[3])));
        }

        static double orient(double ax, double ay, double bx, double by, double px, double py) {
            return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
        }

        static double pointDistance(double px, double py, double ax, double ay, double bx, double by) {
            double dx = bx - ax, dy = by - ay;
            double len = dx * dx + dy * dy;
            double t = len == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
            return Math.hypot(ax + t * dx - px, ay + t * dy - py);
        }
    }
}
