package io.vertable.shared.room;

/**
 * Polygon ∩ convex polygon without a general overlay: Sutherland–Hodgman, one half-plane per side of the convex one.
 * For a simple subject the clipped ring winds once around exactly the points of the intersection (each run of points
 * beyond a side and the chord that replaces it form a loop outside that side), so its area is exact; the only flaw is
 * that a disconnected result comes out joined by zero-width bridges running both ways along a side. Such a ring is
 * refused, as is anything not proven, and the caller falls back to the general overlay. Pieces that only meet at a
 * point come out as one ring pinched there (JTS gives two polygons): the page fills them the same.
 *
 * <p>Rings are [x0, y0, x1, y1, …], not closed; a convex ring runs counter-clockwise (positive shoelace area, as sight
 * polygons do: their points go by increasing angle).
 */
final class ConvexClip {

    /**
     * How far inside a side (px) a point must lie to count as inside. A point on a wall both polygons end at then lies
     * out of both, so two polygons that only meet along a wall give nothing rather than a sliver of rounding error;
     * the area this leaves out is a strip a billionth of a pixel wide.
     */
    static final double MARGIN = 1e-9;

    /** How near a side (px) a point of the clipped ring counts as on it, for finding bridges. */
    private static final double ON_SIDE = 1e-7;

    private static final double[] EMPTY = new double[0];

    private ConvexClip() {}

    /** The ring without consecutive repeated points (the last against the first too). */
    static double[] distinct(double[] ring) {
        double[] out = new double[ring.length];
        int n = 0;
        for (int i = 0; i + 1 < ring.length; i += 2) {
            if (n > 0 && out[n - 2] == ring[i] && out[n - 1] == ring[i + 1]) continue;
            out[n++] = ring[i];
            out[n++] = ring[i + 1];
        }
        while (n >= 4 && out[n - 2] == out[0] && out[n - 1] == out[1]) n -= 2;
        return n == ring.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * The ring without its spikes: a point where the ring turns straight back (out along a line and back along it, as a
     * cut to the light's box leaves along the box's sides) is left out until none is left. A spike encloses nothing,
     * so every point off it is wound around as often as before; computed exactly, so only exact spikes go.
     */
    static double[] despiked(double[] ring) {
        int n = ring.length / 2;
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = ring[2 * i];
            ys[i] = ring[2 * i + 1];
        }
        boolean removed = true;
        while (removed && n >= 3) {
            removed = false;
            for (int i = 0; i < n && n >= 3; ) {
                int prev = (i + n - 1) % n, next = (i + 1) % n;
                double ax = xs[i] - xs[prev], ay = ys[i] - ys[prev], bx = xs[next] - xs[i], by = ys[next] - ys[i];
                boolean back = ax * by - ay * bx == 0 && ax * bx + ay * by <= 0;
                if (!back) {
                    i++;
                    continue;
                }
                System.arraycopy(xs, i + 1, xs, i, n - i - 1);
                System.arraycopy(ys, i + 1, ys, i, n - i - 1);
                n--;
                removed = true;
            }
        }
        if (n < 3) return EMPTY;
        if (2 * n == ring.length) return ring;
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = xs[i];
            out[2 * i + 1] = ys[i];
        }
        return out;
    }

    /**
     * Whether a ring without repeated points is convex and counter-clockwise: every corner turns left or goes
     * straight on (never back), and the turns add up to one full turn, so it does not wind around twice.
     */
    static boolean convex(double[] ring) {
        int n = ring.length / 2;
        if (n < 3) return false;
        double turned = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n, k = (i + 2) % n;
            double ax = ring[2 * j] - ring[2 * i], ay = ring[2 * j + 1] - ring[2 * i + 1];
            double bx = ring[2 * k] - ring[2 * j], by = ring[2 * k + 1] - ring[2 * j + 1];
            double cross = ax * by - ay * bx, dot = ax * bx + ay * by;
            if (cross < 0 || (cross == 0 && dot <= 0)) return false;
            turned += Math.atan2(cross, dot);
        }
        return Math.abs(turned - 2 * Math.PI) < 1e-6;
    }

    /**
     * Whether the line of some side of {@code a} has all of {@code a} on one side and all of {@code b} on the other
     * (points on the line, within {@link #MARGIN}, on either): then their intersection has no area. Each polygon lies
     * within the hull of its points, so this holds for any rings, simple or not.
     */
    static boolean separated(double[] a, double[] b) {
        int n = a.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double ax = a[2 * i], ay = a[2 * i + 1], dx = a[2 * j] - ax, dy = a[2 * j + 1] - ay;
            double slack = MARGIN * Math.hypot(dx, dy);
            if (slack == 0) continue;
            int side = sideOf(a, ax, ay, dx, dy, slack);
            if (side != 0 && sideOf(b, ax, ay, dx, dy, slack) == -side) return true;
        }
        return false;
    }

    /** 1 when every point is left of the line or on it, -1 when every one is right or on it, else 0. */
    private static int sideOf(double[] ring, double ax, double ay, double dx, double dy, double slack) {
        boolean left = false, right = false;
        for (int k = 0; k + 1 < ring.length; k += 2) {
            double s = dx * (ring[k + 1] - ay) - dy * (ring[k] - ax);
            if (s > slack) left = true;
            else if (s < -slack) right = true;
            if (left && right) return 0;
        }
        return right ? -1 : 1;
    }

    /**
     * The simple ring {@code subject} ∩ the convex counter-clockwise ring {@code convex}: a ring (empty when nothing
     * with area is left), or null when the result has bridges (it is in several pieces) or is otherwise not proven.
     */
    static double[] clip(double[] subject, double[] convex) {
        double[] ring = subject;
        int sides = convex.length / 2;
        for (int k = 0; k < sides && ring.length >= 6; k++) {
            int next = (k + 1) % sides;
            double ax = convex[2 * k], ay = convex[2 * k + 1];
            ring = half(ring, ax, ay, convex[2 * next] - ax, convex[2 * next + 1] - ay);
        }
        if (ring.length < 6) return EMPTY;
        if (bridged(ring, convex) || area(ring) <= 0) return null;
        return ring;
    }

    /** The ring cut to the points more than {@link #MARGIN} left of the line through (ax, ay) along (dx, dy). */
    private static double[] half(double[] ring, double ax, double ay, double dx, double dy) {
        double slack = MARGIN * Math.hypot(dx, dy);
        int points = ring.length / 2;
        double[] out = new double[ring.length + 4 + ring.length / 2];
        int n = 0;
        double px = ring[ring.length - 2], py = ring[ring.length - 1];
        double ps = dx * (py - ay) - dy * (px - ax) - slack;
        for (int i = 0; i < points; i++) {
            double qx = ring[2 * i], qy = ring[2 * i + 1];
            double qs = dx * (qy - ay) - dy * (qx - ax) - slack;
            if ((ps > 0) != (qs > 0)) {
                double t = ps / (ps - qs);
                if (n + 2 > out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
                n = add(out, n, px + t * (qx - px), py + t * (qy - py));
            }
            if (qs > 0) {
                if (n + 2 > out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
                n = add(out, n, qx, qy);
            }
            px = qx;
            py = qy;
            ps = qs;
        }
        while (n >= 4 && out[n - 2] == out[0] && out[n - 1] == out[1]) n -= 2;
        return java.util.Arrays.copyOf(out, n);
    }

    private static int add(double[] out, int n, double x, double y) {
        if (n > 0 && out[n - 2] == x && out[n - 1] == y) return n;
        out[n] = x;
        out[n + 1] = y;
        return n + 2;
    }

    /**
     * Whether an edge of the clipped ring runs along a side of the convex ring backwards (with the outside on its
     * left): the ring winds once around each point inside, so such an edge must lie on another running forwards — a
     * zero-width bridge between pieces, or a spike.
     */
    static boolean bridged(double[] ring, double[] convex) {
        int points = ring.length / 2, sides = convex.length / 2;
        for (int k = 0; k < sides; k++) {
            int next = (k + 1) % sides;
            double ax = convex[2 * k], ay = convex[2 * k + 1];
            double dx = convex[2 * next] - ax, dy = convex[2 * next + 1] - ay;
            double length = Math.hypot(dx, dy), near = ON_SIDE * length;
            for (int i = 0; i < points; i++) {
                int j = (i + 1) % points;
                double px = ring[2 * i], py = ring[2 * i + 1], qx = ring[2 * j], qy = ring[2 * j + 1];
                if (Math.abs(dx * (py - ay) - dy * (px - ax) - MARGIN * length) > near) continue;
                if (Math.abs(dx * (qy - ay) - dy * (qx - ax) - MARGIN * length) > near) continue;
                if (dx * (qx - px) + dy * (qy - py) < -near) return true;
            }
        }
        return false;
    }

    /** Twice the signed (shoelace) area. */
    static double area(double[] ring) {
        double sum = 0;
        int points = ring.length / 2;
        for (int i = 0; i < points; i++) {
            int j = (i + 1) % points;
            sum += ring[2 * i] * ring[2 * j + 1] - ring[2 * j] * ring[2 * i + 1];
        }
        return sum;
    }
}
