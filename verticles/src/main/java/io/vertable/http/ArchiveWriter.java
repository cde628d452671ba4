package io.vertable.http;

import io.vertable.shared.asset.ImageType;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.wire.RoomArchive;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Streams one room as a ZIP archive into an HTTP response: the log a page at a time as persistence reads it, then each
 * image, each written out and drained before the next is asked for, so the node holds one page or one image at a
 * time whatever the room's size. The manifest goes last, when every entry's checksum is known.
 */
final class ArchiveWriter {

    /** ZIP bytes written so far and not yet handed to the response. */
    private static final class Pending extends ByteArrayOutputStream {
        Buffer take() {
            Buffer chunk = Buffer.buffer(toByteArray());
            reset();
            return chunk;
        }
    }

    private final Api api;
    private final String roomId;
    private final HttpServerResponse response;
    private final Pending pending = new Pending();
    private final ZipOutputStream zip = new ZipOutputStream(pending, StandardCharsets.UTF_8);
    private final JsonObject checksums = new JsonObject();
    private final JsonArray images = new JsonArray();
    /** The log folded as it goes by, for the notes it leaves. */
    private final JsonObject state;

    private long events;
    private int pages;
    private boolean closed;

    ArchiveWriter(Api api, String roomId, HttpServerResponse response) {
        this.api = api;
        this.roomId = roomId;
        this.response = response;
        this.state = RoomReducer.empty(roomId);
        zip.setLevel(Deflater.BEST_SPEED); // the event loop deflates: quick beats small
        response.closeHandler(v -> closed = true);
    }

    /** Writes the archive of {@code head} ({@code archiveHead}); @return {@code {events, images, bytes}} */
    Future<JsonObject> write(JsonObject head) {
        return eventPages(1, head.getLong("seq"))
                .compose(v -> images(head.getJsonArray("assets"), 0))
                .compose(v -> {
                    if (head.getJsonObject("snapshot") != null)
                        entry(RoomArchive.SNAPSHOT, head.getJsonObject("snapshot"));
                    entry(RoomArchive.SHEETS, head.getJsonArray("characters"));
                    entry(RoomArchive.NOTES, state.getJsonObject("notes", new JsonObject()));
                    entry(RoomArchive.MANIFEST, manifest(head));
                    finish();
                    return flush();
                })
                .map(v -> new JsonObject()
                        .put("events", events)
                        .put("images", images.size())
                        .put("bytes", response.bytesWritten()));
    }

    private JsonObject manifest(JsonObject head) {
        return new JsonObject()
                .put("format", RoomArchive.FORMAT)
                .put("version", RoomArchive.VERSION)
                .put("exportedAt", Instant.now().toString())
                .put("room", head.getJsonObject("room"))
                .put("seq", events)
                .put(
                        "counts",
                        new JsonObject()
                                .put("events", events)
                                .put("eventPages", pages)
                                .put("images", images.size())
                                .put("sheets", head.getJsonArray("characters").size())
                                .put(
                                        "notes",
                                        state.getJsonObject("notes", new JsonObject())
                                                .size()))
                .put("images", images)
                .put("entries", checksums);
    }

    // ---- the log ----

    /** Pages of the log from {@code from} to {@code end}, as persistence hands them out. */
    private Future<Void> eventPages(long from, long end) {
        if (from > end) return Future.succeededFuture();
        return api.stores.events().range(roomId, from, end).compose(page -> {
            JsonArray list = page.getJsonArray("events");
            if (list.isEmpty()) return Future.succeededFuture(); // the log has no gaps; never loop
            entry(RoomArchive.eventsPage(++pages), lines(list));
            events += list.size();
            long next = list.getJsonObject(list.size() - 1).getLong("seq") + 1;
            return flush().compose(v -> eventPages(next, end));
        });
    }

    private byte[] lines(JsonArray list) {
        StringBuilder text = new StringBuilder();
        for (Object e : list) {
            JsonObject event = (JsonObject) e;
            text.append(event.encode()).append('\n');
            fold(event);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void fold(JsonObject event) {
        try {
            RoomReducer.apply(state, event.getLong("seq"), event.getString("type"), event.getJsonObject("data"));
        } catch (RuntimeException oldShape) {
            // The log stays the record; notes.json is a reading aid, and an old event's shape must not stop an export.
        }
    }

    // ---- images ----

    private Future<Void> images(JsonArray assets, int index) {
        if (index >= assets.size()) return Future.succeededFuture();
        JsonObject asset = assets.getJsonObject(index);
        return api.stores.assets().content(roomId, asset.getString("id")).compose(stored -> {
            byte[] bytes = stored.getBuffer("content").getBytes();
            String extension = ImageType.of(bytes).map(ImageType::extension).orElse("png");
            String file = RoomArchive.image(asset.getString("id"), extension);
            stored(file, bytes);
            images.add(new JsonObject()
                    .put("id", asset.getString("id"))
                    .put("file", file)
                    .put("name", asset.getString("name"))
                    .put("contentType", asset.getString("contentType"))
                    .put("size", bytes.length)
                    .put("sha256", checksums.getString(file)));
            return flush().compose(v -> images(assets, index + 1));
        });
    }

    // ---- the ZIP ----

    private void entry(String name, Object json) {
        String text = json instanceof JsonObject o ? o.encode() : ((JsonArray) json).encode();
        entry(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private void entry(String name, byte[] bytes) {
        write(new ZipEntry(name), bytes);
    }

    /** Images are compressed already: stored as they are, which costs no CPU. */
    private void stored(String name, byte[] bytes) {
        ZipEntry entry = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        write(entry, bytes);
    }

    private void write(ZipEntry entry, byte[] bytes) {
        try {
            zip.putNextEntry(entry);
            zip.write(bytes);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: does not happen
        }
        checksums.put(entry.getName(), AssetRoutes.sha256(bytes));
    }

    private void finish() {
        try {
            zip.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The most handed to the response at once. The response's queue counts writes, not bytes: an image written as one
     * buffer would let a slow reader's queue hold many whole images before it reports full.
     */
    static final int SLICE_BYTES = 64 * 1024;

    /** Hands what is pending to the response a slice at a time, waiting whenever its queue is full. */
    private Future<Void> flush() {
        return send(pending.take(), 0);
    }

    private Future<Void> send(Buffer chunk, int from) {
        if (closed) return Future.failedFuture(new IllegalStateException("the client went away"));
        if (from >= chunk.length()) return Future.succeededFuture();
        int to = Math.min(chunk.length(), from + SLICE_BYTES);
        response.write(chunk.slice(from, to));
        return drained().compose(v -> send(chunk, to));
    }

    private Future<Void> drained() {
        if (!response.writeQueueFull()) return Future.succeededFuture();
        Promise<Void> drained = Promise.promise();
        response.drainHandler(v -> drained.tryComplete());
        response.closeHandler(v -> {
            closed = true;
            drained.tryFail("the client went away");
        });
        return drained.future();
    }
}
