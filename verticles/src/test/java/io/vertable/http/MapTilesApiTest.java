package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The map image of a vision scene, tile by tile, through the real REST API, bridge, owner and database: a player
 * whose token stands in a walled corridor gets the tiles the corridor crosses, black but for the corridor and the cells
 * next to it, and is refused every other one; the GM gets all, whole; the player's view never names the image.
 */
class MapTilesApiTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void aPlayerGetsOnlyTheTilesTheyExploredAndTheGmGetsAll() throws Exception {
        JsonObject overrides = TestNodes.standalone(
                "tiles", "http:1,bridge:1,persistence:1,map:1", TestStorage.freshDatabase("tiles"));
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        Node node = Node.start(TestNodes.config(overrides));
        try {
            Table table = Table.create(new Rest(node.httpPort()), "Tiles");
            JsonObject pip = table.join("Pip", "PLAYER");
            String pipId = Table.userId(pip);
            String pipToken = pip.getString("token");
            try (Player gm = Player.gm(node, table);
                    Player player =
                            new Player(node.vertx(), node.bridgePort(), pipToken, pipId, table.roomId(), false)) {
                gm.join();
                String asset = table.rest().uploadImage(table.roomId(), table.gmToken(), "keep.png", map());
                String sceneId = keep(gm, asset);
                String tiles = "/api/rooms/" + table.roomId() + "/scenes/" + sceneId + "/tiles/";

                // Vision off: the shown scene's tiles are any member's, as its whole image is.
                assertThat(fetch(node, tiles + "3/3", pipToken).statusCode()).isEqualTo(200);
                assertThat(fetch(node, "/api/assets/" + asset, pipToken).statusCode())
                        .isEqualTo(200);

                // A corridor along y=125 from x=0 to a wall at x=400; the hero stands in it.
                wall(gm, sceneId, 0, 100, 400, 100);
                wall(gm, sceneId, 0, 150, 400, 150);
                wall(gm, sceneId, 400, 0, 400, 1000);
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "token.create")
                                .put("sceneId", sceneId)
                                .put("name", "Hero")
                                .put("x", 75)
                                .put("y", 125)
                                .put("owners", new JsonArray().add(pipId)));
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "scene.update")
                                .put("sceneId", sceneId)
                                .put("vision", true));

                JsonObject scene = player.join()
                        .getJsonObject("view")
                        .getJsonObject("scenes")
                        .getJsonObject(sceneId);
                assertThat(scene.getBoolean("tiled")).isTrue();
                assertThat(scene.encode()).doesNotContain(asset);

                // The corridor crosses tiles (0,0) and (1,0): each is the image's own 256 × 256 pixels there, showing
                // the explored cells (the corridor's row, y 100–150, up to the wall at x=400) and the cells next to
                // them;
                // every other cell is black.
                HttpResponse<byte[]> first = fetch(node, tiles + "0/0", pipToken);
                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("content-type")).hasValue("image/png");
                assertThat(first.headers().firstValue("cache-control")).hasValue("private, no-store");
                BufferedImage corner = ImageIO.read(new ByteArrayInputStream(first.body()));
                assertThat(corner.getWidth()).isEqualTo(256);
                assertThat(corner.getRGB(10, 125) & 0xffffff).as("explored").isEqualTo(0x336699);
                assertThat(corner.getRGB(10, 60) & 0xffffff)
                        .as("next to explored")
                        .isEqualTo(0x336699);
                assertThat(corner.getRGB(10, 10) & 0xffffff)
                        .as("two cells away")
                        .isEqualTo(0);
                assertThat(corner.getRGB(10, 210) & 0xffffff)
                        .as("two cells away")
                        .isEqualTo(0);
                HttpResponse<byte[]> second = fetch(node, tiles + "1/0", pipToken);
                assertThat(second.statusCode()).isEqualTo(200);
                BufferedImage beside = ImageIO.read(new ByteArrayInputStream(second.body()));
                assertThat(beside.getRGB(300 - 256, 125) & 0xffffff)
                        .as("explored")
                        .isEqualTo(0x336699);
                assertThat(beside.getRGB(425 - 256, 125) & 0xffffff)
                        .as("the cell beyond the wall, next to explored")
                        .isEqualTo(0x336699);
                assertThat(beside.getRGB(475 - 256, 125) & 0xffffff)
                        .as("two cells beyond the wall")
                        .isEqualTo(0);
                // Beyond the wall and far down: never explored, refused.
                for (String unexplored : new String[] {"2/0", "3/3", "0/2"}) {
                    HttpResponse<byte[]> refused = fetch(node, tiles + unexplored, pipToken);
                    assertThat(refused.statusCode()).as(unexplored).isEqualTo(403);
                    assertThat(code(refused)).as(unexplored).isEqualTo("TILE_UNEXPLORED");
                }
                // The whole image, by the asset id Pip could have seen while vision was off: refused to him, not to the
                // GM.
                HttpResponse<byte[]> whole = fetch(node, "/api/assets/" + asset, pipToken);
                assertThat(whole.statusCode()).isEqualTo(403);
                assertThat(code(whole)).isEqualTo("MAP_SHOWN_IN_TILES");
                assertThat(fetch(node, "/api/assets/" + asset, table.gmToken()).statusCode())
                        .isEqualTo(200);

                // The GM gets every tile whole; the last one is the image's remaining 232 pixels.
                HttpResponse<byte[]> gmCorner = fetch(node, tiles + "0/0", table.gmToken());
                assertThat(ImageIO.read(new ByteArrayInputStream(gmCorner.body()))
                                        .getRGB(10, 10)
                                & 0xffffff)
                        .isEqualTo(0x336699);
                assertThat(gmCorner.headers().firstValue("cache-control")).hasValue(AssetRoutes.CACHE);
                HttpResponse<byte[]> last = fetch(node, tiles + "3/3", table.gmToken());
                assertThat(last.statusCode()).isEqualTo(200);
                assertThat(ImageIO.read(new ByteArrayInputStream(last.body())).getWidth())
                        .isEqualTo(232);
                assertThat(ImageIO.read(new ByteArrayInputStream(last.body())).getRGB(100, 100) & 0xffffff)
                        .isEqualTo(0xcc3300);
                // Outside the scene, not a number, someone else's room: there is no such tile.
                assertThat(code(fetch(node, tiles + "4/0", table.gmToken()))).isEqualTo("NOT_FOUND");
                assertThat(code(fetch(node, tiles + "x/0", table.gmToken()))).isEqualTo("NOT_FOUND");
                String stranger =
                        Table.create(new Rest(node.httpPort()), "Elsewhere").gmToken();
                assertThat(code(fetch(node, tiles + "0/0", stranger))).isEqualTo("NOT_A_MEMBER");

                // A WebP map (the JDK has no reader for it) cannot be cut: refused with its own code.
                String webp =
                        table.rest().uploadImage(table.roomId(), table.gmToken(), "map.webp", AssetsApiTest.webp());
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "scene.create")
                                .put("name", "Webp")
                                .put("image", webp)
                                .put("width", 300)
                                .put("height", 300));
                String webpScene = gm
                        .ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                        .getJsonObject("view")
                        .getJsonObject("scenes")
                        .stream()
                        .filter(e -> "Webp".equals(((JsonObject) e.getValue()).getString("name")))
                        .map(java.util.Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow();
                HttpResponse<byte[]> uncut = fetch(
                        node, "/api/rooms/" + table.roomId() + "/scenes/" + webpScene + "/tiles/0/0", table.gmToken());
                assertThat(uncut.statusCode()).isEqualTo(415);
                assertThat(code(uncut)).isEqualTo("IMAGE_NOT_TILEABLE");

                // A scene of 20,000 pixels a side would be 79 × 79 tiles, each encoded at once: not cut.
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "scene.update")
                                .put("sceneId", sceneId)
                                .put("width", 20_000)
                                .put("height", 20_000));
                HttpResponse<byte[]> vast = fetch(node, tiles + "0/0", table.gmToken());
                assertThat(vast.statusCode()).isEqualTo(415);
                assertThat(code(vast)).isEqualTo("IMAGE_NOT_TILEABLE");
            }
        } finally {
            node.shutdown();
        }
    }

    /**
     * Tiles have a rate of their own per user: a page may fetch a large explored map at once (the burst), but a client
     * asking again and again is refused with {@code RATE_LIMITED} and told when to come back.
     */
    @Test
    void aUserFetchingTilesPastTheBurstIsRefusedWithTheRateCode() throws Exception {
        JsonObject overrides = TestNodes.standalone(
                "tilerate", "http:1,bridge:1,persistence:1,map:1", TestStorage.freshDatabase("tilerate"));
        Node node = Node.start(TestNodes.config(overrides));
        try {
            Table table = Table.create(new Rest(node.httpPort()), "Tile rate");
            String pipToken = table.join("Pip", "PLAYER").getString("token");
            String asset = table.rest().uploadImage(table.roomId(), table.gmToken(), "keep.png", map());
            String sceneId;
            try (Player gm = Player.gm(node, table)) {
                gm.join();
                sceneId = keep(gm, asset);
            }
            String tile = "/api/rooms/" + table.roomId() + "/scenes/" + sceneId + "/tiles/0/0";
            int burst = TileRoutes.TILE_RATE.burst();
            long started = System.nanoTime();
            int served = 0;
            HttpResponse<byte[]> answer = fetch(node, tile, pipToken);
            while (answer.statusCode() == 200 && served < 3 * burst) {
                served++;
                answer = fetch(node, tile, pipToken);
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(answer.statusCode()).as("after %d tiles", served).isEqualTo(429);
            assertThat(code(answer)).isEqualTo("RATE_LIMITED");
            assertThat(answer.headers().firstValue("retry-after")).isPresent();
            // The whole burst, plus what refilled while asking (and one lease's worth of rounding), no more.
            double refilled = TileRoutes.TILE_RATE.ratePerSecond() * seconds;
            assertThat(served).isGreaterThanOrEqualTo(burst);
            assertThat((double) served).isLessThanOrEqualTo(burst + refilled + 10);
            // Another user's tiles are not counted against Pip.
            assertThat(fetch(node, tile, table.gmToken()).statusCode()).isEqualTo(200);
        } finally {
            node.shutdown();
        }
    }

    /** The "Keep" scene, 1000 × 1000 on {@link #map()} with a 50-pixel grid: the room's first, so its shown one. */
    private static String keep(Player gm, String asset) {
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "scene.create")
                        .put("name", "Keep")
                        .put("image", asset)
                        .put("width", 1000)
                        .put("height", 1000)
                        .put("grid", new JsonObject().put("size", 50)));
        return gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getString("activeScene");
    }

    /** 1000 × 1000: blue-grey above and left of (768, 768), brick red from there. */
    private static byte[] map() throws Exception {
        BufferedImage image = new BufferedImage(1000, 1000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x336699));
        g.fillRect(0, 0, 1000, 1000);
        g.setColor(new Color(0xcc3300));
        g.fillRect(768, 768, 232, 232);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static HttpResponse<byte[]> fetch(Node node, String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + token)
                .GET()
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String code(HttpResponse<byte[]> response) {
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("code");
    }

    private static void wall(Player gm, String sceneId, double x1, double y1, double x2, double y2) {
        gm.ok(
                Addresses.IN_MAP,
                new JsonObject()
                        .put("op", "wall.create")
                        .put("sceneId", sceneId)
                        .put("kind", "wall")
                        .put(
                                "points",
                                new JsonArray()
                                        .add(new JsonArray().add(x1).add(y1))
                                        .add(new JsonArray().add(x2).add(y2))));
    }
}
