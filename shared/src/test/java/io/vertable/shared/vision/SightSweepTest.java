package io.vertable.shared.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sweep that skips the rays of hidden wall ends against casting every ray (itself checked vertex for vertex against
 * a cast over every segment in {@link SightPolygonTest}): over random scenes with crossing, touching and collinear
 * walls, shared ends, eyes on wall ends and on walls, very short and very long walls and every sight kind, the sweep
 * keeps a subset of the vertices, bit for bit and in order, and each vertex it leaves out lies on the edge between the
 * two kept either side of it, so the outline is the same.
 */
class SightSweepTest {

    /** How far a left-out vertex may lie from the edge that replaces it, in scene pixels (rounding only). */
    private static final double TOLERANCE = 1e-6;

    static Stream<Long> seeds() {
        return Stream.iterate(1L, s -> s + 1).limit(300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theSweepKeepsTheOutlineOfCastingEveryRay(long seed) {
        Random random = new Random(seed);
        List<Segment> segments = randomScene(random);
        WallIndex index = new WallIndex(segments);
        for (int i = 0; i < 12; i++) {
            double[] eye = randomEye(random, segments);
            double range = random.nextInt(3) == 0 ? 50 + random.nextDouble() * 400 : 4_000;
            assertSameOutline(index, eye[0], eye[1], range);
        }
    }

    @Test
    void seenFromInsideARoomTheSweepSkipsTheRaysOfEveryOtherRoom() {
        Random random = new Random(7);
        List<Segment> segments = new ArrayList<>();
        for (int r = 0; r < 400; r++) {
            // Closed square rooms on a grid that never touch: nothing crosses, most corners are hidden.
            double x = 100 * (r % 20) + 10 + random.nextInt(30), y = 100 * (r / 20) + 10 + random.nextInt(30);
            double side = 20 + random.nextInt(40);
            addPolyline(segments, Segment.Sight.FULL, x, y, x + side, y, x + side, y + side, x, y + side, x, y);
        }
        WallIndex index = new WallIndex(segments);
        int kept = 0, all = 0;
        for (int i = 0; i < 20; i++) {
            // Inside a room (its first corner is at least 10 px from the others): every other room is hidden.
            Segment corner = segments.get(4 * random.nextInt(400));
            double ox = corner.x1() + 9, oy = corner.y1() + 9;
            kept += SightPolygon.cast(index, ox, oy, 4_000).size();
            all += SightPolygon.castEveryRay(index, ox, oy, 4_000).size();
            assertSameOutline(index, ox, oy, 4_000);
        }
        assertThat(kept).as("rays kept of %s", all).isLessThan(all / 10);
    }

    @Test
    void degenerateEyesAndWalls() {
        List<Segment> segments = new ArrayList<>();
        // In line, end to end and overlapping; a T; a cross; a very long wall and a very short one; terrain, a window.
        segments.add(new Segment(100, 100, 300, 100, Segment.Sight.FULL, true));
        segments.add(new Segment(300, 100, 500, 100, Segment.Sight.FULL, true));
        segments.add(new Segment(400, 100, 700, 100, Segment.Sight.FULL, true));
        segments.add(new Segment(200, 100, 200, 300, Segment.Sight.FULL, true));
        segments.add(new Segment(350, 50, 450, 150, Segment.Sight.FULL, true));
        segments.add(new Segment(350, 150, 450, 50, Segment.Sight.FULL, true));
        segments.add(new Segment(-1_000_000, 900, 1_000_000, 900, Segment.Sight.FULL, true));
        segments.add(new Segment(600, 600, 600, 600.0000001, Segment.Sight.FULL, true));
        segments.add(new Segment(100, 500, 800, 500, Segment.Sight.LIMITED, false));
        segments.add(new Segment(100, 520, 800, 540, Segment.Sight.LIMITED, false));
        segments.add(new Segment(300, 700, 500, 700, Segment.Sight.NONE, true));
        for (int k = 0; k < 40; k++)
            segments.add(new Segment(50 + 20 * k, 800, 60 + 20 * k, 820, Segment.Sight.FULL, true));
        WallIndex index = new WallIndex(segments);
        double[][] eyes = {
            {300, 100},
            {200, 200},
            {400, 100},
            {600, 600},
            {500, 300},
            {100, 100},
            {0, 900},
            {500, 510},
            {400, 700},
            {400, 1_000},
            {1_000, 450}
        };
        for (double[] eye : eyes)
            for (double range : new double[] {4_000, 250, 2_000_000}) assertSameOutline(index, eye[0], eye[1], range);
    }

    private static void assertSameOutline(WallIndex index, double ox, double oy, double range) {
        double[][] swept = SightPolygon.cast(index, ox, oy, range).rays();
        double[][] every = SightPolygon.castEveryRay(index, ox, oy, range).rays();
        int n = every[0].length, m = swept[0].length;
        String where = "the polygon from (" + ox + ", " + oy + ") range " + range;
        // Kept vertices: in order, each one of casting every ray, bit for bit.
        int[] keptAt = new int[m];
        int j = 0;
        for (int k = 0; k < m; k++) {
            while (j < n && every[0][j] != swept[0][k]) j++;
            assertThat(j)
                    .as("%s: ray %s at angle %s is one of casting every ray", where, k, swept[0][k])
                    .isLessThan(n);
            assertThat(new double[] {swept[1][k], swept[2][k]})
                    .as("%s: the vertex at angle %s", where, swept[0][k])
                    .containsExactly(every[1][j], every[2][j]);
            keptAt[k] = j++;
        }
        assertThat(m).as("%s keeps vertices", where).isGreaterThan(0);
        // Left-out vertices: on the edge between the kept neighbours (around the polygon).
        for (int k = 0; k < m; k++) {
            int from = keptAt[k], to = keptAt[(k + 1) % m];
            for (int d = (from + 1) % n; d != to; d = (d + 1) % n) {
                double off = distanceToEdge(
                        every[1][d], every[2][d], every[1][from], every[2][from], every[1][to], every[2][to]);
                assertThat(off)
                        .as(
                                "%s: the vertex left out at angle %s (%s, %s)",
                                where, every[0][d], every[1][d], every[2][d])
                        .isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    /** Distance from (px, py) to the segment a–b. */
    private static double distanceToEdge(double px, double py, double ax, double ay, double bx, double by) {
        double ex = bx - ax, ey = by - ay;
        double len2 = ex * ex + ey * ey;
        if (len2 == 0) return Math.hypot(px - ax, py - ay);
        double t = Math.max(0, Math.min(1, ((px - ax) * ex + (py - ay) * ey) / len2));
        return Math.hypot(ax + t * ex - px, ay + t * ey - py);
    }

    /** Anywhere, on a grid corner, on a wall's end or on a wall. */
    private static double[] randomEye(Random random, List<Segment> segments) {
        Segment s = segments.get(random.nextInt(segments.size()));
        return switch (random.nextInt(5)) {
            case 0 -> new double[] {s.x1(), s.y1()};
            case 1 -> new double[] {(s.x1() + s.x2()) / 2, (s.y1() + s.y2()) / 2};
            case 2 -> new double[] {50 * random.nextInt(21), 50 * random.nextInt(21)};
            default -> new double[] {random.nextDouble() * 1_000, random.nextDouble() * 1_000};
        };
    }

    /**
     * Closed rooms and polylines along the grid (shared ends, walls in line end to end and overlapping, T junctions),
     * slanted walls that cross them, very short and very long walls, of every sight kind.
     */
    private static List<Segment> randomScene(Random random) {
        List<Segment> out = new ArrayList<>();
        Segment.Sight[] kinds = {
            Segment.Sight.FULL, Segment.Sight.FULL, Segment.Sight.FULL, Segment.Sight.LIMITED, Segment.Sight.NONE
        };
        for (int w = 0, walls = 5 + random.nextInt(40); w < walls; w++) {
            Segment.Sight sight = kinds[random.nextInt(kinds.length)];
            double x = 50 * random.nextInt(21), y = 50 * random.nextInt(21);
            switch (random.nextInt(6)) {
                case 0 -> {
                    double side = 50 * (1 + random.nextInt(3));
                    addPolyline(out, sight, x, y, x + side, y, x + side, y + side, x, y + side, x, y);
                }
                case 1 -> out.add(new Segment(
                        random.nextDouble() * 1_000,
                        random.nextDouble() * 1_000,
                        random.nextDouble() * 1_000,
                        random.nextDouble() * 1_000,
                        sight,
                        true));
                case 2 -> out.add(new Segment(x, y, x + 1e-7 + random.nextDouble() * 1e-3, y, sight, true));
                case 3 -> out.add(new Segment(
                        -500_000, y, 500_000 + random.nextDouble(), y + random.nextInt(3) - 1, sight, true));
                default -> {
                    for (int s = 0, n = 1 + random.nextInt(4); s < n; s++) {
                        double nx = x, ny = y;
                        if (random.nextBoolean())
                            nx = x + 50 * (1 + random.nextInt(4)) * (random.nextBoolean() ? 1 : -1);
                        else ny = y + 50 * (1 + random.nextInt(4)) * (random.nextBoolean() ? 1 : -1);
                        out.add(new Segment(x, y, nx, ny, sight, sight != Segment.Sight.LIMITED));
                        x = nx;
                        y = ny;
                    }
                }
            }
        }
        return out;
    }

    private static void addPolyline(List<Segment> into, Segment.Sight sight, double... xy) {
        for (int i = 0; i + 3 < xy.length; i += 2)
            into.add(new Segment(xy[i], xy[i + 1], xy[i + 2], xy[i + 3], sight, true));
    }
}
