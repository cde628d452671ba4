package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.vision.SightPolygon;
import io.vertable.shared.vision.WallIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * An eye's piece of a light computed without JTS's overlay (nothing left, the two apart across a line, a convex piece
 * clipping the light's polygon) is the overlay's answer: the same area, in one piece without holes; and every case
 * the quick way cannot prove (pieces, holes, bridges) is left to the overlay.
 */
class LightPieceWithoutOverlayTest {

    /** Counts of the quick way's answers, so a test that never reaches one of them fails. */
    private int empty, clipped, declined;

    @Test
    void inRandomDungeonsTheQuickWayAgreesWithTheOverlay() {
        Random random = new Random(7);
        for (int scene = 0; scene < 60; scene++) {
            WallIndex walls = new WallIndex(SeenAreaTest.randomWalls(random));
            for (int eyes = 0; eyes < 4; eyes++) {
                // On a cell's corner or centre half the time: points in line with walls and with the lights.
                double ex = place(random), ey = place(random);
                SightPolygon eye = SightPolygon.cast(walls, ex, ey, random.nextBoolean() ? 4_000 : 300);
                for (int l = 0; l < 10; l++) {
                    double lx = l < 4 ? ex + 50 * random.nextInt(-3, 4) : place(random);
                    double ly = l < 4 ? ey + 50 * random.nextInt(-3, 4) : place(random);
                    SightPolygon light = SightPolygon.cast(walls, lx, ly, 50 * random.nextInt(1, 7));
                    compare(SeenArea.piece(eye.outline(), light.bounds()), SeenArea.Lit.of(light));
                }
            }
        }
        assertThat(empty).isGreaterThan(500);
        assertThat(clipped).isGreaterThan(50);
        assertThat(declined).isGreaterThan(200);
    }

    @Test
    void randomConvexPiecesOfRandomStarsAgreeWithTheOverlay() {
        Random random = new Random(11);
        int pieces = 0;
        for (int i = 0; i < 8_000; i++) {
            double[] star = star(random);
            double[] convex = random.nextBoolean() ? box(random) : hull(random);
            Geometry reference = compare(convex, SeenArea.Lit.of(star));
            if (PolygonExtracter.getPolygons(reference).size() > 1) pieces++;
        }
        // Results in several pieces did occur, and compare() checked each was left to the overlay.
        assertThat(pieces).isGreaterThan(500);
        assertThat(clipped).isGreaterThan(1_000);
    }

    @Test
    void aPieceCutInTwoIsLeftToTheOverlay() {
        // A U whose arms cross the square's bottom side: two pieces, which the clip would join along that side.
        double[] u = {0, 0, 30, 0, 30, 30, 20, 30, 20, 10, 10, 10, 10, 30, 0, 30};
        double[] square = {-5, 20, 35, 20, 35, 40, -5, 40};
        assertThat(ConvexClip.clip(u, square)).isNull();
        assertThat(SeenArea.withoutOverlay(square, SeenArea.Lit.of(u))).isNull();
    }

    @Test
    void polygonsThatOnlyTouchHaveNothingInCommon() {
        double[] square = {0, 0, 10, 0, 10, 10, 0, 10};
        double[] alongASide = {10, 0, 20, 0, 20, 10, 10, 10};
        double[] atACorner = {10, 10, 20, 10, 20, 20};
        double[] reachingIn = {10, 0, 20, 0, 20, 10, 10, 5}; // touches along part of a side, then a point
        for (double[] other : List.of(alongASide, atACorner, reachingIn))
            assertThat(SeenArea.withoutOverlay(square, SeenArea.Lit.of(other)).isEmpty())
                    .isTrue();
    }

    @Test
    void edgesAlongTheSidesKeepTheirArea() {
        double[] square = {0, 0, 10, 0, 10, 10, 0, 10};
        double[] sharingTopAndBottom = {5, 0, 15, 0, 15, 10, 5, 10};
        Geometry seen = SeenArea.withoutOverlay(square, SeenArea.Lit.of(sharingTopAndBottom));
        assertThat(seen.getArea()).isCloseTo(50, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(SeenArea.withoutOverlay(square, SeenArea.Lit.of(square)).getArea())
                .isCloseTo(100, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aSpikeAlongASideOfTheBoxDoesNotStopTheQuickWay() {
        // Out along the right side and back, as the cut to a light's box leaves the eye's outline.
        double[] spiked = {0, 0, 10, 0, 10, 15, 10, 10, 0, 10};
        double[] light = {-5, -5, 30, -5, 30, 30, -5, 30};

        Geometry seen = SeenArea.withoutOverlay(spiked, SeenArea.Lit.of(light));
        assertThat(seen).isNotNull();
        assertThat(seen.getArea()).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(ConvexClip.despiked(spiked)).containsExactly(0, 0, 10, 0, 10, 10, 0, 10);
    }

    @Test
    void aLightWhoseOutlineEnclosesAHoleIsLeftToTheOverlay() {
        // Two simply connected polygons meet without holes; a hole comes only from an outline that touches itself
        // (as rounding to whole pixels may make one): around the square, along a bridge, and around the dark middle.
        double[] frame = {0, 0, 30, 0, 30, 30, 0, 30, 0, 0, 10, 10, 10, 20, 20, 20, 20, 10, 10, 10};
        double[] piece = {-5, -5, 35, -5, 35, 35, -5, 35};
        SeenArea.Lit light = SeenArea.Lit.of(frame);

        assertThat(SeenArea.withoutOverlay(piece, light)).isNull();
        Geometry seen = SeenArea.intersection(piece, new double[] {-5, -5, 35, 35}, light);
        assertThat(seen.getArea()).isCloseTo(800, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(SeenArea.outlines(seen)).hasSize(2);
        assertThat(SeenArea.outlines(seen).get(1).charAt(0)).isEqualTo(SeenArea.HOLE);
    }

    /**
     * The quick answer (when there is one) against the overlay of the same polygons: the same area, and one piece
     * without holes when it is not empty. Returns the overlay's.
     */
    private Geometry compare(double[] piece, SeenArea.Lit light) {
        Geometry near = SeenArea.polygon(piece);
        Geometry reference = near.isEmpty() || light.polygon().isEmpty()
                ? near.getFactory().createPolygon()
                : OverlayNGRobust.overlay(near, light.polygon(), OverlayNG.INTERSECTION);
        Geometry quick = SeenArea.withoutOverlay(piece, light);
        if (quick == null) {
            declined++;
            return reference;
        }
        Geometry expected = areal(reference);
        assertThat(areal(quick).symDifference(expected).getArea())
                .as(
                        "piece %s light %s: %s vs %s",
                        Arrays.toString(piece), Arrays.toString(light.outline()), quick, reference)
                .isLessThanOrEqualTo(1e-6 * Math.max(1, expected.getArea()));
        if (quick.isEmpty()) {
            empty++;
            return reference;
        }
        clipped++;
        // One piece, or pieces that meet at a point (the ring pinched there): never apart, joined by a bridge.
        @SuppressWarnings("unchecked")
        List<Polygon> parts = PolygonExtracter.getPolygons(expected);
        for (Polygon part : parts) {
            assertThat(part.getNumInteriorRing()).isZero();
            if (parts.size() > 1)
                assertThat(parts.stream().anyMatch(other -> other != part && other.distance(part) < 1e-6))
                        .as("piece %s light %s: %s", Arrays.toString(piece), Arrays.toString(light.outline()), expected)
                        .isTrue();
        }
        assertThat(quick).isInstanceOf(Polygon.class);
        return reference;
    }

    private static Geometry areal(Geometry result) {
        @SuppressWarnings("unchecked")
        List<Polygon> polygons = PolygonExtracter.getPolygons(result);
        return result.getFactory()
                .createMultiPolygon(polygons.toArray(Polygon[]::new))
                .buffer(0);
    }

    private static double place(Random random) {
        double cell = 50 * random.nextInt(1, 20);
        return switch (random.nextInt(3)) {
            case 0 -> cell;
            case 1 -> cell + 25;
            default -> cell + random.nextDouble() * 50;
        };
    }

    /** Walls along the 50 px grid (both polygons end on them), a few oblique; some terrain or windows. */
    /**
     * A star-shaped ring around (50, 50) with whole-number points at a few radii, so edges often run along a side of
     * the convex piece or meet it at a corner; sometimes a point at the centre.
     */
    private static double[] star(Random random) {
        int n = random.nextInt(3, 24);
        double[] angles = new double[n];
        for (int i = 0; i < n; i++) angles[i] = random.nextDouble() * 2 * Math.PI;
        Arrays.sort(angles);
        double[] ring = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double r = random.nextInt(8) == 0 ? 0 : 10 * random.nextInt(1, 6);
            ring[2 * i] = Math.round(50 + r * Math.cos(angles[i]));
            ring[2 * i + 1] = Math.round(50 + r * Math.sin(angles[i]));
        }
        return ring;
    }

    /** An axis-aligned box on the 10 px grid, counter-clockwise; sometimes flat (a line). */
    private static double[] box(Random random) {
        double x0 = 10 * random.nextInt(0, 10), y0 = 10 * random.nextInt(0, 10);
        double x1 = x0 + 10 * random.nextInt(random.nextInt(10) == 0 ? 0 : 1, 6);
        double y1 = y0 + 10 * random.nextInt(1, 6);
        return new double[] {x0, y0, x1, y0, x1, y1, x0, y1};
    }

    /** The convex hull of a few random points (counter-clockwise), some at whole numbers, or a point or a line. */
    private static double[] hull(Random random) {
        int n = random.nextInt(1, 8);
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = random.nextDouble() * 100, y = random.nextDouble() * 100;
            if (random.nextBoolean()) {
                x = Math.round(x / 10) * 10;
                y = Math.round(y / 10) * 10;
            }
            points.add(new double[] {x, y});
        }
        Geometry hull = SeenArea.polygon(new double[0])
                .getFactory()
                .createMultiPointFromCoords(points.stream()
                        .map(p -> new org.locationtech.jts.geom.Coordinate(p[0], p[1]))
                        .toArray(org.locationtech.jts.geom.Coordinate[]::new))
                .convexHull();
        org.locationtech.jts.geom.Coordinate[] c = hull.getCoordinates();
        int m = hull instanceof Polygon ? c.length - 1 : c.length;
        double[] ring = new double[2 * m];
        for (int i = 0; i < m; i++) {
            ring[2 * i] = c[i].x;
            ring[2 * i + 1] = c[i].y;
        }
        return ConvexClip.area(ring) < 0 ? reversed(ring) : ring;
    }

    private static double[] reversed(double[] ring) {
        double[] out = new double[ring.length];
        for (int i = 0; i < ring.length / 2; i++) {
            out[2 * i] = ring[ring.length - 2 - 2 * i];
            out[2 * i + 1] = ring[ring.length - 1 - 2 * i];
        }
        return out;
    }
}
