package io.vertable.http;

import io.vertable.shared.room.SceneTiles;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Cuts a map image into the tiles of a scene of a given size ({@link SceneTiles#TILE_PX} scene pixels a side, each
 * at the image's own resolution), with the JDK's ImageIO. A JPEG's tiles are JPEGs, anything else's PNGs. The
 * image's size is read from its header before a pixel is decoded, so a small file claiming a huge image costs
 * nothing.
 */
final class MapTiles {

    /** One encoded tile. */
    record Tile(byte[] bytes, String contentType) {}

    /** Every tile of one image on one scene size, row by row. */
    record TileSet(Tile[] tiles, int cols, long bytes) {
        Tile tile(int col, int row) {
            return tiles[row * cols + col];
        }
    }

    private MapTiles() {}

    /** All tiles of {@code image} stretched over a scene of {@code width} × {@code height} (blocking: decodes). */
    static TileSet cut(byte[] image, double width, double height) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) throw notTileable("no reader for this image's format");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > SceneTiles.MAX_IMAGE_PIXELS)
                    throw notTileable("the image has " + pixels + " pixels, over " + SceneTiles.MAX_IMAGE_PIXELS);
                boolean jpeg = reader.getFormatName().toLowerCase(Locale.ROOT).contains("jp");
                return cut(reader.read(0), width, height, jpeg);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof FailureException refusal) throw refusal;
            throw notTileable("the image could not be read: " + e.getMessage());
        }
    }

    private static TileSet cut(BufferedImage image, double width, double height, boolean jpeg) throws IOException {
        int cols = SceneTiles.cols(width), rows = SceneTiles.rows(height);
        double sx = image.getWidth() / width, sy = image.getHeight() / height;
        Tile[] tiles = new Tile[cols * rows];
        long bytes = 0;
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < cols; col++) {
                int x0 = pixel(col * SceneTiles.TILE_PX * sx, image.getWidth());
                int x1 = pixel(Math.min(width, (col + 1.0) * SceneTiles.TILE_PX) * sx, image.getWidth());
                int y0 = pixel(row * SceneTiles.TILE_PX * sy, image.getHeight());
                int y1 = pixel(Math.min(height, (row + 1.0) * SceneTiles.TILE_PX) * sy, image.getHeight());
                x0 = Math.min(x0, image.getWidth() - 1);
                y0 = Math.min(y0, image.getHeight() - 1);
                Tile tile = encode(copy(image, x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0), jpeg), jpeg);
                tiles[row * cols + col] = tile;
                bytes += tile.bytes().length;
            }
        }
        return new TileSet(tiles, cols, bytes);
    }

    /**
     * Tile (col, row) of a scene of {@code width} × {@code height} with every cell the mask does not show painted
     * black (blocking: decodes and encodes the one tile). A cell's edge is rounded outwards, so a hidden cell never
     * leaves a sliver of itself.
     */
    static Tile masked(Tile tile, double width, double height, int col, int row, SceneTiles.Mask mask) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(tile.bytes()));
            double left = col * (double) SceneTiles.TILE_PX, top = row * (double) SceneTiles.TILE_PX;
            double sx = image.getWidth() / (Math.min(width, left + SceneTiles.TILE_PX) - left);
            double sy = image.getHeight() / (Math.min(height, top + SceneTiles.TILE_PX) - top);
            Graphics2D paint = image.createGraphics();
            paint.setComposite(AlphaComposite.Src);
            paint.setColor(Color.BLACK);
            for (int r = mask.r0(); r <= mask.r1(); r++) {
                for (int c = mask.c0(); c <= mask.c1(); c++) {
                    if (mask.shown(c, r)) continue;
                    int x0 = (int) Math.floor((c * mask.cell() - left) * sx);
                    int y0 = (int) Math.floor((r * mask.cell() - top) * sy);
                    int x1 = (int) Math.ceil(((c + 1) * mask.cell() - left) * sx);
                    int y1 = (int) Math.ceil(((r + 1) * mask.cell() - top) * sy);
                    paint.fillRect(x0, y0, x1 - x0, y1 - y0);
                }
            }
            paint.dispose();
            return encode(image, "image/jpeg".equals(tile.contentType()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image column or row nearest a scene coordinate, within the image (an end may be its size). */
    private static int pixel(double at, int size) {
        return (int) Math.max(0, Math.min(size, Math.round(at)));
    }

    /** A tile's own pixels (encoders write a sub-image's parent raster badly on some JDKs). */
    private static BufferedImage copy(BufferedImage image, int x, int y, int w, int h, boolean jpeg) {
        w = Math.min(w, image.getWidth() - x);
        h = Math.min(h, image.getHeight() - y);
        BufferedImage tile = new BufferedImage(w, h, jpeg ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        tile.getGraphics().drawImage(image.getSubimage(x, y, w, h), 0, 0, null);
        return tile;
    }

    private static Tile encode(BufferedImage tile, boolean jpeg) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(tile, jpeg ? "jpeg" : "png", out);
        return new Tile(out.toByteArray(), jpeg ? "image/jpeg" : "image/png");
    }

    private static FailureException notTileable(String why) {
        return new FailureException(ErrorCode.IMAGE_NOT_TILEABLE, why);
    }

    /** Cut tile sets by key, the least recently used dropped past a budget of encoded bytes. */
    static final class Cache<V> {
        private final long budget;
        private final java.util.function.ToLongFunction<V> size;
        private final Map<String, V> entries = new LinkedHashMap<>(16, 0.75f, true);
        private long used;

        Cache(long budget, java.util.function.ToLongFunction<V> size) {
            this.budget = budget;
            this.size = size;
        }

        V get(String key) {
            return entries.get(key);
        }

        void put(String key, V value) {
            V old = entries.put(key, value);
            if (old != null) used -= size.applyAsLong(old);
            used += size.applyAsLong(value);
            Iterator<Map.Entry<String, V>> eldest = entries.entrySet().iterator();
            while (used > budget && entries.size() > 1 && eldest.hasNext()) {
                Map.Entry<String, V> entry = eldest.next();
                if (entry.getKey().equals(key)) continue;
                used -= size.applyAsLong(entry.getValue());
                eldest.remove();
            }
        }
    }
}
