package io.vertable.http;

import io.vertx.core.json.JsonObject;

/**
 * What a room archive's import may take, from the {@code archives} configuration: the file's bytes, its entries, the
 * bytes they unpack to (each and all), how many times its own size it may unpack to, and its events. Images are
 * bounded as uploads are ({@code uploads.maxBytes}).
 */
record ArchiveLimits(
        long maxBytes,
        int maxEntries,
        long maxEntryBytes,
        long maxUncompressedBytes,
        int maxRatio,
        int maxEvents,
        long maxImageBytes) {

    /** Below this many unpacked bytes the ratio is not held against an archive: tiny files compress oddly. */
    static final long RATIO_FLOOR_BYTES = 1024 * 1024;

    static ArchiveLimits of(JsonObject config) {
        JsonObject archives = config.getJsonObject("archives");
        return new ArchiveLimits(
                archives.getLong("maxBytes"),
                archives.getInteger("maxEntries"),
                archives.getLong("maxEntryBytes"),
                archives.getLong("maxUncompressedBytes"),
                archives.getInteger("maxRatio"),
                archives.getInteger("maxEvents"),
                config.getJsonObject("uploads").getLong("maxBytes"));
    }
}
