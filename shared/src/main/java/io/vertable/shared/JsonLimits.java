package io.vertable.shared;

import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How deep JSON from outside may nest. Nearly everything that touches a JSON value walks it recursively — copies,
 * encoding, the event bus, the PostgreSQL client — so a value nested hundreds of levels overflows a thread's stack
 * (first on a cold JVM, whose interpreted frames are large). Every door checks depth before anything walks the value,
 * and these checks never recurse themselves.
 */
public final class JsonLimits {

    /** The deepest nesting accepted at a door: objects and arrays inside each other, the outermost counting 1. */
    public static final int MAX_DEPTH = 32;

    /** What storage accepts: a door's limit plus the few levels a service's request wraps around the value. */
    public static final int MAX_STORED_DEPTH = MAX_DEPTH + 8;

    private JsonLimits() {}

    /** Null when JSON text (a request body, still unparsed) nests at most {@link #MAX_DEPTH}, else the refusal. */
    public static Failure checkText(Buffer text) {
        return depthOfText(text, MAX_DEPTH) > MAX_DEPTH ? tooDeep(MAX_DEPTH) : null;
    }

    /**
     * Null when a parsed value nests at most {@link #MAX_DEPTH} and all its text can be stored, else the refusal.
     */
    public static Failure check(Object value) {
        return inspect(value, MAX_DEPTH);
    }

    /** The same for a value on its way to storage, which may nest {@link #MAX_STORED_DEPTH}. */
    public static Failure checkStored(Object value) {
        return inspect(value, MAX_STORED_DEPTH);
    }

    /**
     * One walk (with a stack of its own) over depth and text: PostgreSQL stores neither NUL characters nor unpaired
     * surrogates (they are not UTF-8), so text holding them is refused at the door rather than failing in storage.
     */
    private static Failure inspect(Object value, int limit) {
        if (value instanceof String text) return storable(text) ? null : unstorable();
        if (!isContainer(value)) return null;
        Deque<Iterator<?>> open = new ArrayDeque<>();
        open.push(entries(value));
        while (!open.isEmpty()) {
            Iterator<?> level = open.peek();
            if (!level.hasNext()) {
                open.pop();
                continue;
            }
            Object child = level.next();
            if (child instanceof Map.Entry<?, ?> entry) {
                if (entry.getKey() instanceof String key && !storable(key)) return unstorable();
                child = entry.getValue();
            }
            if (child instanceof String text && !storable(text)) return unstorable();
            if (isContainer(child)) {
                open.push(entries(child));
                if (open.size() > limit) return tooDeep(limit);
            }
        }
        return null;
    }

    /** No NUL and no surrogate without its partner. */
    public static boolean storable(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) return false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) i++;
                else return false;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Failure unstorable() {
        return Failure.of(ErrorCode.BAD_REQUEST, "text must not hold NUL characters or unpaired surrogates");
    }

    /** An object's entries (its keys are text too) or an array's items. */
    private static Iterator<?> entries(Object container) {
        if (container instanceof JsonObject object)
            return object.getMap().entrySet().iterator();
        if (container instanceof Map<?, ?> map) return map.entrySet().iterator();
        return children(container);
    }

    /**
     * The nesting depth of JSON text, read byte by byte without parsing (brackets inside strings do not count; UTF-8
     * continuation bytes are never ASCII, so no character is misread). Stops once past {@code limit}, so the answer is
     * exact up to {@code limit + 1}.
     */
    public static int depthOfText(Buffer text, int limit) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            byte b = text.getByte(i);
            if (inString) {
                if (escaped) escaped = false;
                else if (b == '\\') escaped = true;
                else if (b == '"') inString = false;
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > deepest) {
                    deepest = depth;
                    if (deepest > limit) return deepest;
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return deepest;
    }

    /**
     * The nesting depth of a parsed value (JsonObject, JsonArray, or the Map and List they hold), walked with a stack
     * of its own instead of recursion. Stops once past {@code limit}.
     */
    public static int depthOf(Object value, int limit) {
        if (!isContainer(value)) return 0;
        Deque<Iterator<?>> open = new ArrayDeque<>();
        open.push(children(value));
        int deepest = 1;
        while (!open.isEmpty()) {
            Iterator<?> level = open.peek();
            if (!level.hasNext()) {
                open.pop();
                continue;
            }
            Object child = level.next();
            if (isContainer(child)) {
                open.push(children(child));
                if (open.size() > deepest) {
                    deepest = open.size();
                    if (deepest > limit) return deepest;
                }
            }
        }
        return deepest;
    }

    public static Failure tooDeep(int limit) {
        return Failure.of(ErrorCode.JSON_TOO_DEEP, "JSON may nest at most " + limit + " objects and arrays deep");
    }

    private static boolean isContainer(Object value) {
        return value instanceof JsonObject
                || value instanceof JsonArray
                || value instanceof Map
                || value instanceof List;
    }

    private static Iterator<?> children(Object container) {
        if (container instanceof JsonObject object)
            return object.getMap().values().iterator();
        if (container instanceof JsonArray array) return array.getList().iterator();
        if (container instanceof Map<?, ?> map) return map.values().iterator();
        if (container instanceof List<?> list) return list.iterator();
        return Collections.emptyIterator();
    }
}
