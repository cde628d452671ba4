package io.vertable.testing;

import io.vertable.shared.room.RoomViews;
import io.vertable.shared.wire.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Keeps a view of the room the way the browser client does: start from {@code join}, apply each event's patch in seq
 * order, and when a seq is missing, ask for {@code sync} (events since the last applied seq, or a fresh view).
 */
public final class ViewFollower {

    private final Player player;
    private JsonObject view;
    private long seq;
    private int resyncs;

    public ViewFollower(Player player) {
        this.player = player;
        JsonObject joined = player.join();
        this.view = joined.getJsonObject("view");
        this.seq = joined.getLong("seq");
    }

    /** Applies what the stream delivered, resyncing over gaps; then a final sync catches anything not yet seen. */
    public JsonObject catchUp() {
        for (JsonObject event : player.events()) {
            long s = event.getLong("seq");
            if (s <= seq) continue;
            if (s != seq + 1) resync();
            if (s == seq + 1) apply(event);
        }
        resync();
        return view;
    }

    private void resync() {
        JsonObject reply =
                player.ok(Addresses.IN_ROOM, new JsonObject().put("op", "sync").put("since", seq));
        resyncs++;
        if (reply.containsKey("view")) {
            view = reply.getJsonObject("view");
            seq = reply.getLong("seq");
            return;
        }
        JsonArray events = reply.getJsonArray("events");
        for (Object e : events) {
            JsonObject event = (JsonObject) e;
            if (event.getLong("seq") == seq + 1) apply(event);
        }
    }

    private void apply(JsonObject event) {
        JsonObject patch = event.getJsonObject("patch");
        if (patch != null) RoomViews.applyPatch(view, patch);
        seq = event.getLong("seq");
    }

    public long seq() {
        return seq;
    }

    public int resyncs() {
        return resyncs;
    }
}
