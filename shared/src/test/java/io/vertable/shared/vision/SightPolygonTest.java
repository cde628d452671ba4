package io.vertable.shared.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast ray casting against the plain method: a ray to every end of every sight-stopping segment and ε either side of
 * it, plus the circle's rays, all sorted, each tested against every segment. Casting every ray, the fast one (which
 * casts a shared polyline end once, sorts only the ends' angles and walks each ray through buckets of walls) gives the
 * plain polygon exactly. The sweep that skips the rays of ends hidden behind a wall keeps a subset of those vertices,
 * bit for bit, and every vertex it leaves out lies on the straight edge between the vertices kept either side of it: the
 * same outline.
 */
class SightPolygonTest {

    static Stream<Long> seeds() {
        return Stream.iterate(1L, s -> s + 1).limit(200);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theFastCastGivesThePlainCastsPolygonExactly(long seed) {
        Random random = new Random(seed);
        List<Segment> segments = randomWalls(random);
        WallIndex index = new WallIndex(segments);
        for (int i = 0; i < 10; i++) {
            double ox = random.nextInt(3) == 0 ? 50 * random.nextInt(21) : random.nextDouble() * 1_000;
            double oy = random.nextInt(3) == 0 ? 50 * random.nextInt(21) : random.nextDouble() * 1_000;
            double range = random.nextBoolean() ? 4_000 : 50 + random.nextDouble() * 400;
            assertSame(index, ox, oy, range);
        }
    }

    @Test
    void endsCloserThanTwoEpsilonAndEndsAtPlusMinusPiAreOrderedAsBySorting() {
        // Wall ends straight left of the origin (angle π: its ε neighbour wraps to -π) and ends a few 10⁻⁶ rad apart.
        List<Segment> segments = List.of(
                new Segment(100, 500, 100, 300, Segment.Sight.FULL, true),
                new Segment(100, 300, 150, 300, Segment.Sight.FULL, true),
                new Segment(900, 500, 900, 500.003, Segment.Sight.FULL, true),
                new Segment(900, 500.006, 950, 600, Segment.Sight.FULL, true),
                new Segment(700, 500.001, 700, 800, Segment.Sight.LIMITED, false),
                new Segment(300, 500, 200, 500, Segment.Sight.NONE, true));
        WallIndex index = new WallIndex(segments);
        assertSame(index, 500, 500, 4_000);
        assertSame(index, 500, 500, 401);
        assertSame(index, 100, 400, 4_000);
    }

    @Test
    void endsCrowdedIntoANarrowAngleAreOrderedAsBySorting() {
        // A far cluster of short walls within 0.01 rad of the origin: too many ends for one bucket of angles.
        List<Segment> segments = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 150; i++) {
            double x = 3_000 + random.nextDouble() * 20, y = 500 + random.nextDouble() * 20;
            segments.add(
                    new Segment(x, y, x + 1 + random.nextDouble(), y + random.nextDouble(), Segment.Sight.FULL, true));
        }
        segments.add(new Segment(100, 900, 900, 900, Segment.Sight.FULL, true));
        WallIndex index = new WallIndex(segments);
        assertSame(index, 500, 500, 4_000);
        assertSame(index, 2_000, 510, 4_000);
    }

    private static void assertSame(WallIndex index, double ox, double oy, double range) {
        double[][] fast = SightPolygon.castEveryRay(index, ox, oy, range).rays();
        double[][] plain = plainCast(index, ox, oy, range);
        for (int k = 0; k < 3; k++)
            assertThat(fast[k])
                    .as(
                            "%s of the polygon from (%s, %s) range %s",
                            List.of("angles", "xs", "ys").get(k), ox, oy, range)
                    .containsExactly(plain[k]);
    }

    /** The plain method: every candidate angle, duplicates included, sorted as a whole. */
    private static double[][] plainCast(WallIndex walls, double ox, double oy, double range) {
        List<Double> candidates = new ArrayList<>();
        for (int i = 0; i < SightPolygon.CIRCLE_RAYS; i++)
            candidates.add(-Math.PI + 2 * Math.PI * i / SightPolygon.CIRCLE_RAYS);
        for (int id = 0; id < walls.size(); id++) {
            Segment s = walls.segment(id);
            if (s.sight() == Segment.Sight.NONE) continue;
            addEnd(candidates, ox, oy, range, s.x1(), s.y1());
            addEnd(candidates, ox, oy, range, s.x2(), s.y2());
        }
        double[] sorted = candidates.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        double[] angles = new double[sorted.length], xs = new double[sorted.length], ys = new double[sorted.length];
        int m = 0;
        for (double a : sorted) {
            if (m > 0 && a - angles[m - 1] < 1e-12) continue;
            double dx = Math.cos(a), dy = Math.sin(a);
            double t = bruteForceStop(walls, ox, oy, dx, dy, range);
            angles[m] = a;
            xs[m] = ox + dx * t;
            ys[m] = oy + dy * t;
            m++;
        }
        return new double[][] {Arrays.copyOf(angles, m), Arrays.copyOf(xs, m), Arrays.copyOf(ys, m)};
    }

    /** Where sight along the ray stops, over every segment (no buckets): the first full one, the second terrain. */
    private static double bruteForceStop(WallIndex walls, double ox, double oy, double dx, double dy, double range) {
        double full = range;
        List<Double> terrain = new ArrayList<>();
        for (int id = 0; id < walls.size(); id++) {
            Segment s = walls.segment(id);
            if (s.sight() == Segment.Sight.NONE) continue;
            double t = WallIndex.hit(ox, oy, dx, dy, s);
            if (t < 0) continue;
            if (s.sight() == Segment.Sight.FULL) full = Math.min(full, t);
            else terrain.add(t);
        }
        terrain.sort(null);
        return terrain.size() >= 2 ? Math.min(full, terrain.get(1)) : full;
    }

    private static void addEnd(List<Double> into, double ox, double oy, double range, double x, double y) {
        double d = Math.hypot(x - ox, y - oy);
        if (d > range || d == 0) return;
        double a = Math.atan2(y - oy, x - ox);
        into.add(a);
        into.add(wrap(a - SightPolygon.EPSILON));
        into.add(wrap(a + SightPolygon.EPSILON));
    }

    private static double wrap(double a) {
        if (a < -Math.PI) return a + 2 * Math.PI;
        if (a >= Math.PI) return a - 2 * Math.PI;
        return a;
    }

    /** Polylines along the grid mostly (sharing ends), slanted ones and lone segments, of every sight kind. */
    private static List<Segment> randomWalls(Random random) {
        List<Segment> out = new ArrayList<>();
        Segment.Sight[] kinds = {Segment.Sight.FULL, Segment.Sight.FULL, Segment.Sight.LIMITED, Segment.Sight.NONE};
        for (int w = 0, walls = 1 + random.nextInt(30); w < walls; w++) {
            Segment.Sight sight = kinds[random.nextInt(kinds.length)];
            double x = 50 * random.nextInt(21), y = 50 * random.nextInt(21);
            for (int s = 0, n = 1 + random.nextInt(4); s < n; s++) {
                double nx = x, ny = y;
                if (random.nextInt(3) > 0) {
                    if (random.nextBoolean()) nx = x + 50 * (1 + random.nextInt(4)) * (random.nextBoolean() ? 1 : -1);
                    else ny = y + 50 * (1 + random.nextInt(4)) * (random.nextBoolean() ? 1 : -1);
                } else {
                    nx = random.nextDouble() * 1_000;
                    ny = random.nextDouble() * 1_000;
                }
                out.add(new Segment(x, y, nx, ny, sight, sight != Segment.Sight.LIMITED));
                x = nx;
                y = ny;
            }
        }
        return out;
    }
}
