package io.vertable.shared.asset;

/** Limits and names of room assets (map and token images) that the server and clients share. */
public final class AssetLimits {

    /** Default of {@code uploads.maxBytes}: the largest image a GM may upload. */
    public static final int DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

    /** Images one room may hold; a GM deletes some before uploading more. */
    public static final int MAX_PER_ROOM = 200;

    /** Longest asset name kept (longer ones are cut). */
    public static final int MAX_NAME = 120;

    /** Where an asset's bytes are served: this prefix and its id. */
    public static final String URL_PREFIX = "/api/assets/";

    private AssetLimits() {}

    public static String url(String assetId) {
        return URL_PREFIX + assetId;
    }
}
