package io.vertable.http;

import io.vertable.kit.stores.EventsClient;
import io.vertable.shared.JsonLimits;
import io.vertable.shared.asset.ImageType;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.RoomArchive;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a room archive into the document a JSON export is, checking as it goes: every name stays inside the archive,
 * the bytes actually inflated (never the sizes the headers claim) stay within the limits, the manifest is of a version
 * this server reads and its checksums match every entry, each image is an image. Blocking and CPU-bound: run it on a
 * worker. Nothing is stored here; a refusal leaves nothing behind.
 */
final class ArchiveReader {

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_NAME_SHOWN = 80;

    private final ArchiveLimits limits;
    private final long archiveBytes;
    private final Map<String, byte[]> entries = new TreeMap<>();
    private long unpacked;

    private ArchiveReader(ArchiveLimits limits, long archiveBytes) {
        this.limits = limits;
        this.archiveBytes = archiveBytes;
    }

    /** Whether a body is a ZIP file (a local file header, or the end record of an empty one). */
    static boolean isZip(Buffer body) {
        return body != null
                && body.length() >= 4
                && body.getByte(0) == 'P'
                && body.getByte(1) == 'K'
                && ((body.getByte(2) == 3 && body.getByte(3) == 4) || (body.getByte(2) == 5 && body.getByte(3) == 6));
    }

    /** @return {@code {format, room, events, assets[{id, name, contentType, content}], characters}} */
    static JsonObject read(Buffer archive, ArchiveLimits limits) {
        if (archive.length() > limits.maxBytes())
            throw refuse(ErrorCode.ARCHIVE_TOO_LARGE, "the archive is larger than " + limits.maxBytes() + " bytes");
        ArchiveReader reader = new ArchiveReader(limits, archive.length());
        reader.unpack(archive.getBytes());
        JsonObject manifest = reader.manifest();
        reader.checkChecksums(manifest);
        return reader.document(manifest);
    }

    // ---- unpacking ----

    private void unpack(byte[] archive) {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive), StandardCharsets.UTF_8)) {
            int count = 0;
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (++count > limits.maxEntries())
                    throw refuse(
                            ErrorCode.ARCHIVE_TOO_LARGE,
                            "the archive has more than " + limits.maxEntries() + " entries");
                String name = entry.getName();
                if (!RoomArchive.isSafeName(name))
                    throw refuse(
                            ErrorCode.ARCHIVE_UNSAFE_PATH,
                            "the entry " + shown(name) + " would be written outside the archive's folder");
                if (entry.isDirectory()) continue;
                if (entries.containsKey(name))
                    throw refuse(ErrorCode.ARCHIVE_INVALID, "the entry " + shown(name) + " appears twice");
                entries.put(name, inflate(zip, name));
            }
        } catch (IOException | IllegalArgumentException unreadable) {
            throw refuse(ErrorCode.ARCHIVE_INVALID, "the file is not a readable ZIP archive");
        }
        if (entries.isEmpty()) throw refuse(ErrorCode.ARCHIVE_INVALID, "the archive is empty");
    }

    /** One entry's bytes, counted as they inflate: a bomb is stopped at the limit, whatever its header says. */
    private byte[] inflate(ZipInputStream zip, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK];
        long entryBytes = 0;
        for (int n = zip.read(chunk); n >= 0; n = zip.read(chunk)) {
            entryBytes += n;
            unpacked += n;
            if (entryBytes > limits.maxEntryBytes())
                throw refuse(
                        ErrorCode.ARCHIVE_TOO_LARGE,
                        "the entry " + shown(name) + " unpacks to more than " + limits.maxEntryBytes() + " bytes");
            if (unpacked > limits.maxUncompressedBytes())
                throw refuse(
                        ErrorCode.ARCHIVE_TOO_LARGE,
                        "the archive unpacks to more than " + limits.maxUncompressedBytes() + " bytes");
            if (unpacked > ArchiveLimits.RATIO_FLOOR_BYTES && unpacked > archiveBytes * limits.maxRatio())
                throw refuse(
                        ErrorCode.ARCHIVE_TOO_LARGE,
                        "the archive unpacks to more than " + limits.maxRatio() + " times its own size (a ZIP bomb?)");
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    // ---- the manifest ----

    private JsonObject manifest() {
        byte[] text = entries.get(RoomArchive.MANIFEST);
        if (text == null)
            throw refuse(ErrorCode.ARCHIVE_INVALID, "no " + RoomArchive.MANIFEST + ": not a Vertable room archive");
        JsonObject manifest = json(RoomArchive.MANIFEST, text) instanceof JsonObject m ? m : null;
        if (manifest == null || !RoomArchive.FORMAT.equals(manifest.getValue("format")))
            throw refuse(ErrorCode.ARCHIVE_INVALID, "the manifest is not a " + RoomArchive.FORMAT + " manifest");
        Object version = manifest.getValue("version");
        if (!(version instanceof Integer v) || v < 1 || v > RoomArchive.VERSION)
            throw refuse(
                    ErrorCode.ARCHIVE_VERSION_UNSUPPORTED,
                    "the archive is of format version " + version + "; this server reads versions 1 to "
                            + RoomArchive.VERSION);
        return manifest;
    }

    /** Every entry but the manifest is listed with its SHA-256, and every listed entry is there. */
    private void checkChecksums(JsonObject manifest) {
        if (!(manifest.getValue("entries") instanceof JsonObject listed))
            throw refuse(ErrorCode.ARCHIVE_CHECKSUM_MISMATCH, "the manifest lists no checksums");
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (name.equals(RoomArchive.MANIFEST)) continue;
            Object expected = listed.getValue(name);
            if (expected == null)
                throw refuse(
                        ErrorCode.ARCHIVE_CHECKSUM_MISMATCH, "the entry " + shown(name) + " is not in the manifest");
            if (!AssetRoutes.sha256(entry.getValue()).equals(expected))
                throw refuse(
                        ErrorCode.ARCHIVE_CHECKSUM_MISMATCH,
                        "the entry " + shown(name) + " does not match its SHA-256 in the manifest");
        }
        for (String name : listed.fieldNames()) {
            if (!entries.containsKey(name))
                throw refuse(
                        ErrorCode.ARCHIVE_CHECKSUM_MISMATCH,
                        "the entry " + shown(name) + " the manifest lists is missing");
        }
        for (String name : entries.keySet()) {
            if (!RoomArchive.isKnownName(name))
                throw refuse(
                        ErrorCode.ARCHIVE_INVALID,
                        "the entry " + shown(name) + " is not part of format version " + RoomArchive.VERSION);
        }
    }

    // ---- the document ----

    private JsonObject document(JsonObject manifest) {
        JsonObject room = manifest.getValue("room") instanceof JsonObject r ? r.copy() : new JsonObject();
        return new JsonObject()
                .put("format", EventsClient.EXPORT_FORMAT)
                .put("room", room)
                .put("events", events())
                .put("assets", images(manifest))
                .put("characters", sheets());
    }

    /** The pages in name order, one event a line. */
    private JsonArray events() {
        JsonArray events = new JsonArray();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            if (!RoomArchive.isEventsPage(entry.getKey())) continue;
            String[] lines = new String(entry.getValue(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) continue;
                if (events.size() >= limits.maxEvents())
                    throw refuse(
                            ErrorCode.ARCHIVE_TOO_LARGE,
                            "the archive holds more than " + limits.maxEvents() + " events");
                String where = entry.getKey() + " line " + (i + 1);
                if (!(json(where, lines[i].getBytes(StandardCharsets.UTF_8)) instanceof JsonObject event))
                    throw refuse(ErrorCode.ARCHIVE_INVALID, where + " is not an event");
                events.add(event);
            }
        }
        return events;
    }

    /** Each image as the JSON import takes it, its type read from its bytes; its name from the manifest. */
    private JsonArray images(JsonObject manifest) {
        Map<String, String> names = new TreeMap<>();
        if (manifest.getValue("images") instanceof JsonArray listed) {
            for (Object i : listed) {
                if (i instanceof JsonObject image
                        && image.getValue("id") instanceof String id
                        && image.getValue("name") instanceof String name) names.put(id, name);
            }
        }
        JsonArray assets = new JsonArray();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (!RoomArchive.isImage(name)) continue;
            byte[] bytes = entry.getValue();
            if (bytes.length > limits.maxImageBytes())
                throw refuse(
                        ErrorCode.ARCHIVE_TOO_LARGE,
                        "the image " + name + " is larger than " + limits.maxImageBytes()
                                + " bytes (uploads.maxBytes)");
            ImageType type = ImageType.of(bytes)
                    .orElseThrow(() -> refuse(
                            ErrorCode.ASSET_NOT_AN_IMAGE,
                            "the entry " + name + " is not a PNG, JPEG, GIF or WebP image"));
            String id = RoomArchive.imageId(name);
            assets.add(new JsonObject()
                    .put("id", id)
                    .put("name", AssetRoutes.assetName(names.get(id), null, type))
                    .put("contentType", type.contentType())
                    .put("content", Buffer.buffer(bytes)));
        }
        return assets;
    }

    private JsonArray sheets() {
        byte[] text = entries.get(RoomArchive.SHEETS);
        if (text == null) return new JsonArray();
        if (!(json(RoomArchive.SHEETS, text) instanceof JsonArray sheets))
            throw refuse(ErrorCode.ARCHIVE_INVALID, RoomArchive.SHEETS + " must hold a list");
        return sheets;
    }

    /** JSON text of an entry, held to the doors' depth and text rules. */
    private static Object json(String where, byte[] text) {
        Buffer raw = Buffer.buffer(text);
        Failure tooDeep = JsonLimits.checkText(raw);
        if (tooDeep != null) throw refuse(tooDeep.code(), where + ": " + tooDeep.message());
        try {
            String json = raw.toString(StandardCharsets.UTF_8).strip();
            Object value = json.startsWith("[") ? new JsonArray(json) : new JsonObject(json);
            Failure unfit = JsonLimits.check(value);
            if (unfit != null) throw refuse(unfit.code(), where + ": " + unfit.message());
            return value;
        } catch (DecodeException | ClassCastException e) {
            throw refuse(ErrorCode.ARCHIVE_INVALID, where + " is not JSON");
        }
    }

    /** An entry name as a message may show it: printable and short. */
    private static String shown(String name) {
        String clean = name.replaceAll("\\p{Cntrl}", "?");
        return "'" + (clean.length() > MAX_NAME_SHOWN ? clean.substring(0, MAX_NAME_SHOWN) + "…" : clean) + "'";
    }

    private static FailureException refuse(ErrorCode code, String message) {
        return new FailureException(code, message);
    }
}
