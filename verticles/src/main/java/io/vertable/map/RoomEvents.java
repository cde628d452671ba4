package io.vertable.map;

import io.vertx.core.json.JsonObject;

/**
 * One committed event in the three forms the owner keeps: the stored event, what GMs receive (event plus their view
 * patch), and what everyone else receives (the player view patch, or a bare {@code redacted} stub).
 */
record RoomEvents(JsonObject stored, JsonObject forGm, JsonObject forPlayers) {

    static RoomEvents of(
            String roomId,
            long seq,
            String type,
            String actor,
            long ts,
            String commandId,
            JsonObject data,
            JsonObject gmPatch,
            JsonObject playerPatch) {
        boolean visibleToPlayers = !playerPatch.isEmpty();
        JsonObject stored = new JsonObject()
                .put("room", roomId)
                .put("seq", seq)
                .put("type", type)
                .put("actor", actor)
                .put("ts", ts)
                .put("audience", visibleToPlayers ? "all" : "gm")
                .put("data", data);
        JsonObject forGm = stored.copy().put("patch", gmPatch);
        if (commandId != null) stored.put("cid", commandId);
        if (commandId != null) stored.put("cid", commandId);
        JsonObject forPlayers = visibleToPlayers
                ? new JsonObject()
                        .put("room", roomId)
                        .put("seq", seq)
                        .put("type", type)
                        .put("actor", actor)
                        .put("ts", ts)
                        .put("patch", playerPatch)
                : new JsonObject().put("room", roomId).put("seq", seq).put("type", "redacted");
        return new RoomEvents(stored, forGm, forPlayers);
    }
}
