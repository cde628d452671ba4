package io.vertable.shared.room;

import io.vertable.shared.vision.SightCache;
import io.vertable.shared.vision.SightPolygon;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * What one eye sees in the dark, as the outlines a player's mask is drawn from: its sight polygon intersected with
 * each light's polygon (with JTS), and what it sees within its darkvision. Sending the sight polygon
 * whole, or the polygon of any light that might be near, would draw walls the player cannot see: the far end of a
 * dark corridor, the room around a lamp behind a wall. A piece's holes (dark inside a lit area) follow its outline,
 * marked {@link #HOLE}, so the page draws them dark. Cached by what it depends on.
 */
final class SeenArea {

    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    /**
     * Cut pieces by eye, light and walls; weighed by their outlines' characters (an eye's piece of a big light may run
     * to thousands of points), so a token walking about does not keep every place's outlines alive.
     */
    private static final SightCache<List<String>> SEEN = new SightCache<>(8192, Vision.PART_CHARS / 4, SeenArea::chars);

    private static long chars(List<String> paths) {
        long chars = 0;
        for (String path : paths) chars += path.length();
        return chars;
    }
    /** One light's piece of what one eye sees: the walls' revision, the eye's and the light's place and range. */
    /** A light's checked polygon: the walls' revision, its place and range. */
    private record LightKey(String walls, double x, double y, double dim) {}

    private record PieceKey(String walls, double ex, double ey, double eyeRange, double lx, double ly, double dim) {}

    /** Marks a path as a hole of the outline before it (never the first character of an outline: a digit or '-'). */
    static final char HOLE = 'h';

    private SeenArea() {}

    /**
     * The paths ({@code "x,y x,y …"}, whole pixels) of what the eye at its polygon's origin sees when only lit points
     * and its darkvision show: the eye's polygon intersected with each light's polygon one by one — each intersection
     * is clipped to the small light's box first, far cheaper than one with their union — and the darkvision polygon
     * whole, so the paths may overlap; the browser fills them all. A path marked {@link #HOLE} is a hole of the outline
     * before it.
     *
     * @param darkness what the eye sees within its darkvision: a sight polygon cast from the eye's place with the
     *     darkvision as its range (the eye's polygon ∩ the darkvision disc, with no overlay to compute), or null
     * @param wallsKey the walls' revision: with the eye's and each light's place and range it keys each intersection
     */
    static List<String> paths(SightPolygon eye, SightPolygon darkness, String wallsKey, List<SightPolygon> lights) {
        double[] box = eye.bounds();
        List<String> paths = new ArrayList<>();
        for (SightPolygon light : lights) {
            double[] b = light.bounds();
            if (b[2] < box[0] || b[0] > box[2] || b[3] < box[1] || b[1] > box[3]) continue;
            PieceKey key = new PieceKey(
                    wallsKey,
                    eye.originX(),
                    eye.originY(),
                    eye.range(),
                    light.originX(),
                    light.originY(),
                    light.range());
            paths.addAll(SEEN.get(
                    key,
                    () -> outlines(intersection(
                            eye.outline(),
                            b,
                            LIT.get(
                                    new LightKey(wallsKey, light.originX(), light.originY(), light.range()),
                                    () -> Lit.of(light))))));
        }
        if (darkness != null && darkness.outline().length >= 6) paths.add(darkness.path());
        return paths;
    }

    /**
     * A light's outline with its polygon for JTS, checked (and repaired if need be) once rather than at every
     * intersection; {@code simple} when the outline itself is a valid counter-clockwise polygon, which the convex clip
     * needs.
     */
    record Lit(double[] outline, Geometry polygon, boolean simple) {
        static Lit of(SightPolygon light) {
            return of(light.outline());
        }

        static Lit of(double[] ring) {
            if (ring.length < 6) return new Lit(ring, GEOMETRY.createPolygon(), false);
            Polygon made = GEOMETRY.createPolygon(coordinates(ring));
            boolean valid = made.isValid();
            return new Lit(ring, valid ? made : made.buffer(0), valid && ConvexClip.area(ring) > 0);
        }
    }

    /** Lights' checked polygons, by walls' revision, place and range; weighed by their points. */
    private static final SightCache<Lit> LIT = new SightCache<>(2048, 200_000, lit -> lit.outline().length / 2);

    /**
     * The eye's outline ∩ a light's polygon: the outline is first cut to the light's box (runs of points beyond one side
     * of it shortened to their ends, then Sutherland–Hodgman), so only a few vertices of a sight polygon that may have
     * thousands are left, and only when something of it is left. Then {@link #withoutOverlay} if it can, else JTS.
     */
    static Geometry intersection(double[] eye, double[] box, SightPolygon light) {
        return intersection(eye, box, Lit.of(light));
    }

    static Geometry intersection(double[] eye, double[] box, Lit light) {
        double[] near = cleaned(piece(eye, box));
        Geometry quick = quick(near, light);
        if (quick != null) return quick;
        // Without its spikes the piece is mostly a valid polygon, which JTS need not repair.
        Geometry piece = polygon(near);
        if (piece.isEmpty() || light.polygon().isEmpty()) return GEOMETRY.createPolygon();
        return OverlayNGRobust.overlay(piece, light.polygon(), OverlayNG.INTERSECTION);
    }

    /** The eye's outline cut to the box. */
    static double[] piece(double[] eye, double[] box) {
        double[] clipped = nearBox(eye, box);
        for (int edge = 0; edge < 4 && clipped.length >= 6; edge++) clipped = clip(clipped, edge, box);
        return clipped;
    }

    /** The piece without repeated points and spikes: the same area. */
    private static double[] cleaned(double[] piece) {
        return piece.length < 6 ? piece : ConvexClip.despiked(ConvexClip.distinct(piece));
    }

    /**
     * The eye's piece ∩ the light's polygon for the cases that need no general overlay, or null: nothing left of the
     * piece; the two apart on either side of a line through a side of one of them (as across a wall both end at);
     * a convex piece (often, the box cuts it small) clipping a simple light polygon, when the result is one piece.
     */
    static Geometry withoutOverlay(double[] piece, Lit light) {
        return quick(cleaned(piece), light);
    }

    private static Geometry quick(double[] near, Lit light) {
        if (near.length < 6 || light.outline().length < 6) return GEOMETRY.createPolygon();
        if (ConvexClip.separated(near, light.outline()) || ConvexClip.separated(light.outline(), near))
            return GEOMETRY.createPolygon();
        if (!light.simple() || !ConvexClip.convex(near)) return null;
        double[] ring = ConvexClip.clip(light.outline(), near);
        if (ring == null) return null;
        return ring.length < 6 ? GEOMETRY.createPolygon() : GEOMETRY.createPolygon(coordinates(ring));
    }

    /**
     * The ring with each run of consecutive points that all lie beyond one side of the box (strictly) cut down to the
     * run's first and last point. Inside the box the polygon is the same: the points left out and the chord that
     * replaces them form a closed line within that open half-plane, which winds around no point of the box. The sight
     * polygon of an eye seeing the whole scene has thousands of points, a light's box meets a few of them.
     */
    static double[] nearBox(double[] ring, double[] box) {
        int points = ring.length / 2;
        double[] out = new double[Math.min(ring.length, 64)];
        int n = 0;
        for (int i = 0; i < points; ) {
            int common = beyond(ring, i, box), last = i;
            while (common != 0 && last + 1 < points && (common & beyond(ring, last + 1, box)) != 0)
                common &= beyond(ring, ++last, box);
            if (n + 4 > out.length) out = java.util.Arrays.copyOf(out, Math.min(ring.length, out.length * 2));
            out[n++] = ring[2 * i];
            out[n++] = ring[2 * i + 1];
            if (last > i) {
                out[n++] = ring[2 * last];
                out[n++] = ring[2 * last + 1];
            }
            i = last + 1;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** The sides of the box point {@code i} lies strictly beyond: 1 left, 2 right, 4 above, 8 below. */
    private static int beyond(double[] ring, int i, double[] box) {
        double x = ring[2 * i], y = ring[2 * i + 1];
        return (x < box[0] ? 1 : 0) | (x > box[2] ? 2 : 0) | (y < box[1] ? 4 : 0) | (y > box[3] ? 8 : 0);
    }

    /** The ring [x0, y0, x1, y1, …] cut by one side of the box: 0 left, 1 right, 2 top, 3 bottom. */
    static double[] clip(double[] ring, int edge, double[] box) {
        double[] out = new double[ring.length * 2 + 4];
        int n = 0, points = ring.length / 2;
        for (int i = 0; i < points; i++) {
            double ax = ring[2 * i], ay = ring[2 * i + 1];
            double bx = ring[2 * ((i + 1) % points)], by = ring[2 * ((i + 1) % points) + 1];
            boolean aIn = inside(ax, ay, edge, box), bIn = inside(bx, by, edge, box);
            if (aIn) {
                out[n++] = ax;
                out[n++] = ay;
            }
            if (aIn != bIn) {
                double limit = box[edge == 0 ? 0 : edge == 1 ? 2 : edge == 2 ? 1 : 3];
                double t = edge < 2 ? (limit - ax) / (bx - ax) : (limit - ay) / (by - ay);
                out[n++] = edge < 2 ? limit : ax + t * (bx - ax);
                out[n++] = edge < 2 ? ay + t * (by - ay) : limit;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static boolean inside(double x, double y, int edge, double[] box) {
        return switch (edge) {
            case 0 -> x >= box[0];
            case 1 -> x <= box[2];
            case 2 -> y >= box[1];
            default -> y <= box[3];
        };
    }

    /** The polygon of a ring [x0, y0, …]; one that rounding or clipping made self-touching is repaired. */
    static Geometry polygon(double[] ring) {
        if (ring.length < 6) return GEOMETRY.createPolygon();
        Polygon made = GEOMETRY.createPolygon(coordinates(ring));
        return made.isValid() ? made : made.buffer(0);
    }

    /** The ring's points, closed. */
    private static Coordinate[] coordinates(double[] ring) {
        Coordinate[] points = new Coordinate[ring.length / 2 + 1];
        for (int i = 0; i < ring.length / 2; i++) points[i] = new Coordinate(ring[2 * i], ring[2 * i + 1]);
        points[points.length - 1] = points[0];
        return points;
    }

    static List<String> outlines(Geometry seen) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < seen.getNumGeometries(); i++) {
            if (!(seen.getGeometryN(i) instanceof Polygon polygon) || polygon.isEmpty()) continue;
            paths.add(path(polygon.getExteriorRing().getCoordinates(), new StringBuilder()));
            for (int h = 0; h < polygon.getNumInteriorRing(); h++)
                paths.add(path(polygon.getInteriorRingN(h).getCoordinates(), new StringBuilder().append(HOLE)));
        }
        return List.copyOf(paths);
    }

    private static String path(Coordinate[] ring, StringBuilder path) {
        int start = path.length();
        for (int p = 0; p + 1 < ring.length; p++) {
            if (path.length() > start) path.append(' ');
            path.append(Math.round(ring[p].x)).append(',').append(Math.round(ring[p].y));
        }
        return path.toString();
    }
}
