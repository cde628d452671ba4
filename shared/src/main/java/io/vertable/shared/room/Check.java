package io.vertable.shared.room;

import io.vertable.shared.WholeNumbers;
import io.vertable.shared.room.Geometry.Invalid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Input checks for commands: every number finite and bounded, every string bounded and free of control characters. */
final class Check {

    private Check() {}

    static double coordinate(JsonObject body, String field) throws Invalid {
        Object value = body.getValue(field);
        if (!(value instanceof Number number)) throw new Invalid(field + " must be a number");
        double d = number.doubleValue();
        if (!Double.isFinite(d) || Math.abs(d) > Geometry.MAX_COORDINATE) {
            throw new Invalid(field + " must be a finite number within ±" + (long) Geometry.MAX_COORDINATE);
        }
        return d;
    }

    static double number(JsonObject body, String field, double min, double max, double fallback) throws Invalid {
        if (!body.containsKey(field) || body.getValue(field) == null) return fallback;
        Object value = body.getValue(field);
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw new Invalid(field + " must be a number");
        }
        double d = number.doubleValue();
        if (d < min || d > max) throw new Invalid(field + " must be from " + min + " to " + max);
        return d;
    }

    static Integer optionalInt(JsonObject body, String field, int min, int max) throws Invalid {
        if (!body.containsKey(field) || body.getValue(field) == null) return null;
        // Checked on the exact value: a huge number must not wrap into range when narrowed.
        java.util.OptionalLong n = WholeNumbers.exact(body.getValue(field), min, max);
        if (n.isEmpty()) throw new Invalid(field + " must be a whole number from " + min + " to " + max);
        return (int) n.getAsLong();
    }

    static String text(JsonObject body, String field, int max, boolean required) throws Invalid {
        Object value = body.getValue(field);
        if (value == null) {
            if (required) throw new Invalid(field + " is required");
            return null;
        }
        if (!(value instanceof String text)) throw new Invalid(field + " must be a string");
        if (text.length() > max) throw new Invalid(field + " must be at most " + max + " characters");
        if (required && text.isBlank()) throw new Invalid(field + " must not be empty");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t')
                throw new Invalid(field + " has control characters");
        }
        return text;
    }

    private static final java.util.regex.Pattern COLOR = java.util.regex.Pattern.compile("#[0-9a-fA-F]{6}");

    static String color(JsonObject body, String field, String fallback) throws Invalid {
        Object value = body.getValue(field);
        if (value == null) return fallback;
        if (!(value instanceof String color) || !COLOR.matcher(color).matches()) {
            throw new Invalid(field + " must be a colour like #a0b1c2");
        }
        return color.toLowerCase();
    }

    static boolean flag(JsonObject body, String field, boolean fallback) throws Invalid {
        Object value = body.getValue(field);
        if (value == null) return fallback;
        if (!(value instanceof Boolean b)) throw new Invalid(field + " must be true or false");
        return b;
    }

    static String id(JsonObject body, String field) throws Invalid {
        Object value = body.getValue(field);
        if (!(value instanceof String id) || !io.vertable.shared.wire.StreamAddress.isId(id))
            throw new Invalid(field + " is required");
        return id;
    }

    static JsonArray strings(Object value, String field, int maxItems, int maxLength) throws Invalid {
        if (value == null) return new JsonArray();
        if (!(value instanceof JsonArray array) || array.size() > maxItems) {
            throw new Invalid(field + " must be a list of at most " + maxItems);
        }
        JsonArray out = new JsonArray();
        for (Object item : array) {
            if (!(item instanceof String s) || s.isEmpty() || s.length() > maxLength) {
                throw new Invalid(field + " must hold strings of 1 to " + maxLength + " characters");
            }
            if (!out.contains(s)) out.add(s);
        }
        return out;
    }

    static JsonArray points(Object value, int min) throws Invalid {
        if (!(value instanceof JsonArray array)) throw new Invalid("points must be a list of [x, y]");
        if (array.size() < min) throw new Invalid("at least " + min + " points are needed");
        if (array.size() > Geometry.MAX_POLYGON_POINTS) {
            throw new Invalid("at most " + Geometry.MAX_POLYGON_POINTS + " points; simplify the shape");
        }
        JsonArray out = new JsonArray();
        for (Object item : array) {
            if (!(item instanceof JsonArray point) || point.size() != 2) throw new Invalid("each point must be [x, y]");
            JsonObject xy = new JsonObject().put("x", point.getValue(0)).put("y", point.getValue(1));
            out.add(new JsonArray().add(coordinate(xy, "x")).add(coordinate(xy, "y")));
        }
        return out;
    }
}
