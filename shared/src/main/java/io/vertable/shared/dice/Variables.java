package io.vertable.shared.dice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.OptionalDouble;

/**
 * The numbers an expression may name with {@code @str}, {@code @{str}} or {@code @abilities.str.mod}. Values come from
 * the server's copy of the character sheet, never from the client.
 */
@FunctionalInterface
public interface Variables {

    /** The value at a path such as {@code str} or {@code abilities.str.mod}, or empty if the sheet has none. */
    OptionalDouble lookup(String path);

    Variables NONE = path -> OptionalDouble.empty();

    /**
     * Paths into a sheet: a key as written (even one containing dots), else a dotted path through nested objects (and
     * array indexes). Numbers and numeric strings ({@code "3"}, {@code "-1.5"}) count; anything else is absent.
     */
    static Variables of(JsonObject attributes) {
        if (attributes == null) return NONE;
        return path -> {
            if (path == null || path.isEmpty()) return OptionalDouble.empty();
            Object value = attributes.getValue(path);
            if (value == null && path.indexOf('.') >= 0) value = walk(attributes, path);
            return number(value);
        };
    }

    private static Object walk(JsonObject root, String path) {
        Object current = root;
        int start = 0;
        while (current != null && start <= path.length()) {
            int dot = path.indexOf('.', start);
            String key = dot < 0 ? path.substring(start) : path.substring(start, dot);
            if (current instanceof JsonObject object) current = object.getValue(key);
            else if (current instanceof JsonArray array) current = element(array, key);
            else return null;
            if (dot < 0) return current;
            start = dot + 1;
        }
        return null;
    }

    private static Object element(JsonArray array, String key) {
        if (key.isEmpty() || key.length() > 9) return null;
        for (int i = 0; i < key.length(); i++) if (key.charAt(i) < '0' || key.charAt(i) > '9') return null;
        int index = Integer.parseInt(key);
        return index < array.size() ? array.getValue(index) : null;
    }

    private static OptionalDouble number(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        }
        if (value instanceof String s) return Numbers.parseStrict(s.trim());
        return OptionalDouble.empty();
    }
}
