package io.vertable.shared.room;

import io.vertable.shared.vision.SightCache;
import io.vertable.shared.vision.SightPolygon;
import io.vertable.shared.vision.WallIndex;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What each player's tokens see on the shown scene when its vision is on (docs/vision.md). A player sees a point
 * when one of their tokens has it inside its sight polygon (walls stop sight; a token sees its range in cells, or
 * the whole scene without one) and the point is lit: the scene is not dark (darkness below {@link #DARK_AT}), or the
 * point is within the token's darkvision, or inside a light's polygon (lights on the map and on tokens not hidden,
 * stopped by walls as sight is). What a player has seen stays explored: cells of a coarse grid, kept per player in
 * the room state.
 */
public final class Vision {

    /** Vertices the node's polygon cache holds at most: several hundred whole-scene polygons, thousands of lights. */
    static final long POLYGON_VERTICES = 1_000_000;
    /** Characters of mask outlines (and entries of other parts) the node's view-part cache holds at most. */
    static final long PART_CHARS = 16_000_000;

    /** From this darkness on, only lights and darkvision show anything. */
    public static final double DARK_AT = 0.5;
    /** The explored grid has at most this many cells a side (its cells grow on big scenes). */
    public static final int EXPLORED_MAX_SIDE = 256;

    private static final SightCache<WallIndex> INDEXES = new SightCache<>(64);
    /** Sight and light polygons, at most {@link #POLYGON_VERTICES} vertices in all (about 30 bytes each). */
    static final SightCache<SightPolygon> POLYGONS = new SightCache<>(8192, POLYGON_VERTICES, SightPolygon::size);

    private static final SightCache<BitSet> SEEN = new SightCache<>(1024);
    /**
     * Parts of player views (visible drawings, known doors, masks) by everything they are computed from; weighed by the
     * characters of their masks' outlines, so they do not keep alive the outlines of polygons long evicted.
     */
    static final SightCache<JsonObject> VIEW_PARTS = new SightCache<>(4096, PART_CHARS, Vision::weight);

    private final JsonObject state;
    private final String sceneId;
    private final JsonObject scene;
    private final WallIndex walls;
    private final String wallsKey;
    /** The lights' places and dim radii in order, {x, y, dim, …}: with the walls, what the lights depend on. */
    private final double[] lightsKey;

    private final double gridPx;
    private final double unlimited;
    private final boolean dark;
    private final List<Light> lights = new ArrayList<>();
    private final Map<String, PlayerSight> players = new LinkedHashMap<>();
    /** The tokens players may see at all ({@link RoomViews#visibleToPlayers}), in the state's order: one test per event. */
    private final List<Map.Entry<String, Object>> shownTokens = new ArrayList<>();

    final double exploredCell;
    final int cols;
    final int rows;

    private record Light(double x, double y, double dim, SightPolygon polygon) {}

    private record Eye(double x, double y, double darkvision, SightPolygon polygon) {}

    /** A view part's key: what else the part is made of, and the sight it was worked out for. */
    private record PartKey(String inputs, Object sight) {}

    /** A sight or light polygon's key: the walls' revision, the place and the range. */
    private record PolygonKey(String walls, double x, double y, double range) {}

    /**
     * What a player's sight depends on, as numbers (no decimal printing or long strings to hash per event): the walls'
     * revision, then {@code numbers} (darkness, explored grid, each light, each eye), and the explored cells' bits
     * when it keys parts that show remembered things. Arrays compare by content; the hash is worked out once.
     */
    static final class SightKey {
        private final String walls;
        private final double[] numbers;
        private final String explored;
        private final int hash;

        SightKey(String walls, double[] numbers, String explored) {
            this.walls = walls;
            this.numbers = numbers;
            this.explored = explored;
            this.hash = 31 * (31 * walls.hashCode() + Arrays.hashCode(numbers)) + Objects.hashCode(explored);
        }

        SightKey withExplored(String bits) {
            return new SightKey(walls, numbers, bits == null ? "-" : bits);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SightKey k
                    && hash == k.hash
                    && walls.equals(k.walls)
                    && Arrays.equals(numbers, k.numbers)
                    && Objects.equals(explored, k.explored);
        }
    }

    /** The vision of the shown scene, or null when no scene is shown or its vision is off. */
    public static Vision of(JsonObject state) {
        String active = state.getString("activeScene");
        JsonObject scene = active == null ? null : state.getJsonObject("scenes").getJsonObject(active);
        if (scene == null || !scene.getBoolean("vision", false)) return null;
        return new Vision(state, scene);
    }

    private Vision(JsonObject state, JsonObject scene) {
        this.state = state;
        this.sceneId = scene.getString("id");
        this.scene = scene;
        JsonObject grid = scene.getJsonObject("grid");
        this.gridPx = grid == null ? 70 : grid.getDouble("size", 70.0);
        double width = scene.getDouble("width"), height = scene.getDouble("height");
        this.unlimited = 2 * (width + height);
        this.dark = scene.getDouble("darkness", 0.0) >= DARK_AT;
        this.exploredCell = Math.max(gridPx, Math.max(width, height) / EXPLORED_MAX_SIDE);
        this.cols = (int) Math.ceil(width / exploredCell);
        this.rows = (int) Math.ceil(height / exploredCell);
        this.wallsKey = wallsKey(state, sceneId);
        this.walls = index(state, sceneId);
        if (dark) collectLights(scene);
        this.lightsKey = new double[lights.size() * 3];
        for (int i = 0; i < lights.size(); i++) {
            Light light = lights.get(i);
            lightsKey[3 * i] = light.x;
            lightsKey[3 * i + 1] = light.y;
            lightsKey[3 * i + 2] = light.dim;
        }
        collectEyes(scene);
    }

    private static String wallsKey(JsonObject state, String sceneId) {
        return state.getString("room") + ":" + sceneId + ":" + Walls.revision(state, sceneId);
    }

    /** The scene's walls as a searchable index, built once per revision of them. */
    public static WallIndex index(JsonObject state, String sceneId) {
        return INDEXES.get(wallsKey(state, sceneId), () -> new WallIndex(Walls.segments(state, sceneId)));
    }

    private void collectLights(JsonObject scene) {
        JsonObject all = state.getJsonObject("lights", new JsonObject());
        for (String id : all.fieldNames()) {
            JsonObject light = all.getJsonObject(id);
            if (sceneId.equals(light.getString("sceneId")))
                addLight(light.getDouble("x"), light.getDouble("y"), light.getDouble("dim"));
        }
        JsonObject tokens = state.getJsonObject("tokens");
        for (String id : tokens.fieldNames()) {
            JsonObject token = tokens.getJsonObject(id);
            JsonObject light = token.getJsonObject("light");
            if (light == null || !sceneId.equals(token.getString("sceneId")) || token.getBoolean("hidden", false))
                continue;
            addLight(token.getDouble("x"), token.getDouble("y"), light.getDouble("dim"));
        }
    }

    private void addLight(double x, double y, double dimCells) {
        double dim = dimCells * gridPx;
        if (dim <= 0) return;
        lights.add(new Light(x, y, dim, polygon(x, y, dim)));
    }

    private SightPolygon polygon(double x, double y, double range) {
        return POLYGONS.get(new PolygonKey(wallsKey, x, y, range), () -> SightPolygon.cast(walls, x, y, range));
    }

    /** Each player owning a token they can see on the scene looks through it. */
    private void collectEyes(JsonObject scene) {
        JsonObject tokens = state.getJsonObject("tokens");
        for (Map.Entry<String, Object> entry : tokens) {
            JsonObject token = (JsonObject) entry.getValue();
            if (!RoomViews.visibleToPlayers(scene, token)) continue;
            // The entry's own copy: the map's entries change in place when the reducer replaces a token.
            shownTokens.add(Map.entry(entry.getKey(), token));
            JsonArray owners = token.getJsonArray("owners");
            if (owners == null || owners.isEmpty()) continue;
            JsonObject sight = token.getJsonObject("sight", new JsonObject());
            Double rangeCells = sight.getDouble("range");
            double range = rangeCells == null ? unlimited : rangeCells * gridPx;
            double x = token.getDouble("x"), y = token.getDouble("y");
            Eye eye = new Eye(x, y, sight.getDouble("darkvision", 0.0) * gridPx, polygon(x, y, range));
            for (Object owner : owners) player((String) owner).eyes.add(eye);
        }
        JsonObject explored = exploredOfScene(state, sceneId);
        if (explored != null) explored.fieldNames().forEach(this::player);
    }

    private PlayerSight player(String userId) {
        return players.computeIfAbsent(userId, PlayerSight::new);
    }

    /** Players who get a view of their own: those who look through a token here or remember parts of the scene. */
    public java.util.Set<String> players() {
        return players.keySet();
    }

    /** One player's sight (an empty one for a player with no token and no memory here). */
    public PlayerSight of(String userId) {
        PlayerSight found = players.get(userId);
        return found != null ? found : new PlayerSight(userId);
    }

    /**
     * The tokens on the shown scene that are neither hidden nor under fog (each player sees some of them), or null when
     * asked about another state than this vision's.
     */
    List<Map.Entry<String, Object>> shownTokens(JsonObject of) {
        return of == state ? shownTokens : null;
    }

    /**
     * The shown scene as players get it ({@link RoomViews#playerScene}), copied once for every view of this state (do
     * not change it), or null when asked about another state.
     */
    JsonObject playerScene(JsonObject of) {
        if (of != state) return null;
        if (playerScene == null) playerScene = RoomViews.playerScene(scene);
        return playerScene;
    }

    private JsonObject playerScene;

    public String sceneId() {
        return sceneId;
    }

    public boolean dark() {
        return dark;
    }

    public WallIndex walls() {
        return walls;
    }

    /** What one player sees and remembers. */
    public final class PlayerSight {
        private final String userId;
        private final List<Eye> eyes = new ArrayList<>();
        private BitSet remembered;
        private SightKey seeingKey;
        private SightKey key;

        private PlayerSight(String userId) {
            this.userId = userId;
        }

        /**
         * Everything what this player sees now depends on: the walls, the lights, the darkness, the explored grid, each
         * eye's place, range and darkvision. Two sights with one such key see the same points.
         */
        private SightKey seeingKey() {
            if (seeingKey != null) return seeingKey;
            double[] numbers = new double[5 + lightsKey.length + 4 * eyes.size()];
            numbers[0] = dark ? 1 : 0;
            numbers[1] = exploredCell;
            numbers[2] = cols;
            numbers[3] = rows;
            numbers[4] = lights.size();
            System.arraycopy(lightsKey, 0, numbers, 5, lightsKey.length);
            int n = 5 + lightsKey.length;
            for (Eye eye : eyes) {
                numbers[n++] = eye.x;
                numbers[n++] = eye.y;
                numbers[n++] = eye.polygon.range();
                numbers[n++] = eye.darkvision;
            }
            seeingKey = new SightKey(wallsKey, numbers, null);
            return seeingKey;
        }

        /** What this player sees now and remembers depends on: {@link #seeingKey()} and the explored cells. */
        SightKey key() {
            if (key != null) return key;
            JsonObject stored = storedExploredJson(userId);
            key = seeingKey().withExplored(stored == null ? null : stored.getString("bits"));
            return key;
        }

        /**
         * A part of this player's view, computed once for everyone whose sight has this key and the same
         * {@code inputs} (what else the part is made of, e.g. the drawings' revision). Parts are shared between views:
         * never change one.
         */
        JsonObject part(String inputs, java.util.function.Supplier<JsonObject> compute) {
            return VIEW_PARTS.get(new PartKey(inputs, key()), compute);
        }

        public boolean sees(JsonObject token) {
            return sees(token.getDouble("x"), token.getDouble("y"));
        }

        /** Whether any point of a drawing or wall ({@code points [[x, y], ...]}) is seen now or remembered. */
        public boolean seesAny(JsonObject shape) {
            JsonArray points = shape.getJsonArray("points");
            for (int i = 0; i < points.size(); i++) {
                JsonArray p = points.getJsonArray(i);
                if (seesOrRemembers(p.getDouble(0), p.getDouble(1))) return true;
                if (i + 1 < points.size()) {
                    // A door's middle: its ends often sit inside the walls beside it.
                    JsonArray q = points.getJsonArray(i + 1);
                    if (seesOrRemembers((p.getDouble(0) + q.getDouble(0)) / 2, (p.getDouble(1) + q.getDouble(1)) / 2))
                        return true;
                }
            }
            return false;
        }

        public boolean sees(double x, double y) {
            for (Eye eye : eyes) if (eye.polygon.contains(x, y) && lit(x, y, eye)) return true;
            return false;
        }

        /** Seen now, or in a cell explored before. */
        public boolean seesOrRemembers(double x, double y) {
            // The explored cell first: one bit, where seeing means a polygon test per eye (and per light in the dark).
            return remembers(x, y) || sees(x, y);
        }

        public boolean remembers(double x, double y) {
            int cell = cellOf(x, y);
            return cell >= 0 && remembered().get(cell);
        }

        private boolean lit(double x, double y, Eye eye) {
            if (!dark) return true;
            if (Math.hypot(x - eye.x, y - eye.y) <= eye.darkvision) return true;
            for (Light light : lights) if (light.polygon.contains(x, y)) return true;
            return false;
        }

        private BitSet remembered() {
            if (remembered == null) remembered = storedExplored(userId);
            return remembered;
        }

        /** The explored cells whose centres this player sees now (cached by what they depend on). */
        BitSet seenCells() {
            if (eyes.isEmpty()) return new BitSet();
            return SEEN.get(seeingKey(), this::scanSeen);
        }

        private BitSet scanSeen() {
            BitSet seen = new BitSet(cols * rows);
            for (Eye eye : eyes) {
                eye.polygon.scan(exploredCell, cols, rows, (row, from, to) -> {
                    double cy = (row + 0.5) * exploredCell;
                    for (int c = from; c <= to; c++) {
                        int index = row * cols + c;
                        if (!seen.get(index) && lit((c + 0.5) * exploredCell, cy, eye)) seen.set(index);
                    }
                });
            }
            return seen;
        }

        /**
         * The outlines drawn as this player's mask: their tokens' sight polygons, and in the dark only the parts of them
         * that are lit or within darkvision ({@link SeenArea}), so no outline shows a wall they cannot see.
         */
        public JsonObject mask() {
            return sharedMask().copy();
        }

        /** The mask as a view holds it: shared by every view of this sight (do not change it). */
        JsonObject sharedMask() {
            // Explored cells do not change the mask: keyed without them, so a step into the dark adds no new entry.
            return VIEW_PARTS.get(new PartKey("mask", seeingKey()), this::computeMask);
        }

        private JsonObject computeMask() {
            JsonArray sight = new JsonArray();
            JsonArray holes = new JsonArray(); // [index of the outline in sight, path]: dark inside a lit piece
            List<SightPolygon> lit = dark ? lights.stream().map(Light::polygon).toList() : List.of();
            for (Eye eye : eyes) {
                if (!dark) sight.add(flat(eye.polygon));
                else
                    for (String path : SeenArea.paths(eye.polygon, darkness(eye), wallsKey, lit)) {
                        if (path.charAt(0) != SeenArea.HOLE) sight.add(path);
                        else holes.add(new JsonArray().add(sight.size() - 1).add(path.substring(1)));
                    }
            }
            JsonObject mask = new JsonObject().put("sight", sight).put("dark", dark);
            return holes.isEmpty() ? mask : mask.put("holes", holes);
        }

        /**
         * What the eye sees within its darkvision, or null without: its sight cast again with the darkvision as range
         * (or its own polygon when that reaches no further), cached as every sight polygon is.
         */
        private SightPolygon darkness(Eye eye) {
            if (eye.darkvision <= 0) return null;
            if (eye.darkvision >= eye.polygon.range()) return eye.polygon;
            return polygon(eye.x, eye.y, eye.darkvision);
        }

        /** The explored cells as the browser gets them, or null when there are none. */
        public JsonObject explored() {
            JsonObject stored = storedExploredJson(userId);
            return stored == null ? null : stored.copy();
        }
    }

    /** A view part's weight: the characters of a mask's outlines, or one per entry of drawings and doors. */
    private static long weight(JsonObject part) {
        if (!part.containsKey("sight")) return part.size();
        long chars = 0;
        JsonArray outlines = part.getJsonArray("sight");
        for (int i = 0; i < outlines.size(); i++) chars += outlines.getString(i).length();
        JsonArray holes = part.getJsonArray("holes");
        if (holes != null)
            for (int i = 0; i < holes.size(); i++)
                chars += holes.getJsonArray(i).getString(1).length();
        return chars;
    }

    private static String flat(SightPolygon polygon) {
        return polygon.path();
    }

    /** The explored cell holding the point, or -1 off the scene. */
    int cellOf(double x, double y) {
        if (x < 0 || y < 0) return -1;
        int c = (int) (x / exploredCell), r = (int) (y / exploredCell);
        return c >= cols || r >= rows ? -1 : r * cols + c;
    }

    // ---- explored areas in the state: {explored: {sceneId: {userId: {cell, cols, rows, bits}}}} ----

    static JsonObject exploredOfScene(JsonObject state, String sceneId) {
        JsonObject all = state.getJsonObject("explored");
        return all == null ? null : all.getJsonObject(sceneId);
    }

    private JsonObject storedExploredJson(String userId) {
        JsonObject scene = exploredOfScene(state, sceneId);
        JsonObject mine = scene == null || userId == null ? null : scene.getJsonObject(userId);
        if (mine == null || !sameGrid(mine)) return null;
        return mine;
    }

    private boolean sameGrid(JsonObject explored) {
        return explored.getDouble("cell") == exploredCell
                && explored.getInteger("cols") == cols
                && explored.getInteger("rows") == rows;
    }

    /**
     * A player's explored cells, decoded once per stored string (the state keeps that string until they change), for
     * every player on every event. Shared: never change one.
     */
    private BitSet storedExplored(String userId) {
        JsonObject mine = storedExploredJson(userId);
        if (mine == null) return new BitSet();
        String bits = mine.getString("bits");
        return DECODED.get(bits, () -> BitSet.valueOf(Base64.getDecoder().decode(bits)));
    }

    /** Decoded explored cells by their stored string. */
    private static final SightCache<BitSet> DECODED = new SightCache<>(1024);

    /**
     * The events that add what each player sees now to what they have explored: one per player who sees a cell
     * they had not, its new cells as runs [start, length, ...] of cell indexes.
     */
    public List<RoomCommands.Change> exploredChanges() {
        List<RoomCommands.Change> changes = new ArrayList<>();
        for (PlayerSight player : players.values()) {
            BitSet fresh = (BitSet) player.seenCells().clone();
            fresh.andNot(player.remembered());
            if (fresh.isEmpty()) continue;
            JsonArray runs = new JsonArray();
            for (int i = fresh.nextSetBit(0); i >= 0; ) {
                int end = fresh.nextClearBit(i);
                runs.add(i).add(end - i);
                i = fresh.nextSetBit(end);
            }
            changes.add(new RoomCommands.Change(
                    io.vertable.shared.wire.EventType.EXPLORED_ADDED,
                    new JsonObject()
                            .put("sceneId", sceneId)
                            .put("userId", player.userId)
                            .put("cell", exploredCell)
                            .put("cols", cols)
                            .put("rows", rows)
                            .put("runs", runs)));
        }
        return changes;
    }

    /** The reducer's half of {@link #exploredChanges()}: ORs the runs into the player's stored cells. */
    static void addExplored(JsonObject state, JsonObject data) {
        if (!(state.getValue("explored") instanceof JsonObject)) state.put("explored", new JsonObject());
        JsonObject all = state.getJsonObject("explored");
        String sceneId = data.getString("sceneId");
        if (all.getJsonObject(sceneId) == null) all.put(sceneId, new JsonObject());
        JsonObject scene = all.getJsonObject(sceneId);
        JsonObject mine = scene.getJsonObject(data.getString("userId"));
        BitSet bits = new BitSet();
        if (mine != null
                && mine.getDouble("cell").equals(data.getDouble("cell"))
                && mine.getInteger("cols").equals(data.getInteger("cols"))
                && mine.getInteger("rows").equals(data.getInteger("rows")))
            bits = BitSet.valueOf(Base64.getDecoder().decode(mine.getString("bits")));
        JsonArray runs = data.getJsonArray("runs");
        for (int i = 0; i + 1 < runs.size(); i += 2)
            bits.set(runs.getInteger(i), runs.getInteger(i) + runs.getInteger(i + 1));
        scene.put(
                data.getString("userId"),
                new JsonObject()
                        .put("cell", data.getDouble("cell"))
                        .put("cols", data.getInteger("cols"))
                        .put("rows", data.getInteger("rows"))
                        .put("bits", Base64.getEncoder().encodeToString(bits.toByteArray())));
    }

    /** The reducer's half of {@code explored.reset}: one player's memory of a scene, or everyone's. */
    static void resetExplored(JsonObject state, JsonObject data) {
        JsonObject scene = exploredOfScene(state, data.getString("sceneId"));
        if (scene == null) return;
        String userId = data.getString("userId");
        if (userId == null) state.getJsonObject("explored").remove(data.getString("sceneId"));
        else scene.remove(userId);
    }
}
