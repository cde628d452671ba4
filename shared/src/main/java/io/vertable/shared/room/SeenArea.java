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
 * the lit area (the union of the lights' polygons) and its darkvision disc, with JTS. Sending the sight polygon
 * whole, or the polygon of any light that might be near, would draw walls the player cannot see: the far end of a
 * dark corridor, the room around a lamp behind a wall. Outlines only: a dark hole inside a lit area is drawn as seen
 * (nothing in it is sent). Cached by what it depends on.
 */
final class SeenArea {

    private static final GeometryFactory GEOMETRY = new GeometryFactory();
    /** Segments of a quarter of a darkvision disc. */
    private static final int DISC_SEGMENTS = 16;

    private static final SightCache<Geometry> LIT = new SightCache<>(64);
    private static final SightCache<List<String>> SEEN = new SightCache<>(4096);

    private SeenArea() {}

    /**
     * The paths ({@code "x,y x,y …"}, whole pixels) of what the eye at its polygon's origin sees when only lit points
     * and its darkvision show.
     *
     * @param litKey what the lights depend on (walls revision and each light's place and radius)
     */
    static List<String> paths(SightPolygon eye, double darkvision, String litKey, List<SightPolygon> lights) {
        String key = litKey + "|" + eye.originX() + "," + eye.originY() + "," + eye.range() + "," + darkvision;
        return SEEN.get(key, () -> outlines(seen(eye, darkvision, LIT.get(litKey, () -> union(lights)))));
    }

    private static Geometry seen(SightPolygon eye, double darkvision, Geometry lit) {
        Geometry shown = lit;
        if (darkvision > 0) {
            Geometry disc = GEOMETRY.createPoint(new Coordinate(eye.originX(), eye.originY()))
                    .buffer(darkvision, DISC_SEGMENTS);
            shown = shown.isEmpty() ? disc : OverlayNGRobust.overlay(shown, disc, OverlayNG.UNION);
        }
        if (shown.isEmpty()) return shown;
        return OverlayNGRobust.overlay(polygon(eye), shown, OverlayNG.INTERSECTION);
    }

    private static Geometry union(List<SightPolygon> lights) {
        Geometry lit = GEOMETRY.createPolygon();
        for (SightPolygon light : lights) lit = OverlayNGRobust.overlay(lit, polygon(light), OverlayNG.UNION);
        return lit;
    }

    /** The polygon from its path; a path that rounding made self-touching is repaired by a zero buffer. */
    private static Geometry polygon(SightPolygon polygon) {
        String[] pairs = polygon.path().split(" ");
        List<Coordinate> ring = new ArrayList<>(pairs.length + 1);
        for (String pair : pairs) {
            if (pair.isEmpty()) continue;
            int comma = pair.indexOf(',');
            Coordinate c = new Coordinate(
                    Double.parseDouble(pair.substring(0, comma)), Double.parseDouble(pair.substring(comma + 1)));
            if (ring.isEmpty() || !ring.get(ring.size() - 1).equals2D(c)) ring.add(c);
        }
        if (ring.size() < 3) return GEOMETRY.createPolygon();
        ring.add(ring.get(0));
        Polygon made = GEOMETRY.createPolygon(ring.toArray(Coordinate[]::new));
        return made.isValid() ? made : made.buffer(0);
    }

    private static List<String> outlines(Geometry seen) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < seen.getNumGeometries(); i++) {
            if (!(seen.getGeometryN(i) instanceof Polygon polygon) || polygon.isEmpty()) continue;
            Coordinate[] ring = polygon.getExteriorRing().getCoordinates();
            StringBuilder path = new StringBuilder();
            for (int p = 0; p + 1 < ring.length; p++) {
                if (p > 0) path.append(' ');
                path.append(Math.round(ring[p].x)).append(',').append(Math.round(ring[p].y));
            }
            paths.add(path.toString());
        }
        return List.copyOf(paths);
    }
}
