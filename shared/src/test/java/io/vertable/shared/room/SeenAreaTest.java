package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.vision.Segment;
import io.vertable.shared.vision.SightPolygon;
import io.vertable.shared.vision.WallIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * What an eye sees of a light is the same area whether its sight polygon is cut to the light's box whole, as it once
 * was, or after the runs of points beyond one side of the box are shortened to their ends; and the mask's pieces keep
 * their holes: a dark patch inside a lit one is sent as a hole, never drawn as seen.
 */
class SeenAreaTest {

    static Stream<Long> seeds() {
        return Stream.iterate(1L, s -> s + 1).limit(100);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shorteningTheRunsBeyondTheBoxKeepsTheAreaInside(long seed) {
        Random random = new Random(seed);
        WallIndex walls = new WallIndex(randomWalls(random));
        for (int eyes = 0; eyes < 5; eyes++) {
            double ex = random.nextDouble() * 1_000, ey = random.nextDouble() * 1_000;
            SightPolygon eye = SightPolygon.cast(walls, ex, ey, random.nextBoolean() ? 4_000 : 300);
            for (int l = 0; l < 8; l++) {
                // Lights near the eye (its box may hold the eye) and far from it.
                double lx = l < 3 ? ex + random.nextDouble(-100, 100) : random.nextDouble() * 1_000;
                double ly = l < 3 ? ey + random.nextDouble(-100, 100) : random.nextDouble() * 1_000;
                SightPolygon light = SightPolygon.cast(walls, lx, ly, 50 + random.nextDouble() * 250);
                double[] box = light.bounds();
                Geometry now = SeenArea.intersection(eye.outline(), box, light);
                Geometry before = wholeOutlineCut(eye.outline(), box, light);
                assertThat(areal(now).symDifference(areal(before)).getArea())
                        .as("eye (%s, %s), light (%s, %s): %s vs %s", ex, ey, lx, ly, now, before)
                        .isLessThanOrEqualTo(1e-6 * Math.max(1, before.getArea()));
            }
        }
    }

    /** The earlier way: the eye's whole outline cut by each side of the box in turn, then JTS. */
    private static Geometry wholeOutlineCut(double[] eye, double[] box, SightPolygon light) {
        double[] clipped = eye;
        for (int edge = 0; edge < 4 && clipped.length >= 6; edge++) clipped = SeenArea.clip(clipped, edge, box);
        Geometry near = SeenArea.polygon(clipped);
        Geometry shape = SeenArea.polygon(light.outline());
        if (near.isEmpty() || shape.isEmpty()) return near.getFactory().createPolygon();
        return OverlayNGRobust.overlay(near, shape, OverlayNG.INTERSECTION);
    }

    /** The polygons of a result (an intersection may also hold lines and points where the outlines touch). */
    @SuppressWarnings("unchecked")
    private static Geometry areal(Geometry result) {
        List<Polygon> polygons = PolygonExtracter.getPolygons(result);
        return result.getFactory()
                .createMultiPolygon(polygons.toArray(Polygon[]::new))
                .buffer(0);
    }

    /** Rooms and corridors on a 50 px grid, some segments oblique, some terrain or windows. */
    static List<Segment> randomWalls(Random random) {
        List<Segment> segments = new ArrayList<>();
        for (int w = 0; w < 60; w++) {
            double x = 50 * random.nextInt(21), y = 50 * random.nextInt(21);
            for (int s = 0; s < 3; s++) {
                double nx = s == 2 && random.nextInt(4) == 0 ? x + 50 * random.nextInt(1, 4) : x;
                double ny = y;
                if (nx == x && s % 2 == 0) nx = x + 50 * random.nextInt(-4, 5);
                else if (nx == x) ny = y + 50 * random.nextInt(-4, 5);
                if (s == 2 && nx != x) ny = y + 50 * random.nextInt(1, 4);
                if (nx == x && ny == y) continue;
                int kind = random.nextInt(10);
                Segment.Sight sight =
                        kind == 0 ? Segment.Sight.NONE : kind == 1 ? Segment.Sight.LIMITED : Segment.Sight.FULL;
                segments.add(new Segment(x, y, nx, ny, sight, true));
                x = nx;
                y = ny;
            }
        }
        return segments;
    }

    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    @Test
    void aPieceWithAHoleIsSentAsItsOutlineFollowedByTheMarkedHole() {
        LinearRing outer = ring(0, 0, 100, 0, 100, 100, 0, 100);
        LinearRing hole = ring(40, 40, 60, 40, 60, 60, 40, 60);
        var paths = SeenArea.outlines(GEOMETRY.createPolygon(outer, new LinearRing[] {hole}));

        assertThat(paths).hasSize(2);
        assertThat(paths.get(0)).isEqualTo("0,0 100,0 100,100 0,100");
        assertThat(paths.get(1).charAt(0)).isEqualTo(SeenArea.HOLE);
        assertThat(paths.get(1).substring(1).split(" ")).containsExactlyInAnyOrder("40,40", "60,40", "60,60", "40,60");
    }

    @Test
    void aPieceWithoutHolesIsItsOutlineAlone() {
        assertThat(SeenArea.outlines(GEOMETRY.createPolygon(ring(0, 0, 10, 0, 10, 10))))
                .containsExactly("0,0 10,0 10,10");
    }

    private static LinearRing ring(double... xy) {
        Coordinate[] points = new Coordinate[xy.length / 2 + 1];
        for (int i = 0; i < xy.length / 2; i++) points[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        points[points.length - 1] = points[0];
        return GEOMETRY.createLinearRing(points);
    }
}
