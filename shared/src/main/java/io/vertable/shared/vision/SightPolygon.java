package io.vertable.shared.vision;

import java.util.Arrays;

/**
 * What can be seen from one point within a range: the visibility polygon found by casting rays at every wall end
 * near the point (and just either side of it, so the ray slips past the corner to what lies behind), plus
 * {@link #CIRCLE_RAYS} evenly spaced rays for the edge of the range. The polygon is star-shaped around its origin and
 * lies inside the range's circle (its arcs are chords), so it never claims more than the range allows.
 */
public final class SightPolygon {

    /** Rays that trace the range's circle where no wall stops them. */
    static final int CIRCLE_RAYS = 64;
    /** How far either side of a wall end the extra rays go, in radians. */
    static final double EPSILON = 1e-5;

    private final double ox;
    private final double oy;
    private final double range;
    private final double[] angles;
    private final double[] xs;
    private final double[] ys;

    /** The bounding box {minX, minY, maxX, maxY}, origin included: points outside it are outside. */
    private final double[] box;

    private SightPolygon(double ox, double oy, double range, double[] angles, double[] xs, double[] ys) {
        this.ox = ox;
        this.oy = oy;
        this.range = range;
        this.angles = angles;
        this.xs = xs;
        this.ys = ys;
        this.box = box(ox, oy, xs, ys);
    }

    private static double[] box(double ox, double oy, double[] xs, double[] ys) {
        double[] b = {ox, oy, ox, oy};
        for (int i = 0; i < xs.length; i++) {
            b[0] = Math.min(b[0], xs[i]);
            b[1] = Math.min(b[1], ys[i]);
            b[2] = Math.max(b[2], xs[i]);
            b[3] = Math.max(b[3], ys[i]);
        }
        return b;
    }

    /** Casts the rays from (ox, oy) against the index's walls, out to {@code range} scene pixels. */
    public static SightPolygon cast(WallIndex walls, double ox, double oy, double range) {
        int[] seen = new int[Math.max(1, walls.size())];
        // In index order, so the end a polyline's segment shares with the one before it is cast once.
        int[] near = walls.near(ox - range, oy - range, ox + range, oy + range, seen, 1);
        double[] ends = new double[near.length * 2];
        int e = 0;
        Segment previous = null;
        for (int id : near) {
            Segment s = walls.segment(id);
            if (s.sight() == Segment.Sight.NONE) {
                previous = null;
                continue;
            }
            // The end this segment shares with the last one cast from: casting it again would only give equal angles,
            // which the sweep below drops, so skipping it changes nothing but the time.
            boolean shared = previous != null && previous.x2() == s.x1() && previous.y2() == s.y1();
            if (!shared) e = endAngle(ends, e, ox, oy, range, s.x1(), s.y1());
            e = endAngle(ends, e, ox, oy, range, s.x2(), s.y2());
            previous = s;
        }
        double[] candidates = rayAngles(ends, e);
        int n = candidates.length;
        double[] angles = new double[n];
        double[] xs = new double[n];
        double[] ys = new double[n];
        int m = 0;
        int stamp = 1;
        boolean empty = walls.size() == 0;
        for (int k = 0; k < n; k++) {
            double a = candidates[k];
            if (m > 0 && a - angles[m - 1] < 1e-12) continue;
            double dx = Math.cos(a), dy = Math.sin(a);
            double t = empty ? range : walls.cast(ox, oy, dx, dy, range, seen, ++stamp);
            angles[m] = a;
            xs[m] = ox + dx * t;
            ys[m] = oy + dy * t;
            m++;
        }
        return new SightPolygon(ox, oy, range, Arrays.copyOf(angles, m), Arrays.copyOf(xs, m), Arrays.copyOf(ys, m));
    }

    /** The angle of a wall end within range (not the origin itself), added to {@code into}. */
    private static int endAngle(double[] into, int n, double ox, double oy, double range, double x, double y) {
        double d = Math.hypot(x - ox, y - oy);
        if (d > range || d == 0) return n;
        into[n++] = Math.atan2(y - oy, x - ox);
        return n;
    }

    /**
     * Every ray's angle in ascending order: each wall end's, the two {@link #EPSILON} either side of it, and the
     * circle's. Sorting only the ends' angles, then putting each one's neighbours beside it, leaves the list nearly
     * sorted (out of place only where two ends lie closer than 2ε or a neighbour wraps past ±π), which an insertion
     * sort finishes in about one pass; the circle's rays, already in order, are merged in. The same list as sorting
     * all of them, in a third of the time.
     */
    private static double[] rayAngles(double[] ends, int e) {
        Arrays.sort(ends, 0, e);
        double[] around = new double[3 * e];
        int r = 0;
        for (int i = 0; i < e; i++) {
            double a = ends[i];
            around[r++] = wrap(a - EPSILON);
            around[r++] = a;
            around[r++] = wrap(a + EPSILON);
        }
        for (int i = 1; i < r; i++) {
            double v = around[i];
            int j = i - 1;
            while (j >= 0 && Double.compare(around[j], v) > 0) {
                around[j + 1] = around[j];
                j--;
            }
            around[j + 1] = v;
        }
        double[] all = new double[r + CIRCLE_RAYS];
        int k = 0, c = 0, n = 0;
        while (k < r || c < CIRCLE_RAYS) {
            double circle = c < CIRCLE_RAYS ? circleAngle(c) : Double.POSITIVE_INFINITY;
            if (k < r && (c >= CIRCLE_RAYS || Double.compare(around[k], circle) <= 0)) all[n++] = around[k++];
            else {
                all[n++] = circle;
                c++;
            }
        }
        return all;
    }

    private static double circleAngle(int i) {
        return -Math.PI + 2 * Math.PI * i / CIRCLE_RAYS;
    }

    private static double wrap(double a) {
        if (a < -Math.PI) return a + 2 * Math.PI;
        if (a >= Math.PI) return a - 2 * Math.PI;
        return a;
    }

    public double originX() {
        return ox;
    }

    public double originY() {
        return oy;
    }

    public double range() {
        return range;
    }

    public int size() {
        return xs.length;
    }

    /** The rays' angles and where they stopped, {angles, xs, ys}: for tests that compare polygons exactly. */
    double[][] rays() {
        return new double[][] {angles.clone(), xs.clone(), ys.clone()};
    }

    /**
     * Whether the point lies inside (the origin's own point included). The polygon is star-shaped around the origin,
     * so the two vertices whose angles bracket the point's decide it: O(log n).
     */
    public boolean contains(double px, double py) {
        // The box first: a point outside it is outside, whatever the edges say (the polygon lies within its box).
        if (px < box[0] || py < box[1] || px > box[2] || py > box[3]) return false;
        double dx = px - ox, dy = py - oy;
        if (dx * dx + dy * dy > range * range) return false;
        if (dx == 0 && dy == 0) return true;
        double a = Math.atan2(dy, dx);
        int i = Arrays.binarySearch(angles, a);
        int hi = i >= 0 ? i : -i - 1;
        int lo = hi - 1;
        int n = angles.length;
        if (i >= 0) lo = hi;
        if (hi >= n) hi = 0;
        if (lo < 0) lo = n - 1;
        double ex = xs[hi] - xs[lo], ey = ys[hi] - ys[lo];
        // Both rays stopped at one point (a token on a wall, a corner): the wedge between them has no area.
        if (lo == hi || ex * ex + ey * ey < 1e-18) return dx * dx + dy * dy <= sq(xs[lo] - ox) + sq(ys[lo] - oy);
        // Inside when the point is on the origin's side of the edge lo→hi (the edge runs counter-clockwise).
        return ex * (py - ys[lo]) - ey * (px - xs[lo]) >= 0;
    }

    private static double sq(double v) {
        return v * v;
    }

    private String path;
    private double[] outline;

    /**
     * The polygon as the browser draws it: "x,y x,y ..." in whole pixels, repeated points and points in line with
     * their neighbours left out (rays that hit one wall in a row). One string, built once: views compare it cheaply.
     */
    public String path() {
        if (path != null) return path;
        double[] ring = outline();
        StringBuilder out = new StringBuilder(ring.length * 5);
        for (int i = 0; i < ring.length; i += 2) {
            if (i > 0) out.append(' ');
            out.append((long) ring[i]).append(',').append((long) ring[i + 1]);
        }
        path = out.toString();
        return path;
    }

    /**
     * The points of {@link #path()} as [x0, y0, x1, y1, …] (whole pixels), for geometry that starts from the drawn
     * outline without reading the string back. Built once; do not change it.
     */
    public double[] outline() {
        if (outline != null) return outline;
        int n = xs.length;
        long[] px = new long[n], py = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            long x = Math.round(xs[i]), y = Math.round(ys[i]);
            if (m > 0 && px[m - 1] == x && py[m - 1] == y) continue;
            // The middle of three points in line adds nothing to the outline.
            if (m > 1 && (px[m - 1] - px[m - 2]) * (y - py[m - 2]) == (py[m - 1] - py[m - 2]) * (x - px[m - 2])) m--;
            px[m] = x;
            py[m] = y;
            m++;
        }
        double[] ring = new double[2 * m];
        for (int i = 0; i < m; i++) {
            ring[2 * i] = px[i];
            ring[2 * i + 1] = py[i];
        }
        outline = ring;
        return ring;
    }

    /** The bounding box: {minX, minY, maxX, maxY}. */
    public double[] bounds() {
        return box.clone();
    }

    /**
     * Calls {@code row} for each row of a grid (cells of side {@code cell} from (0,0), {@code rows} rows) with the
     * spans of cell centres inside the polygon: a scanline fill, O(edges + crossings).
     */
    public void scan(double cell, int cols, int rows, SpanSink row) {
        int n = xs.length;
        if (n < 3) return;
        double[][] perRow = new double[rows][];
        int[] counts = new int[rows];
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double y1 = ys[i], y2 = ys[j];
            if (y1 == y2) continue;
            double lowY = Math.min(y1, y2), highY = Math.max(y1, y2);
            int first = (int) Math.max(0, Math.ceil(lowY / cell - 0.5));
            int last = (int) Math.min(rows - 1, Math.ceil(highY / cell - 0.5) - 1);
            for (int r = first; r <= last; r++) {
                double cy = (r + 0.5) * cell;
                if (cy < lowY || cy >= highY) continue;
                double x = xs[i] + (cy - y1) / (y2 - y1) * (xs[j] - xs[i]);
                if (perRow[r] == null) perRow[r] = new double[4];
                if (counts[r] == perRow[r].length) perRow[r] = Arrays.copyOf(perRow[r], counts[r] * 2);
                perRow[r][counts[r]++] = x;
            }
        }
        for (int r = 0; r < rows; r++) {
            if (counts[r] < 2) continue;
            double[] xsOfRow = Arrays.copyOf(perRow[r], counts[r]);
            Arrays.sort(xsOfRow);
            for (int k = 0; k + 1 < xsOfRow.length; k += 2) {
                int from = (int) Math.max(0, Math.ceil(xsOfRow[k] / cell - 0.5));
                int to = (int) Math.min(cols - 1, Math.floor(xsOfRow[k + 1] / cell - 0.5));
                if (from <= to) row.span(r, from, to);
            }
        }
    }

    /** Receives the cells [from, to] of row {@code row}. */
    @FunctionalInterface
    public interface SpanSink {
        void span(int row, int from, int to);
    }
}
