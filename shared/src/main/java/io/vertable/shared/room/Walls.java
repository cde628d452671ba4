package io.vertable.shared.room;

import io.vertable.shared.vision.Segment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walls and lights in the room state. A wall is a polyline {@code {id, sceneId, kind, door?, points[[x,y],...]}} of
 * kind wall, door (open, closed or locked), window (stops movement, not sight) or terrain (sight passes one terrain
 * segment and stops at the second; movement passes). A light is {@code {id, sceneId, x, y, bright, dim, color}}, its
 * radii in grid cells.
 *
 * <p>Each scene's walls have a revision: a running hash of every event that changed them, kept in the state, so the
 * geometry built from them can be cached under it and reused by every copy of the state.
 */
public final class Walls {

    public static final Set<String> KINDS = Set.of("wall", "door", "window", "terrain");
    public static final Set<String> DOOR_STATES = Set.of("open", "closed", "locked");
    /** Segments one wall (one command) may have. */
    public static final int MAX_SEGMENTS_PER_WALL = 1_000;
    /** Segments all walls of one scene may have: the view of every player is derived from them on each event. */
    public static final int MAX_SEGMENTS_PER_SCENE = 10_000;
    /** Lights one scene may have: in a dark scene each is a visibility polygon recomputed as walls and doors change. */
    public static final int MAX_LIGHTS_PER_SCENE = 200;
    /** Radii of lights, sight and darkvision, in grid cells. */
    public static final double MAX_RADIUS = 1_000;
    /** How far from a door (grid cells, token centre to the door's nearest point) a player's token may work it. */
    public static final double DOOR_REACH = 1.5;

    private Walls() {}

    public static long revision(JsonObject state, String sceneId) {
        JsonObject revs = state.getJsonObject("visionRevs");
        return revs == null ? 0 : revs.getLong(sceneId, 0L);
    }

    /** The next revision of the scene's walls after an event (64-bit FNV-1a over the previous one and the event). */
    static void bump(JsonObject state, String sceneId, String type, JsonObject data) {
        if (!(state.getValue("visionRevs") instanceof JsonObject)) state.put("visionRevs", new JsonObject());
        state.getJsonObject("visionRevs").put(sceneId, chain(revision(state, sceneId), type, data));
    }

    /**
     * The room's drawings revision: a running hash of every event that added or removed drawings, so what is derived
     * from the drawings (each player's visible ones) can be cached under it. Drawings are never changed in place.
     */
    public static long drawingsRevision(JsonObject state) {
        return state.getLong("drawingsRev", 0L);
    }

    static void bumpDrawings(JsonObject state, String type, JsonObject data) {
        state.put("drawingsRev", chain(drawingsRevision(state), type, data));
    }

    /** 64-bit FNV-1a over the previous revision and the event. */
    private static long chain(long previous, String type, JsonObject data) {
        long hash = previous ^ 0xcbf29ce484222325L;
        for (byte b : (type + data.encode()).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** Each scene's doors, by the state's walls and their revision: views pick the doors out of every wall on each event. */
    private static final Derived<List<Map.Entry<String, JsonObject>>> DOORS = Derived.whileSourceLives();

    private record SceneRevision(String sceneId, long revision) {}

    /**
     * The scene's doors (id and wall), in the state's order. Walls are replaced, never changed in place, and every
     * change of a scene's walls makes a new revision, so the list holds the state's own walls while it is current.
     */
    static List<Map.Entry<String, JsonObject>> doors(JsonObject state, String sceneId) {
        return DOORS.get(walls(state), new SceneRevision(sceneId, revision(state, sceneId)), () -> {
            List<Map.Entry<String, JsonObject>> doors = new ArrayList<>();
            walls(state).forEach(entry -> {
                JsonObject wall = (JsonObject) entry.getValue();
                if (sceneId.equals(wall.getString("sceneId")) && "door".equals(wall.getString("kind")))
                    doors.add(Map.entry(entry.getKey(), wall));
            });
            return List.copyOf(doors);
        });
    }

    public static JsonObject walls(JsonObject state) {
        return state.getJsonObject("walls", new JsonObject());
    }

    public static JsonObject lights(JsonObject state) {
        return state.getJsonObject("lights", new JsonObject());
    }

    static int lightsOfScene(JsonObject state, String sceneId) {
        JsonObject lights = lights(state);
        int count = 0;
        for (String id : lights.fieldNames())
            if (sceneId.equals(lights.getJsonObject(id).getString("sceneId"))) count++;
        return count;
    }

    /** The scene's wall segments as geometry. */
    public static List<Segment> segments(JsonObject state, String sceneId) {
        List<Segment> out = new ArrayList<>();
        JsonObject walls = walls(state);
        for (String id : walls.fieldNames()) {
            JsonObject wall = walls.getJsonObject(id);
            if (sceneId.equals(wall.getString("sceneId"))) addSegments(wall, out);
        }
        return out;
    }

    static void addSegments(JsonObject wall, List<Segment> out) {
        String kind = wall.getString("kind");
        String door = wall.getString("door");
        boolean open = "door".equals(kind) && "open".equals(door);
        Segment.Sight sight =
                switch (kind) {
                    case "window" -> Segment.Sight.NONE;
                    case "terrain" -> Segment.Sight.LIMITED;
                    default -> open ? Segment.Sight.NONE : Segment.Sight.FULL;
                };
        boolean blocksMove = !open && !"terrain".equals(kind);
        JsonArray points = wall.getJsonArray("points");
        for (int i = 0; i + 1 < points.size(); i++) {
            JsonArray a = points.getJsonArray(i), b = points.getJsonArray(i + 1);
            out.add(new Segment(a.getDouble(0), a.getDouble(1), b.getDouble(0), b.getDouble(1), sight, blocksMove));
        }
    }

    static int segmentsOfScene(JsonObject state, String sceneId) {
        int n = 0;
        JsonObject walls = walls(state);
        for (String id : walls.fieldNames()) {
            JsonObject wall = walls.getJsonObject(id);
            if (sceneId.equals(wall.getString("sceneId")))
                n += wall.getJsonArray("points").size() - 1;
        }
        return n;
    }

    /** Distance from a point to the nearest point of the wall. */
    static double distance(JsonObject wall, double x, double y) {
        List<Segment> segments = new ArrayList<>();
        addSegments(wall, segments);
        double best = Double.POSITIVE_INFINITY;
        for (Segment s : segments) best = Math.min(best, s.distanceTo(x, y));
        return best;
    }
}
