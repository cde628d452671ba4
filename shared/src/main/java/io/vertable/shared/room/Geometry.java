package io.vertable.shared.room;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Fog shapes and what they cover. A shape is {@code {"kind":"rect","x","y","w","h"}} or
 * {@code {"kind":"polygon","points":[[x,y],...]}} in scene pixels. A scene's fog is an initial state (covered or
 * revealed) and an ordered list of reveal/cover operations: the last operation containing a point decides it.
 */
public final class Geometry {

    public static final double MAX_COORDINATE = 1_000_000;
    public static final int MAX_POLYGON_POINTS = 1_000;

    private Geometry() {}

    public static boolean contains(JsonObject shape, double x, double y) {
        if ("rect".equals(shape.getString("kind"))) {
            double left = shape.getDouble("x");
            double top = shape.getDouble("y");
            return x >= left && y >= top && x <= left + shape.getDouble("w") && y <= top + shape.getDouble("h");
        }
        JsonArray points = shape.getJsonArray("points");
        boolean inside = false;
        for (int i = 0, j = points.size() - 1; i < points.size(); j = i++) {
            JsonArray a = points.getJsonArray(i);
            JsonArray b = points.getJsonArray(j);
            double ax = a.getDouble(0), ay = a.getDouble(1), bx = b.getDouble(0), by = b.getDouble(1);
            if ((ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax) inside = !inside;
        }
        return inside;
    }

    /** Whether fog hides the point from players. */
    public static boolean covered(JsonObject fog, double x, double y) {
        if (fog == null || !fog.getBoolean("enabled", false)) return false;
        JsonArray ops = fog.getJsonArray("ops");
        for (int i = ops.size() - 1; i >= 0; i--) {
            JsonObject op = ops.getJsonObject(i);
            if (contains(op.getJsonObject("shape"), x, y)) return "cover".equals(op.getString("op"));
        }
        return "covered".equals(fog.getString("initial"));
    }

    /** A copy of the shape with only its known fields, or an explanation of what is wrong with it. */
    static JsonObject normalizeShape(Object value) throws Invalid {
        if (!(value instanceof JsonObject shape)) throw new Invalid("shape must be an object");
        String kind = shape.getString("kind");
        if ("rect".equals(kind)) {
            double w = Check.coordinate(shape, "w");
            double h = Check.coordinate(shape, "h");
            if (w <= 0 || h <= 0) throw new Invalid("a rectangle needs a positive width and height");
            return new JsonObject()
                    .put("kind", "rect")
                    .put("x", Check.coordinate(shape, "x"))
                    .put("y", Check.coordinate(shape, "y"))
                    .put("w", w)
                    .put("h", h);
        }
        if ("polygon".equals(kind)) {
            return new JsonObject().put("kind", "polygon").put("points", Check.points(shape.getValue("points"), 3));
        }
        throw new Invalid("shape kind must be rect or polygon");
    }

    /** A refusal of bad input, turned into BAD_REQUEST by the caller. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
