package io.vertable.shared.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who an event is for: {@code "all"}, {@code "gm"}, or {@code {"users": [ids], "gm": bool}} — named users,
 * plus every GM when {@code gm} is true. A restricted event reaches its audience whole and everyone else as a stub.
 */
public final class Audience {

    public static final String ALL = "all";
    public static final String GM = "gm";

    private Audience() {}

    public static JsonObject users(JsonArray userIds, boolean gms) {
        return new JsonObject().put("users", userIds).put("gm", gms);
    }

    /** Whether a viewer ({@code userId}, a GM or not) belongs to the audience. */
    public static boolean includes(Object audience, String userId, boolean gm) {
        if (ALL.equals(audience)) return true;
        if (GM.equals(audience)) return gm;
        if (audience instanceof JsonObject users) {
            if (gm && users.getBoolean("gm", false)) return true;
            return userId != null
                    && users.getJsonArray("users", new JsonArray()).contains(userId);
        }
        return false;
    }

    /** Whether every GM is in the audience, so the GM stream may carry the whole event. */
    public static boolean includesGms(Object audience) {
        return ALL.equals(audience)
                || GM.equals(audience)
                || (audience instanceof JsonObject users && users.getBoolean("gm", false));
    }

    /** The users named in the audience (none for "all" and "gm"). */
    public static Set<String> namedUsers(Object audience) {
        Set<String> named = new LinkedHashSet<>();
        if (audience instanceof JsonObject users) {
            users.getJsonArray("users", new JsonArray()).forEach(id -> named.add((String) id));
        }
        return named;
    }

    public static boolean valid(Object audience) {
        if (ALL.equals(audience) || GM.equals(audience)) return true;
        if (!(audience instanceof JsonObject users) || !(users.getValue("users") instanceof JsonArray ids))
            return false;
        if (!(users.getValue("gm", false) instanceof Boolean)) return false;
        for (Object id : ids) if (!(id instanceof String)) return false;
        return true;
    }
}
