package io.vertable.shared.vision;

/**
 * One straight piece of a wall, as geometry: its ends, how it stops sight and whether it stops movement. Built only from
 * checked walls (finite ends, never zero length).
 */
public record Segment(double x1, double y1, double x2, double y2, Sight sight, boolean blocksMove) {

    /** How a segment stops sight (and light). */
    public enum Sight {
        /** Seen through (a window, an open door). */
        NONE,
        /** Stops sight (a wall, a closed door). */
        FULL,
        /** Terrain such as thick foliage: sight passes one such segment and stops at the second. */
        LIMITED
    }

    public double minX() {
        return Math.min(x1, x2);
    }

    public double maxX() {
        return Math.max(x1, x2);
    }

    public double minY() {
        return Math.min(y1, y2);
    }

    public double maxY() {
        return Math.max(y1, y2);
    }

    /** Distance from the point to this segment. */
    public double distanceTo(double px, double py) {
        double dx = x2 - x1, dy = y2 - y1;
        double t = ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy);
        t = Math.max(0, Math.min(1, t));
        return Math.hypot(x1 + t * dx - px, y1 + t * dy - py);
    }

    /**
     * Whether the closed path a→b meets this segment, touching included: a path through a wall's end point or ending
     * on a wall meets it, so two walls meeting at a corner leave no gap to slip through.
     */
    public boolean meets(double ax, double ay, double bx, double by) {
        double d1 = cross(x1, y1, x2, y2, ax, ay);
        double d2 = cross(x1, y1, x2, y2, bx, by);
        double d3 = cross(ax, ay, bx, by, x1, y1);
        double d4 = cross(ax, ay, bx, by, x2, y2);
        if (((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS))
                && ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS))) return true;
        return (Math.abs(d1) <= EPS && onSegment(x1, y1, x2, y2, ax, ay))
                || (Math.abs(d2) <= EPS && onSegment(x1, y1, x2, y2, bx, by))
                || (Math.abs(d3) <= EPS && onSegment(ax, ay, bx, by, x1, y1))
                || (Math.abs(d4) <= EPS && onSegment(ax, ay, bx, by, x2, y2));
    }

    /** Tolerance of the orientation tests, in squared scene pixels (coordinates stay within ±1,000,000). */
    static final double EPS = 1e-9;

    private static double cross(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }

    private static boolean onSegment(double ax, double ay, double bx, double by, double px, double py) {
        return px >= Math.min(ax, bx) - 1e-9
                && px <= Math.max(ax, bx) + 1e-9
                && py >= Math.min(ay, by) - 1e-9
                && py <= Math.max(ay, by) + 1e-9;
    }
}
