package io.vertable.shared.room;

import io.vertable.shared.WholeNumbers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Checks a room state that did not come from {@link RoomCommands} — an imported log — against what commands would
 * have allowed: field types, references between entities, and the room's limits. A room that passes can be served.
 */
public final class RoomValidation {

    private static final Set<String> LAYERS = Set.of("map", "tokens", "gm");

    private RoomValidation() {}

    /** @return null when the state is sound, else what is wrong with it */
    public static String problem(JsonObject state) {
        try {
            JsonObject scenes = state.getJsonObject("scenes");
            if (scenes.size() > RoomCommands.MAX_SCENES) return "more than " + RoomCommands.MAX_SCENES + " scenes";
            if (state.getJsonObject("tokens").size() > RoomCommands.MAX_TOKENS)
                return "more than " + RoomCommands.MAX_TOKENS + " tokens";
            if (state.getJsonObject("drawings").size() > RoomCommands.MAX_DRAWINGS) return "too many drawings";
            if (state.getJsonObject("notes").size() > RoomCommands.MAX_NOTES) return "too many notes";
            if (RoomCommands.roomPoints(state) > RoomCommands.MAX_ROOM_POINTS)
                return "drawings and fog are too detailed";
            String active = state.getString("activeScene");
            if (active != null && !scenes.containsKey(active)) return "the shown scene does not exist";
            for (String id : scenes.fieldNames()) {
                JsonObject fog = scenes.getJsonObject(id).getJsonObject("fog");
                fog.getBoolean("enabled");
                if (fog.getJsonArray("ops").size() > RoomCommands.MAX_FOG_OPS)
                    return "scene " + id + " has too much fog";
            }
            for (String id : state.getJsonObject("tokens").fieldNames()) {
                String problem = token(state.getJsonObject("tokens").getJsonObject(id), scenes);
                if (problem != null) return "token " + id + ": " + problem;
            }
            for (String id : state.getJsonObject("notes").fieldNames()) {
                if (state.getJsonObject("notes").getJsonObject(id).getBoolean("gmOnly") == null)
                    return "note " + id + ": gmOnly missing";
            }
            for (String id : state.getJsonObject("drawings").fieldNames()) {
                JsonObject drawing = state.getJsonObject("drawings").getJsonObject(id);
                if (!scenes.containsKey(drawing.getString("sceneId")) || drawing.getJsonArray("points") == null) {
                    return "drawing " + id + " is malformed";
                }
            }
            String walls = walls(state, scenes);
            if (walls != null) return walls;
            String lights = lights(state, scenes);
            if (lights != null) return lights;
            RoomViews.gm(state);
            RoomViews.player(state);
            return null;
        } catch (ClassCastException | NullPointerException e) {
            return "a field has the wrong type or is missing";
        }
    }

    /** Walls as commands would have made them: on a scene, of a known kind, no zero-length segment, within limits. */
    private static String walls(JsonObject state, JsonObject scenes) {
        java.util.Map<String, Integer> perScene = new java.util.HashMap<>();
        JsonObject walls = Walls.walls(state);
        for (String id : walls.fieldNames()) {
            JsonObject wall = walls.getJsonObject(id);
            String sceneId = wall.getString("sceneId");
            if (sceneId == null || !scenes.containsKey(sceneId) || !Walls.KINDS.contains(wall.getString("kind")))
                return "wall " + id + " is malformed";
            JsonArray points = wall.getJsonArray("points");
            if (wall.getString("kind").equals("door") && !Walls.DOOR_STATES.contains(wall.getString("door")))
                return "wall " + id + " is a door neither open, closed nor locked";
            if (points.size() < 2 || points.size() > Walls.MAX_SEGMENTS_PER_WALL + 1)
                return "wall " + id + " has too few or too many points";
            for (int i = 0; i + 1 < points.size(); i++) {
                JsonArray a = points.getJsonArray(i), b = points.getJsonArray(i + 1);
                if (a.getDouble(0).equals(b.getDouble(0)) && a.getDouble(1).equals(b.getDouble(1)))
                    return "wall " + id + " has a zero-length segment";
            }
            if (perScene.merge(sceneId, points.size() - 1, Integer::sum) > Walls.MAX_SEGMENTS_PER_SCENE)
                return "scene " + sceneId + " has too many wall segments";
        }
        return null;
    }

    /** Lights as commands would have made them: on a scene, placed, with radii and a colour, within the limit. */
    private static String lights(JsonObject state, JsonObject scenes) {
        java.util.Map<String, Integer> perScene = new java.util.HashMap<>();
        JsonObject lights = Walls.lights(state);
        for (String id : lights.fieldNames()) {
            JsonObject light = lights.getJsonObject(id);
            String sceneId = light.getString("sceneId");
            if (sceneId == null || !scenes.containsKey(sceneId)) return "light " + id + " is on no scene";
            String problem = RoomCommands.visionProblem(light, true);
            if (problem != null) return "light " + id + ": " + problem;
            if (perScene.merge(sceneId, 1, Integer::sum) > Walls.MAX_LIGHTS_PER_SCENE)
                return "scene " + sceneId + " has too many lights";
        }
        return null;
    }

    private static String token(JsonObject token, JsonObject scenes) {
        if (!(token.getValue("sceneId") instanceof String sceneId) || !scenes.containsKey(sceneId))
            return "its scene does not exist";
        for (String field : new String[] {"x", "y"}) {
            if (!(token.getValue(field) instanceof Number n)
                    || !Double.isFinite(n.doubleValue())
                    || Math.abs(n.doubleValue()) > Geometry.MAX_COORDINATE) {
                return field + " is not a coordinate";
            }
        }
        if (!(token.getValue("hidden") instanceof Boolean) || !(token.getValue("locked") instanceof Boolean)) {
            return "hidden and locked must be true or false";
        }
        JsonArray owners = token.getJsonArray("owners");
        if (owners == null || !owners.stream().allMatch(o -> o instanceof String))
            return "owners must be a list of user ids";
        if (!(token.getValue("layer") instanceof String layer) || !LAYERS.contains(layer))
            return "layer must be map, tokens or gm";
        if (!(token.getValue("name") instanceof String)) return "name is missing";
        if (token.getValue("sight") != null) {
            String problem = RoomCommands.sightProblem(token.getValue("sight"));
            if (problem != null) return "sight: " + problem;
        }
        if (token.getValue("light") != null) {
            if (!(token.getValue("light") instanceof JsonObject light)) return "light must be an object";
            String problem = RoomCommands.visionProblem(light, false);
            if (problem != null) return "light: " + problem;
        }
        if (token.getValue("hpVisibility") != null
                && !RoomCommands.HP_VISIBILITY.contains(token.getValue("hpVisibility")))
            return "hpVisibility must be gm, owners or all";
        if (token.getValue("nameVisibility") != null
                && !RoomCommands.NAME_VISIBILITY.contains(token.getValue("nameVisibility")))
            return "nameVisibility must be hover, always or never";
        if (token.getValue("hp") != null && !WholeNumbers.within(token.getValue("hp"), -100_000, 100_000))
            return "hp must be a whole number from -100000 to 100000";
        if (token.getValue("maxHp") != null && !WholeNumbers.within(token.getValue("maxHp"), 0, 100_000))
            return "maxHp must be a whole number from 0 to 100000";
        return null;
    }
}
