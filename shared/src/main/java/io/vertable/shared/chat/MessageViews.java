package io.vertable.shared.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What each viewer receives of a chat or dice event: the whole event when they are in its audience, the
 * roller of a blind roll a teaser (that they rolled, and what, but no result), anyone else a stub {@code {room, seq,
 * type: "redacted"}} so their sequence has no gap. The owner's publication, sync and chat history all use this one
 * rule.
 */
public final class MessageViews {

    public static final String REDACTED = "redacted";

    private MessageViews() {}

    /** The form {@code userId} (a GM or not) receives of a stored event {@code {room, seq, type, actor, ts, audience, data}}. */
    public static JsonObject forViewer(JsonObject stored, String userId, boolean gm) {
        Object audience = stored.getValue("audience");
        if (Audience.includes(audience, userId, gm)) return whole(stored);
        if (blindRoll(stored) && userId != null && userId.equals(stored.getString("actor"))) return teaser(stored);
        return stub(stored);
    }

    /** What the room stream (every member) carries: the whole event only when it is for everyone. */
    public static JsonObject forRoomStream(JsonObject stored) {
        return Audience.ALL.equals(stored.getValue("audience")) ? whole(stored) : stub(stored);
    }

    /** What the GM stream carries: the whole event when every GM is in its audience. */
    public static JsonObject forGmStream(JsonObject stored) {
        return Audience.includesGms(stored.getValue("audience")) ? whole(stored) : stub(stored);
    }

    public static boolean blindRoll(JsonObject stored) {
        JsonObject data = stored.getJsonObject("data");
        return data != null && RollMode.BLIND.wireName().equals(data.getString("mode"));
    }

    public static JsonObject stub(JsonObject stored) {
        return new JsonObject()
                .put("room", stored.getString("room"))
                .put("seq", stored.getLong("seq"))
                .put("type", REDACTED);
    }

    private static JsonObject whole(JsonObject stored) {
        return new JsonObject()
                .put("room", stored.getString("room"))
                .put("seq", stored.getLong("seq"))
                .put("type", stored.getString("type"))
                .put("actor", stored.getString("actor"))
                .put("ts", stored.getLong("ts"))
                .put("data", stored.getJsonObject("data").copy());
    }

    /** The blind roller sees the card of their roll with each expression but no dice and no total. */
    private static JsonObject teaser(JsonObject stored) {
        JsonObject data = stored.getJsonObject("data");
        JsonArray rolls = new JsonArray();
        data.getJsonArray("rolls", new JsonArray())
                .forEach(roll -> rolls.add(new JsonObject()
                        .put("expression", ((JsonObject) roll).getString("expression"))
                        .put("hidden", true)));
        JsonObject shown = new JsonObject();
        for (String field : new String[] {"id", "kind", "mode", "from", "name", "flavor"}) {
            if (data.containsKey(field)) shown.put(field, data.getValue(field));
        }
        return whole(stored).put("data", shown.put("rolls", rolls).put("hidden", true));
    }
}
