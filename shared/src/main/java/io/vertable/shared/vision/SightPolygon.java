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

    /**
     * Casts the rays from (ox, oy) against the index's walls, out to {@code range} scene pixels, sweeping them in angle
     * order. A wall end hidden behind the wall the last ray stopped at adds nothing to the outline when the next ray
     * cast stops on that wall too (its three rays would stop on it, in line with their neighbours), so its rays are not
     * cast: see {@link Sweep#hidden}. Every vertex kept is the one casting every ray gives, bit for bit.
     */
    public static SightPolygon cast(WallIndex walls, double ox, double oy, double range) {
        return new Sweep(walls, ox, oy, range).run(true);
    }

    /** Every ray cast, none skipped: the reference the sweep is checked against. */
    static SightPolygon castEveryRay(WallIndex walls, double ox, double oy, double range) {
        return new Sweep(walls, ox, oy, range).run(false);
    }

    /**
     * One thread's working arrays for its casts, grown as needed and kept: a whole-scene cast would otherwise allocate
     * a few hundred kilobytes, each time a token moves. Only the polygon's own arrays are new per cast. A cast never
     * starts another on its thread, so one set per thread is enough.
     */
    private static final class Scratch {
        /** Marks of segments already tested (by stamp), and the last stamp used: stamps only grow, so never clear. */
        int[] seen = new int[0];

        int stamp;
        double[] angle = new double[0], x = new double[0], y = new double[0];
        double[] endA = new double[0], endX = new double[0], endY = new double[0];
        int[] start = new int[0], slot = new int[0], order = new int[0];
        double[] around = new double[0], all = new double[0];
        int[] aroundTags = new int[0], tags = new int[0], pending = new int[0], decidedIn = new int[0];
        double[] angles = new double[0], xs = new double[0], ys = new double[0];
        byte[] decided = new byte[0];

        /** The marks array for an index of {@code segments}, with a fresh start when stamps would run out. */
        int[] seen(int segments) {
            if (seen.length < segments || stamp > Integer.MAX_VALUE / 2) {
                seen = new int[Math.max(segments, seen.length)];
                stamp = 0;
            }
            return seen;
        }

        static double[] grow(double[] a, int n) {
            return a.length >= n ? a : new double[Math.max(n, a.length + a.length / 2)];
        }

        static int[] grow(int[] a, int n) {
            return a.length >= n ? a : new int[Math.max(n, a.length + a.length / 2)];
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One polygon's cast: the wall ends near the origin in angle order, then the rays swept around it. */
    private static final class Sweep {
        /** How far in front of an end (a fraction of its distance) a wall must pass to hide it. */
        private static final double MARGIN = 1e-6;

        private final WallIndex walls;
        private final double ox, oy, range;
        private final Scratch scratch = SCRATCH.get();
        private final int[] seen;
        /** The ends within range, sorted by angle: angle, x, y. */
        private double[] endA, endX, endY;

        private int ends;

        /** The wall the last ray cast stopped at (no terrain before it), or -1. */
        private int wall = -1;

        Sweep(WallIndex walls, double ox, double oy, double range) {
            this.walls = walls;
            this.ox = ox;
            this.oy = oy;
            this.range = range;
            this.seen = scratch.seen(Math.max(1, walls.size()));
            this.stamp = scratch.stamp;
        }

        SightPolygon run(boolean skipHidden) {
            try {
                return sweep(skipHidden);
            } finally {
                // Even a cast that failed hands its stamps on: a later cast reusing them would skip segments.
                scratch.stamp = stamp;
            }
        }

        private SightPolygon sweep(boolean skipHidden) {
            collectEnds();
            int[] tags = scratch.tags = Scratch.grow(scratch.tags, 3 * ends + CIRCLE_RAYS);
            double[] candidates = rayAngles(tags);
            int n = 3 * ends + CIRCLE_RAYS;
            angles = scratch.angles = Scratch.grow(scratch.angles, n);
            xs = scratch.xs = Scratch.grow(scratch.xs, n);
            ys = scratch.ys = Scratch.grow(scratch.ys, n);
            if (scratch.decided.length < ends) scratch.decided = new byte[Math.max(ends, 2 * scratch.decided.length)];
            byte[] decided = scratch.decided;
            Arrays.fill(decided, 0, ends, (byte) 0);
            int[] decidedIn = scratch.decidedIn = Scratch.grow(scratch.decidedIn, ends);
            int[] pending = scratch.pending = Scratch.grow(scratch.pending, n);
            int waiting = 0, waitingIn = 0;
            boolean any = false;
            double last = 0;
            int lastTag = -1;
            for (int k = 0; k < n; k++) {
                double a = candidates[k];
                int tag = tags[k];
                // Rays closer than 10⁻¹² rad to the one before are dropped, as casting every ray drops them. Unless it
                // is the same wall end again (two walls meeting there), stop skipping: a hidden end may be next to
                // one that is not.
                if (any && a - last < 1e-12) {
                    if (tag < 0 || lastTag < 0 || !sameEnd(tag / 3, lastTag / 3)) forget();
                    continue;
                }
                any = true;
                last = a;
                lastTag = tag;
                if (skipHidden && tag >= 0) {
                    int end = tag / 3;
                    if (decided[end] == 0) {
                        decided[end] = tag % 3 == 0 && hidden(end) ? SKIP : CAST;
                        decidedIn[end] = followed;
                    }
                    if (decided[end] == SKIP && decidedIn[end] == followed && wall >= 0) {
                        pending[waiting++] = k;
                        waitingIn = followed;
                        continue;
                    }
                }
                double t = tag >= 0 ? ray(a) : circleRay(-1 - tag);
                double hx = ox + rayX * t, hy = oy + rayY * t;
                follow(stopper[0]);
                // The rays skipped since the last one cast lie on the wall both stopped at, between them, unless
                // this one stopped elsewhere: then they are cast after all, before it.
                if (waiting > 0 && followed != waitingIn)
                    for (int q = 0; q < waiting; q++) castAndAdd(candidates[pending[q]]);
                waiting = 0;
                add(a, hx, hy);
            }
            // Skipped rays after the last one cast: their next neighbour is the first vertex; cast them.
            for (int q = 0; q < waiting; q++) castAndAdd(candidates[pending[q]]);
            return new SightPolygon(
                    ox, oy, range, Arrays.copyOf(angles, m), Arrays.copyOf(xs, m), Arrays.copyOf(ys, m));
        }

        private static final byte SKIP = 1, CAST = 2;
        private final int[] stopper = new int[1];
        private int stamp;
        private double[] angles, xs, ys;
        private int m;

        /** The last ray's direction. */
        private double rayX, rayY;

        /** How far the ray at angle {@code a} goes; {@code stopper[0]} tells which wall stopped it (or -1). */
        private double ray(double a) {
            rayX = Math.cos(a);
            rayY = Math.sin(a);
            stopper[0] = -1;
            if (walls.size() == 0) return range;
            return walls.cast(ox, oy, rayX, rayY, range, seen, ++stamp, stopper);
        }

        /** {@link #ray} at the circle's ray {@code c}: its direction from a table (the same numbers). */
        private double circleRay(int c) {
            rayX = CIRCLE_COS[c];
            rayY = CIRCLE_SIN[c];
            stopper[0] = -1;
            if (walls.size() == 0) return range;
            return walls.cast(ox, oy, rayX, rayY, range, seen, ++stamp, stopper);
        }

        private void castAndAdd(double a) {
            double t = ray(a);
            add(a, ox + rayX * t, oy + rayY * t);
        }

        private void add(double a, double x, double y) {
            angles[m] = a;
            xs[m] = x;
            ys[m] = y;
            m++;
        }

        /** Numbers each wall followed in turn: equal numbers, same wall, with no ray in between stopping elsewhere. */
        private int followed;

        private void forget() {
            wall = -1;
            followed++;
        }

        /** Follows the wall the last ray stopped at, if a wall did (with no terrain before it). */
        private void follow(int id) {
            if (id < 0) {
                forget();
                return;
            }
            if (id != wall) followed++;
            wall = id;
        }

        /**
         * Whether end {@code e} lies behind the followed wall S (S crosses the line from the origin to the end, before
         * it). Its rays are then skipped, and stay skipped if the next ray cast also stops on S; otherwise they are
         * cast after all. Why that keeps the outline: say rays p and n, cast one after the other, both stop on S, and
         * every end between them was found behind S. Were another wall T in front of S somewhere between, follow T
         * from there towards p and towards n: where it stops being in front it either ends in front of S (an end
         * between p and n in front of S: there is none), or crosses S; two straight walls cross at most once, so on
         * one side T stays in front up to p or n, which then would have stopped on T. So every ray between p and n
         * stops on S, and its vertex lies on the edge from p's to n's.
         */
        private boolean hidden(int e) {
            if (wall < 0) return false;
            double dx = endX[e] - ox, dy = endY[e] - oy;
            Segment s = walls.segment(wall);
            double sx = s.x2() - s.x1(), sy = s.y2() - s.y1();
            double wx = s.x1() - ox, wy = s.y1() - oy;
            double denom = dx * sy - dy * sx;
            // Seen almost edge on (within 10⁻³ rad): too close to call.
            if (denom * denom <= 1e-6 * (dx * dx + dy * dy) * (sx * sx + sy * sy)) return false;
            double t = (wx * sy - wy * sx) / denom, u = (wx * dy - wy * dx) / denom;
            return t > 0 && t < 1 - MARGIN && u >= 0 && u <= 1;
        }

        private boolean sameEnd(int i, int e) {
            return endX[i] == endX[e] && endY[i] == endY[e];
        }

        /** The ends of the sight-stopping walls near the origin within range, sorted by angle with their places. */
        private void collectEnds() {
            // In index order, so the end a polyline's segment shares with the one before it is taken once.
            int[] near = walls.near(ox - range, oy - range, ox + range, oy + range, seen, ++stamp);
            double[] angle = scratch.angle = Scratch.grow(scratch.angle, near.length * 2);
            double[] x = scratch.x = Scratch.grow(scratch.x, near.length * 2);
            double[] y = scratch.y = Scratch.grow(scratch.y, near.length * 2);
            int e = 0;
            Segment previous = null;
            for (int id : near) {
                Segment s = walls.segment(id);
                if (s.sight() == Segment.Sight.NONE) {
                    previous = null;
                    continue;
                }
                // The end this segment shares with the last one taken: its rays would only repeat that end's.
                boolean shared = previous != null && previous.x2() == s.x1() && previous.y2() == s.y1();
                if (!shared && inRange(s.x1(), s.y1())) {
                    angle[e] = Math.atan2(s.y1() - oy, s.x1() - ox);
                    x[e] = s.x1();
                    y[e++] = s.y1();
                }
                if (inRange(s.x2(), s.y2())) {
                    angle[e] = Math.atan2(s.y2() - oy, s.x2() - ox);
                    x[e] = s.x2();
                    y[e++] = s.y2();
                }
                previous = s;
            }
            sortEnds(angle, x, y, e);
        }

        /**
         * A wall end within range, not the origin itself. Squares decide unless the end lies within rounding of the
         * circle, where {@link Math#hypot} (slow, exact to the last bit) decides as it always has.
         */
        private boolean inRange(double x, double y) {
            double dx = x - ox, dy = y - oy;
            double d2 = dx * dx + dy * dy, r2 = range * range;
            if (Math.abs(d2 - r2) <= 1e-9 * r2) {
                double d = Math.hypot(dx, dy);
                return d <= range && d != 0;
            }
            return d2 < r2 && d2 != 0;
        }

        /** Beyond this many ends in one bucket of angles, the bucket sort gives way to a comparison sort. */
        private static final int MAX_PER_BUCKET = 32;

        /**
         * Sorts the ends by angle, carrying their places. Angles spread around the circle, so they are dealt into as
         * many buckets of angle as there are ends, in order; an insertion pass on the exact angles then sorts within
         * the buckets. Where many ends crowd into one bucket (a far cluster of walls), a comparison sort orders them
         * instead. Either way the order is exactly that of sorting the angles.
         */
        private void sortEnds(double[] angle, double[] x, double[] y, int e) {
            int[] order = bucketOrder(angle, e);
            if (order == null) order = comparisonOrder(angle, e);
            endA = scratch.endA = Scratch.grow(scratch.endA, e);
            endX = scratch.endX = Scratch.grow(scratch.endX, e);
            endY = scratch.endY = Scratch.grow(scratch.endY, e);
            for (int k = 0; k < e; k++) {
                int i = order[k];
                double v = angle[i], vx = x[i], vy = y[i];
                int j = k - 1;
                while (j >= 0 && Double.compare(endA[j], v) > 0) {
                    endA[j + 1] = endA[j];
                    endX[j + 1] = endX[j];
                    endY[j + 1] = endY[j];
                    j--;
                }
                endA[j + 1] = v;
                endX[j + 1] = vx;
                endY[j + 1] = vy;
            }
            ends = e;
        }

        /** The ends' numbers dealt into buckets of angle, bucket by bucket, or null when a bucket is crowded. */
        private int[] bucketOrder(double[] angle, int e) {
            int[] start = scratch.start = Scratch.grow(scratch.start, e + 1);
            Arrays.fill(start, 0, e + 1, 0);
            int[] slot = scratch.slot = Scratch.grow(scratch.slot, e);
            double scale = e / (2 * Math.PI);
            for (int i = 0; i < e; i++) {
                int b = Math.max(0, Math.min(e - 1, (int) ((angle[i] + Math.PI) * scale)));
                slot[i] = b;
                if (++start[b + 1] > MAX_PER_BUCKET) return null;
            }
            for (int b = 0; b < e; b++) start[b + 1] += start[b];
            int[] order = scratch.order = Scratch.grow(scratch.order, e);
            for (int i = 0; i < e; i++) order[start[slot[i]]++] = i;
            return order;
        }

        /**
         * The ends' numbers by angle: each angle's bits, made to order as the angles do, with the end's number in the
         * lowest bits, sorted as longs (angles that differ only in those bits may come out of order; the insertion
         * pass puts them right).
         */
        private static int[] comparisonOrder(double[] angle, int e) {
            int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, e));
            long mask = (1L << bits) - 1;
            long[] keys = new long[e];
            for (int i = 0; i < e; i++) {
                long b = Double.doubleToRawLongBits(angle[i]);
                keys[i] = ((b ^ ((b >> 63) & Long.MAX_VALUE)) & ~mask) | i;
            }
            Arrays.sort(keys);
            int[] order = new int[e];
            for (int k = 0; k < e; k++) order[k] = (int) (keys[k] & mask);
            return order;
        }

        /**
         * Every ray's angle in ascending order, with in {@code tags} which end it belongs to (3 × the end's number, +1
         * for the end itself, +2 for the ray just past it) or -1 for the circle's: each wall end's, the two
         * {@link #EPSILON} either side of it, and the circle's. The ends are sorted, so putting each one's neighbours
         * beside it leaves the list nearly sorted (out of place only where two ends lie closer than 2ε or a neighbour
         * wraps past ±π), which an insertion sort finishes in about one pass; the circle's rays, already in order, are
         * merged in.
         */
        private double[] rayAngles(int[] tags) {
            int e = ends;
            double[] around = scratch.around = Scratch.grow(scratch.around, 3 * e);
            int[] aroundTags = scratch.aroundTags = Scratch.grow(scratch.aroundTags, 3 * e);
            int r = 0;
            for (int i = 0; i < e; i++) {
                double a = endA[i];
                aroundTags[r] = 3 * i;
                around[r++] = wrap(a - EPSILON);
                aroundTags[r] = 3 * i + 1;
                around[r++] = a;
                aroundTags[r] = 3 * i + 2;
                around[r++] = wrap(a + EPSILON);
            }
            for (int i = 1; i < r; i++) {
                double v = around[i];
                int tag = aroundTags[i];
                int j = i - 1;
                while (j >= 0 && Double.compare(around[j], v) > 0) {
                    around[j + 1] = around[j];
                    aroundTags[j + 1] = aroundTags[j];
                    j--;
                }
                around[j + 1] = v;
                aroundTags[j + 1] = tag;
            }
            double[] all = scratch.all = Scratch.grow(scratch.all, r + CIRCLE_RAYS);
            int k = 0, c = 0, n = 0;
            while (k < r || c < CIRCLE_RAYS) {
                double circle = c < CIRCLE_RAYS ? CIRCLE_ANGLES[c] : Double.POSITIVE_INFINITY;
                if (k < r && (c >= CIRCLE_RAYS || Double.compare(around[k], circle) <= 0)) {
                    tags[n] = aroundTags[k];
                    all[n++] = around[k++];
                } else {
                    tags[n] = -1 - c;
                    all[n++] = circle;
                    c++;
                }
            }
            return all;
        }
    }

    private static double circleAngle(int i) {
        return -Math.PI + 2 * Math.PI * i / CIRCLE_RAYS;
    }

    /** The circle's rays' angles and directions, worked out once: every polygon casts them. */
    private static final double[] CIRCLE_ANGLES = new double[CIRCLE_RAYS],
            CIRCLE_COS = new double[CIRCLE_RAYS],
            CIRCLE_SIN = new double[CIRCLE_RAYS];

    static {
        for (int i = 0; i < CIRCLE_RAYS; i++) {
            CIRCLE_ANGLES[i] = circleAngle(i);
            CIRCLE_COS[i] = Math.cos(circleAngle(i));
            CIRCLE_SIN[i] = Math.sin(circleAngle(i));
        }
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
