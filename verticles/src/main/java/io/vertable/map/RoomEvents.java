package io.vertable.map;

import io.vertable.shared.chat.Audience;
import io.vertable.shared.chat.MessageViews;
import io.vertable.shared.wire.EventType;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One committed event in the forms the owner sends: the stored event, what the GM stream carries, what the room stream
 * carries, and copies for single users ({@code vtt.user.<id>}) — the named audience of a whisper or a GM roll, the
 * blind roller's teaser.
 *
 * <p>Map events are views: GMs get their view patch, everyone else the player-view patch or a {@code redacted} stub.
 * Chat and dice events carry an explicit audience and are shown whole or not at all ({@link MessageViews}).
 */
record RoomEvents(JsonObject stored, JsonObject forGm, JsonObject forPlayers, Map<String, JsonObject> forUsers) {

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
        return of(roomId, seq, type, actor, ts, commandId, data, gmPatch, playerPatch, Map.of());
    }

    /**
     * With vision on, players who look through tokens have views of their own: each gets this event with their own
     * patch on their user stream, and the room stream's form names them in {@code personal} so their page takes the
     * user stream's form of it instead.
     */
    static RoomEvents of(
            String roomId,
            long seq,
            String type,
            String actor,
            long ts,
            String commandId,
            JsonObject data,
            JsonObject gmPatch,
            JsonObject playerPatch,
            Map<String, JsonObject> personalPatches) {
        boolean visibleToPlayers =
                !playerPatch.isEmpty() || personalPatches.values().stream().anyMatch(p -> !p.isEmpty());
        JsonObject stored = stored(roomId, seq, type, actor, ts, visibleToPlayers ? Audience.ALL : Audience.GM, data);
        JsonObject forGm = stored.copy().put("patch", gmPatch);
        if (commandId != null) stored.put("cid", commandId);
        JsonObject forPlayers = visibleToPlayers
                ? new JsonObject()
                        .put("room", roomId)
                        .put("seq", seq)
                        .put("type", type)
                        .put("actor", actor)
                        .put("ts", ts)
                        .put("patch", playerPatch)
                : MessageViews.stub(stored);
        Map<String, JsonObject> forUsers = new LinkedHashMap<>();
        if (!personalPatches.isEmpty()) {
            forPlayers.put("personal", new io.vertx.core.json.JsonArray(List.copyOf(personalPatches.keySet())));
            personalPatches.forEach((userId, patch) -> forUsers.put(
                    userId,
                    new JsonObject()
                            .put("room", roomId)
                            .put("seq", seq)
                            .put("type", type)
                            .put("actor", actor)
                            .put("ts", ts)
                            .put("mine", true)
                            .put("patch", patch)));
        }
        return new RoomEvents(stored, forGm, forPlayers, Map.copyOf(forUsers));
    }

    /** A chat or dice event for {@code audience}; {@code actorIsGm} spares a GM's blind roll its teaser. */
    static RoomEvents message(
            String roomId,
            long seq,
            String type,
            String actor,
            boolean actorIsGm,
            long ts,
            String commandId,
            JsonObject data,
            Object audience) {
        JsonObject stored = stored(roomId, seq, type, actor, ts, audience, data);
        if (commandId != null) stored.put("cid", commandId);
        Map<String, JsonObject> forUsers = new LinkedHashMap<>();
        if (!Audience.ALL.equals(audience)) {
            for (String userId : Audience.namedUsers(audience)) {
                forUsers.put(userId, MessageViews.forViewer(stored, userId, false));
            }
            if (MessageViews.blindRoll(stored) && !actorIsGm) {
                forUsers.put(actor, MessageViews.forViewer(stored, actor, false));
            }
        }
        return new RoomEvents(
                stored, MessageViews.forGmStream(stored), MessageViews.forRoomStream(stored), Map.copyOf(forUsers));
    }

    /** What one member gets in a sync reply: the same as the streams would have given them. */
    JsonObject forViewer(String userId, boolean gm) {
        if (!isMessage()) return gm ? forGm : forUsers.getOrDefault(userId, forPlayers);
        return MessageViews.forViewer(stored, userId, gm);
    }

    private boolean isMessage() {
        return EventType.isMessage(stored.getString("type"));
    }

    private static JsonObject stored(
            String roomId, long seq, String type, String actor, long ts, Object audience, JsonObject data) {
        return new JsonObject()
                .put("room", roomId)
                .put("seq", seq)
                .put("type", type)
                .put("actor", actor)
                .put("ts", ts)
                .put("audience", audience)
                .put("data", data);
    }
}
