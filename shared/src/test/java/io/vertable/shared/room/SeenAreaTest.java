package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;

/** The mask's pieces keep their holes: a dark patch inside a lit one is sent as a hole, never drawn as seen. */
class SeenAreaTest {

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
