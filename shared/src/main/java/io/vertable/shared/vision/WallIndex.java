package io.vertable.shared.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wall segments of one scene in a uniform grid of buckets, so a ray or a path looks only at the walls near it. A
 * ray walks the buckets it passes in order (Amanatides and Woo's traversal) and stops at the first bucket beyond its
 * nearest stopping hit. Immutable once built; shared between threads.
 */
public final class WallIndex {

    /** Bucket side in scene pixels: a few grid cells, so a bucket holds a handful of segments. */
    static final double BUCKET = 128;

    private final Segment[] segments;
    private final Map<Long, int[]> buckets;
    /** The box around every segment: a ray that has left it meets nothing more. */
    private double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;

    private double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;

    public WallIndex(List<Segment> all) {
        this.segments = all.toArray(Segment[]::new);
        Map<Long, List<Integer>> building = new HashMap<>();
        long firstBx = Long.MAX_VALUE, firstBy = Long.MAX_VALUE, lastBx = Long.MIN_VALUE, lastBy = Long.MIN_VALUE;
        for (int i = 0; i < segments.length; i++) {
            Segment s = segments[i];
            minX = Math.min(minX, s.minX());
            minY = Math.min(minY, s.minY());
            maxX = Math.max(maxX, s.maxX());
            maxY = Math.max(maxY, s.maxY());
            // A segment goes into every bucket its bounding box touches: never missed, at worst looked at twice. The
            // box is grown by the hit test's tolerance (touching counts, a little past the ends too), so a ray that
            // runs along a bucket's edge meets what it would meet testing every segment.
            double pad = 1e-6 + 1e-9 * Math.hypot(s.x2() - s.x1(), s.y2() - s.y1());
            firstBx = Math.min(firstBx, bucket(s.minX() - pad));
            firstBy = Math.min(firstBy, bucket(s.minY() - pad));
            lastBx = Math.max(lastBx, bucket(s.maxX() + pad));
            lastBy = Math.max(lastBy, bucket(s.maxY() + pad));
            for (long bx = bucket(s.minX() - pad); bx <= bucket(s.maxX() + pad); bx++)
                for (long by = bucket(s.minY() - pad); by <= bucket(s.maxY() + pad); by++)
                    building.computeIfAbsent(key(bx, by), k -> new ArrayList<>())
                            .add(i);
        }
        this.buckets = new HashMap<>();
        building.forEach((k, list) ->
                buckets.put(k, list.stream().mapToInt(Integer::intValue).toArray()));
        this.denseX = segments.length == 0 ? 0 : firstBx;
        this.denseY = segments.length == 0 ? 0 : firstBy;
        long cols = segments.length == 0 ? 0 : lastBx - denseX + 1;
        long rows = segments.length == 0 ? 0 : lastBy - denseY + 1;
        // The buckets as an array when the walls' box is not huge: a ray's walk then looks up without boxing a key.
        if (cols * rows <= MAX_DENSE) {
            this.cols = (int) cols;
            this.dense = new int[(int) (cols * rows)][];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) dense[r * this.cols + c] = buckets.get(key(denseX + c, denseY + r));
        } else {
            this.cols = 0;
            this.dense = null;
        }
        this.sx1 = new double[segments.length];
        this.sy1 = new double[segments.length];
        this.sx2 = new double[segments.length];
        this.sy2 = new double[segments.length];
        this.sight = new byte[segments.length];
        for (int i = 0; i < segments.length; i++) {
            Segment s = segments[i];
            sx1[i] = s.x1();
            sy1[i] = s.y1();
            sx2[i] = s.x2();
            sy2[i] = s.y2();
            sight[i] = (byte) s.sight().ordinal();
        }
        int cells = dense == null ? 0 : dense.length;
        this.sightStart = new int[cells + 1];
        int total = 0;
        for (int c = 0; c < cells; c++) {
            sightStart[c] = total;
            if (dense[c] != null) for (int id : dense[c]) if (sight[id] != NONE) total++;
        }
        sightStart[cells] = total;
        this.sightIds = new int[total];
        for (int c = 0, k = 0; c < cells; c++)
            if (dense[c] != null) for (int id : dense[c]) if (sight[id] != NONE) sightIds[k++] = id;
    }

    /*
     * What a ray's walk reads, laid out flat (it runs thousands of times per polygon): each segment's ends and how it
     * stops sight, by index; and per dense bucket, the segments in it that stop sight, as one array of ids with each
     * bucket's start (bucket c holds sightIds[sightStart[c] .. sightStart[c + 1])).
     */
    private static final byte NONE = (byte) Segment.Sight.NONE.ordinal();
    private static final byte FULL = (byte) Segment.Sight.FULL.ordinal();
    private final double[] sx1;
    private final double[] sy1;
    private final double[] sx2;
    private final double[] sy2;
    private final byte[] sight;
    private final int[] sightStart;
    private final int[] sightIds;

    private static final long MAX_DENSE = 1 << 20;
    private final long denseX;
    private final long denseY;
    private final int cols;
    private final int[][] dense;

    /** The segments of bucket (bx, by), or null. */
    private int[] at(long bx, long by) {
        if (dense == null) return buckets.get(key(bx, by));
        long c = bx - denseX, r = by - denseY;
        if (c < 0 || r < 0 || c >= cols || r * cols + c >= dense.length) return null;
        return dense[(int) (r * cols + c)];
    }

    public int size() {
        return segments.length;
    }

    public Segment segment(int i) {
        return segments[i];
    }

    private static long bucket(double v) {
        return (long) Math.floor(v / BUCKET);
    }

    /**
     * One number per bucket, its bits mixed by an odd multiplier (one-to-one): {@link Long#hashCode} folds the halves
     * together, so unmixed keys of a grid collide (bx ^ by) and the map's bins degrade into trees.
     */
    private static long key(long bx, long by) {
        return ((bx << 32) ^ (by & 0xffffffffL)) * 0x9E3779B97F4A7C15L;
    }

    /** Whether a segment that stops movement meets the path a→b (touching counts: {@link Segment#meets}). */
    public boolean blocksMove(double ax, double ay, double bx, double by) {
        return firstMet(ax, ay, bx, by, true) != null;
    }

    /** The first segment found that the path meets and that stops movement (or, with !moving, any segment), or null. */
    Segment firstMet(double ax, double ay, double bx, double by, boolean moving) {
        long x0 = bucket(Math.min(ax, bx) - 1e-6), x1 = bucket(Math.max(ax, bx) + 1e-6);
        long y0 = bucket(Math.min(ay, by) - 1e-6), y1 = bucket(Math.max(ay, by) + 1e-6);
        for (long x = x0; x <= x1; x++) {
            for (long y = y0; y <= y1; y++) {
                int[] ids = at(x, y);
                if (ids == null) continue;
                for (int id : ids) {
                    Segment s = segments[id];
                    if (moving && !s.blocksMove()) continue;
                    if (s.meets(ax, ay, bx, by)) return s;
                }
            }
        }
        return null;
    }

    /**
     * How far a ray from (ox, oy) along the unit direction (dx, dy) goes before sight stops, at most {@code range}: at
     * the first {@link Segment.Sight#FULL} segment or the second {@link Segment.Sight#LIMITED} one. {@code seen} is
     * scratch space of {@link #size()} ints and {@code stamp} a number unique to this ray, so a segment in several
     * buckets counts once.
     */
    double cast(double ox, double oy, double dx, double dy, double range, int[] seen, int stamp) {
        return cast(ox, oy, dx, dy, range, seen, stamp, new int[1]);
    }

    /**
     * {@link #cast(double, double, double, double, double, int[], int)}, also telling which segment stopped the ray:
     * {@code stopper[0]} is the {@link Segment.Sight#FULL} segment it stopped at with no terrain crossed before it, or
     * -1 (nothing within range, or terrain involved).
     */
    double cast(double ox, double oy, double dx, double dy, double range, int[] seen, int stamp, int[] stopper) {
        double stop = range;
        double full = Double.POSITIVE_INFINITY;
        int fullId = -1;
        stopper[0] = -1;
        double limited1 = Double.POSITIVE_INFINITY;
        // Multiplying by the inverses instead of dividing: these only steer the walk, which segments' padding in
        // their buckets makes safe against the last bit of rounding; hits are computed exactly as before.
        double invX = 1 / dx, invY = 1 / dy;
        double leaves = leaves(ox, oy, dx, dy, invX, invY);
        if (leaves < 0) return range;
        long bx = bucket(ox), by = bucket(oy);
        int stepX = dx > 0 ? 1 : -1, stepY = dy > 0 ? 1 : -1;
        double nextX = (dx > 0 ? (bx + 1) * BUCKET : bx * BUCKET) - ox;
        double nextY = (dy > 0 ? (by + 1) * BUCKET : by * BUCKET) - oy;
        double tMaxX = dx == 0 ? Double.POSITIVE_INFINITY : nextX * invX;
        double tMaxY = dy == 0 ? Double.POSITIVE_INFINITY : nextY * invY;
        double tDeltaX = dx == 0 ? Double.POSITIVE_INFINITY : BUCKET * Math.abs(invX);
        double tDeltaY = dy == 0 ? Double.POSITIVE_INFINITY : BUCKET * Math.abs(invY);
        while (true) {
            int[] ids;
            int from, to;
            if (dense != null) {
                long c = bx - denseX, r = by - denseY;
                int cell = c < 0 || r < 0 || c >= cols || r * cols + c >= dense.length ? -1 : (int) (r * cols + c);
                ids = sightIds;
                from = cell < 0 ? 0 : sightStart[cell];
                to = cell < 0 ? 0 : sightStart[cell + 1];
            } else {
                ids = buckets.get(key(bx, by));
                from = 0;
                to = ids == null ? 0 : ids.length;
            }
            for (int k = from; k < to; k++) {
                int id = ids[k];
                if (seen[id] == stamp) continue;
                seen[id] = stamp;
                byte kind = sight[id];
                if (kind == NONE) continue;
                double t = hit(ox, oy, dx, dy, sx1[id], sy1[id], sx2[id], sy2[id]);
                if (t < 0) continue;
                if (kind == FULL) {
                    stop = Math.min(stop, t);
                    if (t < full) {
                        full = t;
                        fullId = id;
                    }
                } else if (t < limited1) {
                    stop = Math.min(stop, limited1);
                    limited1 = t;
                } else {
                    stop = Math.min(stop, t);
                }
            }
            double exit = Math.min(tMaxX, tMaxY);
            if (exit >= stop || exit > leaves) {
                if (full == stop && full < range && limited1 >= stop) stopper[0] = fullId;
                return stop;
            }
            if (tMaxX < tMaxY) {
                tMaxX += tDeltaX;
                bx += stepX;
            } else {
                tMaxY += tDeltaY;
                by += stepY;
            }
        }
    }

    /** Where the ray leaves the box around all segments (slab test), or -1 when it never meets it. */
    private double leaves(double ox, double oy, double dx, double dy, double invX, double invY) {
        if (segments.length == 0) return -1;
        double tNear = 0, tFar = Double.POSITIVE_INFINITY;
        // No arrays here: this runs once per ray, thousands of times per polygon.
        double lo = minX - 1, hi = maxX + 1;
        if (Math.abs(dx) < 1e-15) {
            if (ox < lo || ox > hi) return -1;
        } else {
            double t1 = (lo - ox) * invX, t2 = (hi - ox) * invX;
            tNear = Math.max(tNear, Math.min(t1, t2));
            tFar = Math.min(tFar, Math.max(t1, t2));
        }
        lo = minY - 1;
        hi = maxY + 1;
        if (Math.abs(dy) < 1e-15) {
            if (oy < lo || oy > hi) return -1;
        } else {
            double t1 = (lo - oy) * invY, t2 = (hi - oy) * invY;
            tNear = Math.max(tNear, Math.min(t1, t2));
            tFar = Math.min(tFar, Math.max(t1, t2));
        }
        return tNear > tFar ? -1 : tFar;
    }

    /** The ray parameter where the ray meets the segment (ends included), or -1. */
    static double hit(double ox, double oy, double dx, double dy, Segment s) {
        return hit(ox, oy, dx, dy, s.x1(), s.y1(), s.x2(), s.y2());
    }

    /** The ray parameter where the ray meets the segment (x1, y1)–(x2, y2) (ends included), or -1. */
    static double hit(double ox, double oy, double dx, double dy, double x1, double y1, double x2, double y2) {
        double ex = x2 - x1, ey = y2 - y1;
        double denom = dx * ey - dy * ex;
        double wx = x1 - ox, wy = y1 - oy;
        if (Math.abs(denom) < 1e-12) return alongside(wx, wy, dx, dy, x1, y1, x2, y2);
        double t = (wx * ey - wy * ex) / denom;
        double u = (wx * dy - wy * dx) / denom;
        if (u < -1e-9 || u > 1 + 1e-9 || t < 0) return -1;
        return t;
    }

    /**
     * A ray parallel to a segment: when it runs along the segment itself (grazing its face), the segment stops it where
     * they first meet, as touching a wall counts as meeting it; a parallel ray beside it misses.
     */
    private static double alongside(
            double wx, double wy, double dx, double dy, double x1, double y1, double x2, double y2) {
        double offLine = wx * dy - wy * dx;
        if (Math.abs(offLine) > 1e-9) return -1;
        double t1 = wx * dx + wy * dy;
        double t2 = (x2 - (x1 - wx)) * dx + (y2 - (y1 - wy)) * dy;
        if (Math.max(t1, t2) < 0) return -1;
        return Math.max(0, Math.min(t1, t2));
    }

    /**
     * Indexes of the segments whose buckets meet the box (some may lie outside it), in ascending order: each found
     * segment is marked in {@code seen}, then the marks are read in index order, which costs less than sorting them.
     */
    int[] near(double minX, double minY, double maxX, double maxY, int[] seen, int stamp) {
        // A box around every wall (an eye that sees the whole scene): all of them, in order, with nothing to mark.
        if (minX <= this.minX && minY <= this.minY && maxX >= this.maxX && maxY >= this.maxY) {
            int[] all = new int[segments.length];
            for (int id = 0; id < all.length; id++) all[id] = id;
            return all;
        }
        long x0 = bucket(minX), x1 = bucket(maxX), y0 = bucket(minY), y1 = bucket(maxY);
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > buckets.size()) {
            for (int[] ids : buckets.values()) mark(ids, seen, stamp);
        } else {
            for (long x = x0; x <= x1; x++)
                for (long y = y0; y <= y1; y++) {
                    int[] ids = at(x, y);
                    if (ids != null) mark(ids, seen, stamp);
                }
        }
        // At most every segment once: no growing list, no boxing.
        int[] found = new int[segments.length];
        int n = 0;
        for (int id = 0; id < segments.length; id++) if (seen[id] == stamp) found[n++] = id;
        return Arrays.copyOf(found, n);
    }

    private static void mark(int[] ids, int[] seen, int stamp) {
        for (int id : ids) seen[id] = stamp;
    }
}
