package io.vertable.kit.stores;

import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A room's event log and snapshots, and whole-room export and import ({@link Addresses#PERSIST_EVENTS}). */
public final class EventsClient extends StoreClient {

    /** How far back a new owner remembers command ids: retries come within seconds, not thousands of events. */
    public static final int RECENT_COMMANDS = 2_000;

    /** The {@code format} of a room export; import accepts only this. */
    public static final String EXPORT_FORMAT = "vertable-room/1";

    public enum Op implements StoreOp {
        LOAD("load"),
        APPEND("append"),
        SNAPSHOT("snapshot"),
        RANGE("range"),
        REPLAY_BASE("replayBase"),
        EXPORT("export"),
        ARCHIVE_HEAD("archiveHead"),
        IMPORT("import");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }

        @Override
        public boolean resendable() {
            return this == LOAD
                    || this == APPEND
                    || this == SNAPSHOT
                    || this == RANGE
                    || this == REPLAY_BASE
                    || this == ARCHIVE_HEAD
                    || this == EXPORT;
        }
    }

    public EventsClient(EventBus bus) {
        super(bus, Addresses.PERSIST_EVENTS);
    }

    /** @return {@code {snapshot?, events, recentCommands}}: the newest snapshot and the events after it */
    public Future<JsonObject> load(String roomId) {
        return ask(Op.LOAD, room(roomId));
    }

    /** Appends events, fenced by their sequence numbers. */
    public Future<JsonObject> append(String roomId, JsonArray events) {
        return ask(Op.APPEND, room(roomId).put("events", events));
    }

    public Future<JsonObject> snapshot(String roomId, long seq, JsonObject state) {
        return ask(Op.SNAPSHOT, room(roomId).put("seq", seq).put("state", state));
    }

    /** @return {@code {events}}: one page of the log from {@code from} to {@code to}, both included */
    public Future<JsonObject> range(String roomId, long from, long to) {
        return ask(Op.RANGE, room(roomId).put("from", from).put("to", to));
    }

    /** The nearest snapshot at or before {@code at} (null: the latest). @return {@code {seq, at, snapshot?}} */
    public Future<JsonObject> replayBase(String roomId, Long at) {
        JsonObject request = room(roomId);
        if (at != null) request.put("at", at);
        return ask(Op.REPLAY_BASE, request);
    }

    /** @return the export document, {@code format} {@link #EXPORT_FORMAT} */
    public Future<JsonObject> export(String roomId) {
        return ask(Op.EXPORT, room(roomId));
    }

    /**
     * What a room archive holds beside its log and image bytes. @return {@code {room{name, diceDialect}, seq,
     * snapshot?{seq, state}, characters[], assets[{id, name, contentType, size, sha256}]}}
     */
    public Future<JsonObject> archiveHead(String roomId) {
        return ask(Op.ARCHIVE_HEAD, room(roomId));
    }

    /** A new room from an export document and the state its events fold to. @return {@code {id, seq}} */
    public Future<JsonObject> importRoom(String ownerId, JsonObject document, JsonObject state) {
        return ask(
                Op.IMPORT,
                new JsonObject()
                        .put("ownerId", ownerId)
                        .put("document", document)
                        .put("state", state));
    }
}
