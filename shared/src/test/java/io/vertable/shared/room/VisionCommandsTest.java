package io.vertable.shared.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.RoomRole;
import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertable.shared.vision.Segment;
import io.vertable.shared.vision.SightPolygon;
import io.vertable.shared.vision.WallIndex;
import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Walls, doors, lights and vision: bad input refused with its code and the state unchanged, the documented rules. */
class VisionCommandsTest {

    final AtomicInteger ids = new AtomicInteger();
    final Actor gm = new Actor("gm", RoomRole.GM);
    final Actor player = new Actor("p1", RoomRole.PLAYER);
    JsonObject state;
    String sceneId;
    String heroId;

    @BeforeEach
    void scene() {
        state = RoomReducer.empty("vision-room");
        accept(
                gm,
                "scene.create",
                new JsonObject()
                        .put("name", "keep")
                        .put("width", 1000)
                        .put("height", 1000)
                        .put("grid", new JsonObject().put("size", 50)));
        sceneId = state.getString("activeScene");
        accept(
                gm,
                "token.create",
                new JsonObject()
                        .put("sceneId", sceneId)
                        .put("name", "hero")
                        .put("x", 125)
                        .put("y", 125)
                        .put("owners", new JsonArray().add("p1")),
                Set.of("p1"));
        heroId = state.getJsonObject("tokens").fieldNames().iterator().next();
    }

    @Test
    void aWallOfAHundredThousandSegmentsIsRefusedBeforeItsPointsAreRead() {
        JsonArray points = new JsonArray();
        for (int i = 0; i <= 100_000; i++)
            points.add(new JsonArray().add(i % 2 == 0 ? 0 : 10).add(i));
        refused(gm, "wall.create", wall(points), ErrorCode.WALL_LIMIT);
    }

    @Test
    void aSceneHoldsAtMostTenThousandSegments() {
        for (int w = 0; w < 10; w++) {
            JsonArray points = new JsonArray();
            for (int i = 0; i <= 1_000; i++)
                points.add(new JsonArray().add(w * 20 + (i % 2)).add(i));
            accept(gm, "wall.create", wall(points));
        }
        refused(gm, "wall.create", wall(line(0, 0, 10, 10)), ErrorCode.WALL_LIMIT);
    }

    @Test
    void zeroLengthAndNotANumberSegmentsAreDegenerate() {
        refused(gm, "wall.create", wall(line(10, 10, 10, 10)), ErrorCode.WALL_DEGENERATE);
        JsonArray nan = new JsonArray()
                .add(new JsonArray().add(Double.NaN).add(1))
                .add(new JsonArray().add(5).add(5));
        refused(gm, "wall.create", wall(nan), ErrorCode.WALL_DEGENERATE);
        JsonArray text = new JsonArray()
                .add(new JsonArray().add("x").add(1))
                .add(new JsonArray().add(5).add(5));
        refused(gm, "wall.create", wall(text), ErrorCode.WALL_DEGENERATE);
        JsonArray huge = new JsonArray()
                .add(new JsonArray().add(1e300).add(1))
                .add(new JsonArray().add(5).add(5));
        refused(gm, "wall.create", wall(huge), ErrorCode.WALL_DEGENERATE);
    }

    @Test
    void negativeOrInvertedRadiiAreRefused() {
        refused(
                gm,
                "light.create",
                new JsonObject().put("sceneId", sceneId).put("x", 1).put("y", 1).put("dim", -1),
                ErrorCode.RADIUS_INVALID);
        refused(
                gm,
                "light.create",
                new JsonObject()
                        .put("sceneId", sceneId)
                        .put("x", 1)
                        .put("y", 1)
                        .put("bright", 5)
                        .put("dim", 2),
                ErrorCode.RADIUS_INVALID);
        refused(
                gm,
                "token.update",
                new JsonObject().put("tokenId", heroId).put("sight", new JsonObject().put("range", -3)),
                ErrorCode.RADIUS_INVALID);
        refused(
                gm,
                "token.update",
                new JsonObject().put("tokenId", heroId).put("light", new JsonObject().put("dim", -0.5)),
                ErrorCode.RADIUS_INVALID);
    }

    @Test
    void aPlayerWorksADoorOnlyFromNextToTheirTokenAndNeverALockedOne() {
        String near = accept(gm, "wall.create", wall(line(150, 100, 150, 150)).put("kind", "door"));
        String far = accept(gm, "wall.create", wall(line(900, 900, 900, 950)).put("kind", "door"));
        String locked = accept(
                gm,
                "wall.create",
                wall(line(100, 150, 150, 150)).put("kind", "door").put("door", "locked"));
        accept(player, "door.set", new JsonObject().put("wallId", near).put("door", "open"));
        assertThat(Walls.walls(state).getJsonObject(near).getString("door")).isEqualTo("open");
        refused(player, "door.set", new JsonObject().put("wallId", far).put("door", "open"), ErrorCode.DOOR_TOO_FAR);
        refused(player, "door.set", new JsonObject().put("wallId", locked).put("door", "open"), ErrorCode.DOOR_LOCKED);
        refused(player, "door.set", new JsonObject().put("wallId", near).put("door", "locked"), ErrorCode.DOOR_LOCKED);
        String plain = accept(gm, "wall.create", wall(line(100, 100, 100, 150)));
        refused(player, "door.set", new JsonObject().put("wallId", plain).put("door", "open"), ErrorCode.NOT_FOUND);
        refused(player, "wall.create", wall(line(0, 0, 5, 5)), ErrorCode.GM_ONLY);
    }

    @Test
    void aMoveThroughAWallOrGrazingItsEndIsBlockedAndAnOpenDoorLetsItThrough() {
        accept(gm, "wall.create", wall(line(200, 0, 200, 200)));
        String door = accept(gm, "wall.create", wall(line(200, 200, 200, 300)).put("kind", "door"));
        accept(gm, "wall.create", wall(line(500, 0, 500, 600)).put("kind", "window"));
        refused(player, "token.move", move(300, 125), ErrorCode.MOVE_BLOCKED);
        // Through the very end of the wall (where it meets the door): touching counts, no slipping past corners.
        refused(player, "token.move", move(275, 275), ErrorCode.MOVE_BLOCKED);
        accept(gm, "door.set", new JsonObject().put("wallId", door).put("door", "open"));
        accept(player, "token.move", move(150, 250));
        accept(player, "token.move", move(300, 250));
        // A window stops movement but not sight.
        refused(player, "token.move", move(600, 250), ErrorCode.MOVE_BLOCKED);
        // GMs move tokens anywhere.
        accept(gm, "token.move", move(600, 250));
        // tokens.move checks each move as token.move does.
        refused(
                player,
                "tokens.move",
                new JsonObject().put("moves", new JsonArray().add(move(400, 250))),
                ErrorCode.MOVE_BLOCKED);
    }

    @Test
    void visionHidesWhatIsBehindAClosedDoorUntilItOpensAndRemembersWhatWasSeen() {
        // A corridor along y=125 ending in a door at x=400; a monster in the room behind it.
        accept(gm, "wall.create", wall(line(0, 100, 400, 100)));
        accept(gm, "wall.create", wall(line(0, 150, 400, 150)));
        accept(gm, "wall.create", wall(line(400, 0, 400, 100)));
        accept(gm, "wall.create", wall(line(400, 150, 400, 1000)));
        String door = accept(gm, "wall.create", wall(line(400, 100, 400, 150)).put("kind", "door"));
        accept(
                gm,
                "token.create",
                new JsonObject()
                        .put("sceneId", sceneId)
                        .put("name", "ogre")
                        .put("x", 700)
                        .put("y", 125));
        accept(gm, "scene.update", new JsonObject().put("sceneId", sceneId).put("vision", true));
        assertThat(names(RoomViews.player(state, Vision.of(state), "p1"))).containsExactly("hero");
        assertThat(RoomViews.player(state, Vision.of(state), "p1")
                        .getJsonObject("walls")
                        .fieldNames())
                .containsExactly(door);
        accept(player, "token.move", move(350, 125));
        accept(player, "door.set", new JsonObject().put("wallId", door).put("door", "open"));
        assertThat(names(RoomViews.player(state, Vision.of(state), "p1"))).containsExactlyInAnyOrder("hero", "ogre");
        // Everyone else (observers, players with no token) sees nothing of the scene's tokens.
        assertThat(names(RoomViews.player(state))).isEmpty();
        assertThat(names(RoomViews.gm(state))).containsExactlyInAnyOrder("hero", "ogre");
        // The room beyond is explored now: a drawing there shows after the door shuts again.
        accept(gm, "door.set", new JsonObject().put("wallId", door).put("door", "closed"));
        accept(
                gm,
                "drawing.create",
                new JsonObject()
                        .put("sceneId", sceneId)
                        .put("kind", "text")
                        .put("text", "X")
                        .put(
                                "points",
                                new JsonArray().add(new JsonArray().add(700).add(125))));
        JsonObject view = RoomViews.player(state, Vision.of(state), "p1");
        assertThat(names(view)).containsExactly("hero");
        assertThat(view.getJsonObject("drawings")).hasSize(1);
        assertThat(view.getJsonObject("explored").getString("bits")).isNotEmpty();
        // Until the GM resets what was explored.
        accept(gm, "explored.reset", new JsonObject().put("sceneId", sceneId).put("userId", "p1"));
        assertThat(RoomViews.player(state, Vision.of(state), "p1").getJsonObject("drawings"))
                .isEmpty();
    }

    @Test
    void inTheDarkOnlyLightsAndDarkvisionShow() {
        accept(
                gm,
                "token.create",
                new JsonObject()
                        .put("sceneId", sceneId)
                        .put("name", "bat")
                        .put("x", 400)
                        .put("y", 125));
        accept(
                gm,
                "scene.update",
                new JsonObject().put("sceneId", sceneId).put("vision", true).put("darkness", 1));
        assertThat(names(RoomViews.player(state, Vision.of(state), "p1"))).containsExactly("hero");
        String light = accept(
                gm,
                "light.create",
                new JsonObject()
                        .put("sceneId", sceneId)
                        .put("x", 400)
                        .put("y", 150)
                        .put("bright", 1)
                        .put("dim", 2));
        assertThat(names(RoomViews.player(state, Vision.of(state), "p1"))).contains("bat");
        accept(gm, "light.remove", new JsonObject().put("lightId", light));
        accept(
                gm,
                "token.update",
                new JsonObject().put("tokenId", heroId).put("sight", new JsonObject().put("darkvision", 6)));
        assertThat(names(RoomViews.player(state, Vision.of(state), "p1"))).contains("bat");
    }

    @Test
    void anImportedLogWithAWallNoCommandWouldMakeIsRefused() {
        accept(gm, "wall.create", wall(line(0, 0, 50, 50)));
        assertThat(RoomValidation.problem(state)).isNull();
        RoomReducer.apply(
                state,
                state.getLong("seq") + 1,
                "wall.created",
                new JsonObject()
                        .put("wallId", "bad")
                        .put("sceneId", sceneId)
                        .put("kind", "wall")
                        .put("points", line(10, 10, 10, 10)));
        assertThat(RoomValidation.problem(state)).contains("zero-length");
    }

    @Test
    void aSceneHoldsAtMostItsLimitOfLights() {
        JsonObject light = new JsonObject().put("sceneId", sceneId).put("x", 10).put("y", 10);
        for (int i = 0; i < Walls.MAX_LIGHTS_PER_SCENE; i++) accept(gm, "light.create", light.copy());
        refused(gm, "light.create", light.copy(), ErrorCode.LIGHT_LIMIT);
    }

    @Test
    void anImportedLightOrDoorNoCommandWouldMakeIsRefused() {
        accept(
                gm,
                "light.create",
                new JsonObject().put("sceneId", sceneId).put("x", 10).put("y", 10));
        accept(gm, "wall.create", wall(line(0, 0, 50, 50)).put("kind", "door"));
        accept(gm, "token.update", new JsonObject().put("tokenId", heroId).put("light", new JsonObject()));
        assertThat(RoomValidation.problem(state)).isNull();

        JsonObject unplaced = state.copy();
        unplaced.getJsonObject("lights").forEach(e -> ((JsonObject) e.getValue()).remove("x"));
        assertThat(RoomValidation.problem(unplaced)).contains("x is missing");

        JsonObject negative = state.copy();
        negative.getJsonObject("lights").forEach(e -> ((JsonObject) e.getValue()).put("dim", -3));
        assertThat(RoomValidation.problem(negative)).startsWith("light ");

        JsonObject ajar = state.copy();
        ajar.getJsonObject("walls").forEach(e -> ((JsonObject) e.getValue()).put("door", "ajar"));
        assertThat(RoomValidation.problem(ajar)).contains("neither open, closed nor locked");

        JsonObject dimless = state.copy();
        dimless.getJsonObject("tokens")
                .getJsonObject(heroId)
                .getJsonObject("light")
                .remove("dim");
        assertThat(RoomValidation.problem(dimless)).contains("light: dim is missing");

        JsonObject blind = state.copy();
        blind.getJsonObject("tokens").getJsonObject(heroId).put("sight", new JsonObject().put("range", -1));
        assertThat(RoomValidation.problem(blind)).startsWith("token " + heroId + ": sight");
    }

    @Test
    void theSightPolygonStopsAtWallsAndSlipsPastTheirEnds() {
        WallIndex walls = new WallIndex(List.of(new Segment(100, -50, 100, 50, Segment.Sight.FULL, true)));
        SightPolygon sight = SightPolygon.cast(walls, 0, 0, 500);
        assertThat(sight.contains(50, 0)).isTrue();
        assertThat(sight.contains(200, 0)).isFalse();
        assertThat(sight.contains(200, 0.5)).isFalse();
        assertThat(sight.contains(200, 150)).isTrue();
        assertThat(sight.contains(0, 499)).isTrue();
        assertThat(sight.contains(0, 501)).isFalse();
        // Terrain: sight passes one such segment and stops at the second.
        WallIndex terrain = new WallIndex(List.of(
                new Segment(100, -50, 100, 50, Segment.Sight.LIMITED, false),
                new Segment(200, -50, 200, 50, Segment.Sight.LIMITED, false)));
        SightPolygon foliage = SightPolygon.cast(terrain, 0, 0, 500);
        assertThat(foliage.contains(150, 0)).isTrue();
        assertThat(foliage.contains(250, 0)).isFalse();
    }

    private static List<String> names(JsonObject view) {
        return view.getJsonObject("tokens").stream()
                .map(e -> ((JsonObject) e.getValue()).getString("name"))
                .toList();
    }

    private JsonObject move(double x, double y) {
        return new JsonObject().put("tokenId", heroId).put("x", x).put("y", y);
    }

    /**
     * In the dark a player's mask outlines only what they see: lit and in sight. The hero's torch lights 2 cells of a
     * corridor that runs the whole scene; a lamp lights a closed room beside it. Neither the corridor's far end nor
     * any of the lamp's room may show in the mask, though the hero's sight runs down the corridor and the lamp's
     * light touches the corridor's wall.
     */
    @Test
    void inTheDarkTheMaskOutlinesOnlyWhatIsLitAndInSight() {
        accept(gm, "wall.create", wall(line(0, 100, 1000, 100)));
        accept(gm, "wall.create", wall(line(0, 150, 1000, 150)));
        JsonArray room = new JsonArray()
                .add(new JsonArray().add(600).add(150))
                .add(new JsonArray().add(600).add(300))
                .add(new JsonArray().add(800).add(300))
                .add(new JsonArray().add(800).add(150));
        accept(gm, "wall.create", wall(room));
        accept(
                gm,
                "light.create",
                new JsonObject()
                        .put("sceneId", sceneId)
                        .put("x", 700)
                        .put("y", 225)
                        .put("bright", 2)
                        .put("dim", 4));
        accept(
                gm,
                "token.update",
                new JsonObject()
                        .put("tokenId", heroId)
                        .put("light", new JsonObject().put("bright", 1).put("dim", 2)));
        accept(
                gm,
                "scene.update",
                new JsonObject().put("sceneId", sceneId).put("vision", true).put("darkness", 1.0));

        Vision vision = Vision.of(state);
        JsonObject mask = RoomViews.player(state, vision, "p1").getJsonObject("vision");
        List<double[]> vertices = new java.util.ArrayList<>();
        for (String field : mask.fieldNames()) {
            if (!(mask.getValue(field) instanceof JsonArray paths)) continue;
            for (Object path : paths) {
                if (!(path instanceof String text)) continue;
                for (String pair : text.split(" ")) {
                    String[] xy = pair.split(",");
                    vertices.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
                }
            }
        }
        assertThat(vertices).as(mask.encode()).isNotEmpty();
        // Within the torch's 100 px (one pixel of rounding, and the disc's chords) and inside the corridor.
        assertThat(vertices).as(mask.encode()).allSatisfy(v -> {
            assertThat(Math.hypot(v[0] - 125, v[1] - 125)).isLessThanOrEqualTo(101.5);
            assertThat(v[1]).isBetween(99.0, 151.0);
        });
        assertThat(vision.of("p1").sees(200, 125)).isTrue();
        assertThat(vision.of("p1").sees(400, 125)).isFalse();
    }

    /**
     * In the dark without lights, the mask is what the token sees within its darkvision, cast as a sight polygon of that
     * range: the same area as the whole sight polygon cut by the darkvision disc with JTS (as it once was computed),
     * up to the disc's chords and whole-pixel rounding along the outline.
     */
    @Test
    void theDarkvisionOutlineCoversTheSightPolygonCutByTheDisc() {
        java.util.Random random = new java.util.Random(23);
        for (int w = 0; w < 40; w++) {
            JsonArray points = new JsonArray();
            double x = 50 * random.nextInt(1, 20), y = 50 * random.nextInt(1, 20);
            points.add(new JsonArray().add(x).add(y));
            for (int s = 0; s < 3; s++) {
                if (s % 2 == 0) x = x > 500 ? x - 50 * random.nextInt(1, 6) : x + 50 * random.nextInt(1, 6);
                else y = y > 500 ? y - 50 * random.nextInt(1, 6) : y + 50 * random.nextInt(1, 6);
                points.add(new JsonArray().add(x).add(y));
            }
            accept(gm, "wall.create", wall(points).put("kind", w % 7 == 0 ? "terrain" : "wall"));
        }
        accept(
                gm,
                "scene.update",
                new JsonObject().put("sceneId", sceneId).put("vision", true).put("darkness", 1.0));
        org.locationtech.jts.geom.GeometryFactory jts = new org.locationtech.jts.geom.GeometryFactory();
        for (int move = 0; move < 60; move++) {
            double x = 10 + random.nextDouble() * 980, y = 10 + random.nextDouble() * 980;
            double darkvision = random.nextInt(1, 9);
            accept(
                    gm,
                    "token.move",
                    new JsonObject().put("tokenId", heroId).put("x", x).put("y", y));
            accept(
                    gm,
                    "token.update",
                    new JsonObject()
                            .put("tokenId", heroId)
                            .put("sight", new JsonObject().put("darkvision", darkvision)));
            SightPolygon eye = SightPolygon.cast(Vision.index(state, sceneId), x, y, 4_000);
            org.locationtech.jts.geom.Geometry cut = polygon(jts, eye.outline())
                    .intersection(jts.createPoint(new org.locationtech.jts.geom.Coordinate(x, y))
                            .buffer(darkvision * 50, 16));
            JsonArray paths = Vision.of(state).of("p1").mask().getJsonArray("sight");
            org.locationtech.jts.geom.Geometry drawn = jts.createPolygon();
            for (Object path : paths) drawn = drawn.union(polygon(jts, parse((String) path)));
            double apart = drawn.symDifference(cut).getArea();
            assertThat(apart)
                    .as("from (%s, %s), darkvision %s: %s", x, y, darkvision, paths)
                    .isLessThanOrEqualTo(cut.getLength() * 1.0);
        }
    }

    private static org.locationtech.jts.geom.Geometry polygon(
            org.locationtech.jts.geom.GeometryFactory jts, double[] ring) {
        org.locationtech.jts.geom.Coordinate[] points = new org.locationtech.jts.geom.Coordinate[ring.length / 2 + 1];
        for (int i = 0; i < ring.length / 2; i++)
            points[i] = new org.locationtech.jts.geom.Coordinate(ring[2 * i], ring[2 * i + 1]);
        points[points.length - 1] = points[0];
        org.locationtech.jts.geom.Polygon made = jts.createPolygon(points);
        return made.isValid() ? made : made.buffer(0);
    }

    private static double[] parse(String path) {
        String[] pairs = path.split(" ");
        double[] ring = new double[pairs.length * 2];
        for (int i = 0; i < pairs.length; i++) {
            String[] xy = pairs[i].split(",");
            ring[2 * i] = Double.parseDouble(xy[0]);
            ring[2 * i + 1] = Double.parseDouble(xy[1]);
        }
        return ring;
    }

    private JsonObject wall(JsonArray points) {
        return new JsonObject().put("sceneId", sceneId).put("points", points);
    }

    private static JsonArray line(double x1, double y1, double x2, double y2) {
        return new JsonArray()
                .add(new JsonArray().add(x1).add(y1))
                .add(new JsonArray().add(x2).add(y2));
    }

    private String accept(Actor actor, String op, JsonObject body) {
        return accept(actor, op, body, Set.of());
    }

    /** Decides and applies as the room owner does (explored cells follow each event); returns the first new id. */
    private String accept(Actor actor, String op, JsonObject body, Set<String> members) {
        int before = ids.get();
        Decision decision =
                RoomCommands.decide(state, op, body, actor, () -> "v" + ids.incrementAndGet(), members::contains);
        assertThat(decision.failure()).as(op).isNull();
        for (Change change : decision.changes()) {
            RoomReducer.apply(state, state.getLong("seq") + 1, change.type(), change.data());
            Vision vision = Vision.of(state);
            if (vision != null)
                for (Change explored : vision.exploredChanges())
                    RoomReducer.apply(state, state.getLong("seq") + 1, explored.type(), explored.data());
        }
        return "v" + (before + 1);
    }

    private void refused(Actor actor, String op, JsonObject body, ErrorCode code) {
        JsonObject was = state.copy();
        Decision decision = RoomCommands.decide(state, op, body, actor, () -> "v" + ids.incrementAndGet());
        assertThat(decision.accepted()).as(op).isFalse();
        assertThat(decision.failure().code()).as(decision.failure().message()).isEqualTo(code);
        assertThat(state).isEqualTo(was);
    }
}
