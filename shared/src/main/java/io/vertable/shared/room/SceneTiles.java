package io.vertable.shared.room;

import io.vertable.shared.asset.AssetLimits;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.BitSet;

/**
 * A scene's map image cut into square tiles of {@link #TILE_PX} scene pixels (docs/vision.md). With the shown
 * scene's vision on, players get no image in their view, only {@code tiled: true}, and fetch the tiles they have
 * explored: a tile is theirs when it overlaps one of their explored cells or a cell next to one, and every other cell of
 * it is painted black before it is sent ({@link Mask}). GMs fetch every tile; with vision off any member fetches the
 * shown scene's tiles.
 */
public final class SceneTiles {

    /** A tile's side in scene pixels. */
    public static final int TILE_PX = 256;
    /** A map image of more pixels is not cut (decoded, it would hold about 4 bytes a pixel in memory). */
    public static final long MAX_IMAGE_PIXELS = 25_000_000L;
    /**
     * A scene cut into more tiles is not cut: every tile is encoded at once, on a worker thread (64 × 64 tiles is a
     * scene of 16,384 pixels a side, several times the largest battle map).
     */
    public static final int MAX_TILES = 4_096;
    /** Encoded tiles kept in memory per HTTP verticle, most recently used first. */
    public static final long CACHE_BYTES = 64L * 1024 * 1024;

    private SceneTiles() {}

    /** The room asset a scene image names (its id, or {@code /api/assets/<id>}), or null for any other image. */
    public static String assetOf(String image) {
        if (image == null) return null;
        String id = image.startsWith(AssetLimits.URL_PREFIX) ? image.substring(AssetLimits.URL_PREFIX.length()) : image;
        return StreamAddress.isId(id) ? id : null;
    }

    /** Whether players of this scene get tiles instead of its image: vision on and the image is the room's. */
    public static boolean tiled(JsonObject scene) {
        return scene.getBoolean("vision", false) && assetOf(scene.getString("image")) != null;
    }

    public static int cols(JsonObject scene) {
        return cols(scene.getDouble("width"));
    }

    public static int rows(JsonObject scene) {
        return rows(scene.getDouble("height"));
    }

    public static int cols(double width) {
        return (int) Math.ceil(width / TILE_PX);
    }

    public static int rows(double height) {
        return (int) Math.ceil(height / TILE_PX);
    }

    /**
     * What to cut tile (col, row) of a scene from (with {@code vision}, the state's own: {@link Vision#of}), {@code {asset, width, height, mask?}} (the mask when some of its cells
     * must be painted black for this player), when this member may have it; else
     * a refusal: {@code
     * NOT_FOUND} for a scene, image or tile that is not there (or a scene players are not shown), {@code
     * TILE_UNEXPLORED} for a tile of a vision scene the player has not explored.
     */
    public static JsonObject tile(
            JsonObject state, Vision vision, String sceneId, String userId, boolean gm, int col, int row) {
        JsonObject scene =
                sceneId == null ? null : state.getJsonObject("scenes").getJsonObject(sceneId);
        if (scene == null) throw new FailureException(ErrorCode.NOT_FOUND, "no such scene");
        String asset = assetOf(scene.getString("image"));
        if (asset == null) throw new FailureException(ErrorCode.NOT_FOUND, "the scene has no image of the room's");
        if (col < 0 || row < 0 || col >= cols(scene) || row >= rows(scene))
            throw new FailureException(ErrorCode.NOT_FOUND, "no such tile");
        if ((long) cols(scene) * rows(scene) > MAX_TILES)
            throw new FailureException(
                    ErrorCode.IMAGE_NOT_TILEABLE,
                    "the scene would be cut into " + (long) cols(scene) * rows(scene) + " tiles, over " + MAX_TILES);
        JsonObject source = new JsonObject()
                .put("asset", asset)
                .put("width", scene.getDouble("width"))
                .put("height", scene.getDouble("height"));
        if (gm) return source;
        if (!sceneId.equals(state.getString("activeScene")))
            throw new FailureException(ErrorCode.NOT_FOUND, "no such scene");
        if (!scene.getBoolean("vision", false)) return source;
        JsonObject explored = vision == null ? null : vision.of(userId).explored();
        Mask mask = explored == null ? null : Mask.of(explored, col, row);
        if (mask == null || mask.noneShown())
            throw new FailureException(ErrorCode.TILE_UNEXPLORED, "tile " + col + "," + row + " is not explored");
        return mask.allShown() ? source : source.put("mask", mask.toJson());
    }

    /**
     * Refuses a member who is not a GM the whole image of a scene whose players get it as tiles ({@code
     * MAP_SHOWN_IN_TILES}): its asset id may have been seen while the scene's vision was off, or in a handout of the same
     * image, and {@code /api/assets/<id>} would hand over the unexplored map.
     */
    public static void checkWholeImage(JsonObject state, String assetId, boolean gm) {
        if (gm) return;
        JsonObject scenes = state.getJsonObject("scenes");
        for (String sceneId : scenes.fieldNames()) {
            JsonObject scene = scenes.getJsonObject(sceneId);
            if (tiled(scene) && assetId.equals(assetOf(scene.getString("image"))))
                throw new FailureException(ErrorCode.MAP_SHOWN_IN_TILES, null);
        }
    }

    /**
     * Which grid cells of tile (col, row) a player is shown: those they explored and those next to one (explored cells
     * are marked by their centres, so a cell the sight only grazes still shows its part of the map). The others are
     * painted black before the tile leaves the server, so no pixel more than a cell away from what a player explored
     * reaches their browser.
     *
     * @param shown one '1' or '0' per cell of the tile, row by row from ({@code c0}, {@code r0}) to ({@code c1},
     *     {@code r1}), both included
     */
    public record Mask(double cell, int c0, int r0, int c1, int r1, String shown) {

        static Mask of(JsonObject explored, int col, int row) {
            double cell = explored.getDouble("cell");
            int cols = explored.getInteger("cols"), rows = explored.getInteger("rows");
            BitSet bits = BitSet.valueOf(Base64.getDecoder().decode(explored.getString("bits")));
            int c0 = (int) Math.floor(col * TILE_PX / cell), c1 = lastCell((col + 1) * TILE_PX, cell, cols);
            int r0 = (int) Math.floor(row * TILE_PX / cell), r1 = lastCell((row + 1) * TILE_PX, cell, rows);
            if (c0 > c1 || r0 > r1) return null;
            StringBuilder shown = new StringBuilder((c1 - c0 + 1) * (r1 - r0 + 1));
            for (int r = r0; r <= r1; r++) {
                for (int c = c0; c <= c1; c++) shown.append(nearExplored(bits, cols, rows, c, r) ? '1' : '0');
            }
            return new Mask(cell, c0, r0, c1, r1, shown.toString());
        }

        private static boolean nearExplored(BitSet bits, int cols, int rows, int c, int r) {
            for (int y = Math.max(0, r - 1); y <= Math.min(rows - 1, r + 1); y++) {
                for (int x = Math.max(0, c - 1); x <= Math.min(cols - 1, c + 1); x++) {
                    if (bits.get(y * cols + x)) return true;
                }
            }
            return false;
        }

        static Mask fromJson(JsonObject json) {
            return new Mask(
                    json.getDouble("cell"),
                    json.getInteger("c0"),
                    json.getInteger("r0"),
                    json.getInteger("c1"),
                    json.getInteger("r1"),
                    json.getString("shown"));
        }

        public static Mask from(JsonObject answer) {
            JsonObject mask = answer.getJsonObject("mask");
            return mask == null ? null : fromJson(mask);
        }

        JsonObject toJson() {
            return new JsonObject()
                    .put("cell", cell)
                    .put("c0", c0)
                    .put("r0", r0)
                    .put("c1", c1)
                    .put("r1", r1)
                    .put("shown", shown);
        }

        public boolean shown(int c, int r) {
            return shown.charAt((r - r0) * (c1 - c0 + 1) + (c - c0)) == '1';
        }

        boolean noneShown() {
            return shown.indexOf('1') < 0;
        }

        boolean allShown() {
            return shown.indexOf('0') < 0;
        }
    }

    /** The last cell that starts before {@code end}. */
    private static int lastCell(double end, double cell, int count) {
        return Math.min(count - 1, (int) Math.ceil(end / cell) - 1);
    }
}
