package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertable.node.Node;
import io.vertable.testing.Browsers;
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
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Vision in the browser: the player drags their token down a dark corridor to a closed door, clicks the door, and the
 * room behind it appears with the ogre in it; no WebSocket frame the page received before the click named the ogre.
 * The map image comes as tiles of what the player explored: the corridor's two, then the room's; never the whole
 * image, never a tile of the unseen corners.
 */
class VisionTableIT {

    private static final double TIMEOUT_MS = 20_000;
    private static final String OGRE = "Ogre-behind-the-door";

    @Test
    void aPlayerWalksTheCorridorOpensTheDoorAndOnlyThenSeesTheOgre() {
        JsonObject overrides = TestNodes.standalone(
                        "vision-table",
                        "http:1,bridge:1,map:1,dice:1,chat:1,persistence:1",
                        TestStorage.freshDatabase("visiontable"))
                .mergeIn(TestNodes.generousBridgeLimits(), true);
        Node node = Node.start(TestNodes.config(overrides));
        try (Playwright playwright = Browsers.playwright();
                Browser browser = Browsers.chromium(playwright)) {
            Table table = Table.create(new Rest(node.httpPort()), "Vision");
            JsonObject pip = table.join("Pip", "PLAYER");
            String pipId = Table.userId(pip);
            try (Player gm = Player.gm(node, table)) {
                gm.join();
                String map = table.rest().uploadImage(table.roomId(), table.gmToken(), "keep.png", mapImage());
                gm.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "scene.create")
                                .put("name", "Keep")
                                .put("image", map)
                                .put("width", 1000)
                                .put("height", 600)
                                .put("grid", new JsonObject().put("size", 50)));
                String sceneId = gm.awaitEvent(e -> "scene.created".equals(e.getString("type")))
                        .getJsonObject("data")
                        .getString("sceneId");
                // A corridor along y=125 from the left edge to a door at x=400; the ogre waits in the room beyond.
                wall(gm, sceneId, "wall", 0, 100, 400, 100);
                wall(gm, sceneId, "wall", 0, 150, 400, 150);
                wall(gm, sceneId, "wall", 400, 0, 400, 100);
                wall(gm, sceneId, "wall", 400, 150, 400, 600);
                wall(gm, sceneId, "door", 400, 100, 400, 150);
                gm.ok("vtt.in.map", token(sceneId, "Hero", 75, 125).put("owners", new JsonArray().add(pipId)));
                gm.ok("vtt.in.map", token(sceneId, OGRE, 700, 125));
                gm.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "scene.update")
                                .put("sceneId", sceneId)
                                .put("vision", true));

                BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
                JsonObject stored = new JsonObject()
                        .put("user", pip.getJsonObject("user"))
                        .put("token", pip.getString("token"))
                        .put("expiresAt", System.currentTimeMillis() + 50 * 60_000);
                context.addInitScript(
                        "localStorage.setItem('vertable.session', " + TableIT.jsString(stored.encode()) + ");");
                Page page = context.newPage();
                List<String> received = new CopyOnWriteArrayList<>();
                page.onWebSocket(ws -> ws.onFrameReceived(frame -> received.add(frame.text())));
                // Every map tile the page fetched ("col/row status"), and anything that asked for the whole image.
                List<String> tiles = new CopyOnWriteArrayList<>();
                List<String> wholeImage = new CopyOnWriteArrayList<>();
                page.onResponse(response -> {
                    Matcher tile = TILE.matcher(response.url());
                    if (tile.find()) tiles.add(tile.group(1) + " " + response.status());
                    if (response.url().contains("/api/assets/")) wholeImage.add(response.url());
                });
                page.navigate("http://127.0.0.1:" + node.httpPort() + "/table.html?room=" + table.roomId());
                waitFor(
                        page,
                        "() => window.__vertable && __vertable.state().ready"
                                + " && __vertable.connection() === 'connected'");
                waitFor(page, "() => __vertable.tokens().length === 1");
                String heroId = (String) page.evaluate("() => __vertable.tokens()[0].id");

                for (double x = 125; x <= 375; x += 50) {
                    drag(page, heroId, x, 125);
                    waitFor(
                            page,
                            "([id, x]) => { const t = __vertable.tokens().find(t => t.id === id);"
                                    + " return t && t.x === x && __vertable.state().pendingMoves === 0; }",
                            List.of(heroId, x));
                }
                // The corridor (y 100–150, x 0–400) lies in tiles 0/0 and 1/0: those, and only those, were fetched.
                waitFor(page, "() => __vertable.mapTiles() === 2");
                page.screenshot(
                        new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "vision-corridor.png")));
                assertThat(Set.copyOf(tiles)).containsExactlyInAnyOrder("0/0 200", "1/0 200");
                assertThat(String.join("\n", received)).doesNotContain(OGRE);
                int before = received.size();

                double[] door = screenOf(page, 400, 125);
                page.mouse().click(door[0], door[1]);
                waitFor(page, "name => __vertable.tokens().some(t => t.name === name)", OGRE);
                page.screenshot(
                        new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "vision-door-open.png")));
                assertThat(String.join("\n", received.subList(before, received.size())))
                        .contains(OGRE);
                assertThat(String.join("\n", received.subList(0, before))).doesNotContain(OGRE);
                // The room beyond the door is explored now: its tiles come, and every tile asked for was granted.
                waitFor(page, "() => __vertable.mapTiles() > 2");
                assertThat(tiles).allMatch(tile -> tile.endsWith(" 200"));
                assertThat(tiles).anyMatch(tile -> tile.startsWith("2/"));
                // Nothing asked for the map's whole image, and the bottom corners (never in sight) never came.
                assertThat(wholeImage).isEmpty();
                assertThat(tiles).noneMatch(tile -> tile.startsWith("0/2 ") || tile.startsWith("1/2 "));
                String pipMask = (String) page.evaluate("() => __vertable.visionMask()");
                assertThat(pipMask).isNotNull().contains(",");

                // The GM draws a wall with the Walls tool: its ends snap to the grid corners near the clicks.
                BrowserContext gmContext =
                        browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
                JsonObject gmSession = new JsonObject()
                        .put("user", new JsonObject().put("id", table.gmId()).put("displayName", "GM Vision"))
                        .put("token", table.gmToken())
                        .put("expiresAt", System.currentTimeMillis() + 50 * 60_000);
                gmContext.addInitScript(
                        "localStorage.setItem('vertable.session', " + TableIT.jsString(gmSession.encode()) + ");");
                Page gmPage = gmContext.newPage();
                gmPage.navigate("http://127.0.0.1:" + node.httpPort() + "/table.html?room=" + table.roomId());
                waitFor(
                        gmPage,
                        "() => window.__vertable && __vertable.state().ready"
                                + " && __vertable.connection() === 'connected'");
                gmPage.click("[data-testid=tab-gm]");
                // "View as player" draws the very outlines Pip's page draws.
                gmPage.check("[data-testid=view-as-player]");
                waitFor(gmPage, "m => __vertable.visionMask() === m", pipMask);
                assertThat(gmPage.locator("[data-testid=view-as-who] option:checked")
                                .textContent())
                        .isEqualTo("Pip");
                gmPage.screenshot(new Page.ScreenshotOptions()
                        .setPath(Path.of("target", "screenshots", "vision-gm-view-as-player.png")));
                gmPage.uncheck("[data-testid=view-as-player]");
                waitFor(gmPage, "() => __vertable.visionMask() === null");
                context.close();
                gmPage.click("[data-testid=tool-wall]");
                double[] from = screenOf(gmPage, 503, 302);
                double[] to = screenOf(gmPage, 698, 297);
                gmPage.mouse().click(from[0], from[1]);
                gmPage.mouse().dblclick(to[0], to[1]);
                JsonObject drawn = gm.awaitEvent(e -> "wall.created".equals(e.getString("type"))
                                && e.getJsonObject("data")
                                                .getJsonArray("points")
                                                .size()
                                        == 2
                                && e.getJsonObject("data")
                                                .getJsonArray("points")
                                                .getJsonArray(0)
                                                .getDouble(0)
                                        > 450)
                        .getJsonObject("data");
                assertThat(drawn.getJsonArray("points").encode()).isEqualTo("[[500.0,300.0],[700.0,300.0]]");

                // The forms: the new wall becomes a window; rows name walls by number and place, never by id.
                gmPage.click("[data-testid=vision-forms-toggle] summary");
                gmPage.waitForSelector("[data-testid=wall-row]");
                gmPage.locator("[data-testid=wall-kind-edit]").last().selectOption("window");
                gm.awaitEvent(e -> "wall.updated".equals(e.getString("type"))
                        && "window".equals(e.getJsonObject("data").getString("kind")));
                String forms = gmPage.locator("[data-testid=vision-forms]").innerText();
                JsonObject gmView =
                        gm.ok("vtt.in.room", new JsonObject().put("op", "join")).getJsonObject("view");
                for (String wallId : gmView.getJsonObject("walls").fieldNames())
                    assertThat(forms).doesNotContain(wallId);
                assertThat(forms).contains("Door 5").contains("Wall 6");
                gmPage.locator("[data-testid=wall-row]").last().scrollIntoViewIfNeeded();
                gmPage.screenshot(
                        new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "vision-gm-forms.png")));

                // The hero's editor gives it darkvision and a torch.
                JsonObject hero = new JsonObject((String)
                        gmPage.evaluate("id => JSON.stringify(__vertable.tokens().find(t => t.id === id))", heroId));
                gmPage.click("[data-testid=tool-select]");
                gmPage.mouse().click(hero.getDouble("screenX"), hero.getDouble("screenY"));
                gmPage.click("[data-testid=token-edit]");
                gmPage.fill("[data-testid=edit-darkvision]", "3");
                gmPage.check("[data-testid=edit-light-on]");
                gmPage.screenshot(new Page.ScreenshotOptions()
                        .setPath(Path.of("target", "screenshots", "vision-token-editor.png")));
                gmPage.click("[data-testid=edit-save]");
                JsonObject updated = gm.awaitEvent(e -> "token.updated".equals(e.getString("type"))
                                && e.getJsonObject("data").containsKey("sight"))
                        .getJsonObject("data");
                assertThat(updated.getJsonObject("sight").getDouble("darkvision"))
                        .isEqualTo(3.0);
                assertThat(updated.getJsonObject("light").getDouble("dim")).isEqualTo(4.0);

                // On a phone the forms fit the screen.
                gmPage.setViewportSize(390, 844);
                gmPage.waitForSelector("[data-testid=wall-kind-edit]");
                gmPage.locator("[data-testid=wall-kind-edit]").first().scrollIntoViewIfNeeded();
                var box = gmPage.locator("[data-testid=wall-kind-edit]").first().boundingBox();
                assertThat(box.x + box.width).isLessThanOrEqualTo(390);
                gmPage.screenshot(new Page.ScreenshotOptions()
                        .setPath(Path.of("target", "screenshots", "vision-gm-forms-phone.png")));
                gmContext.close();
            }
        } finally {
            node.shutdown();
        }
    }

    /**
     * The GM edits on the map what the player sees by: drags a light next to a goblin in the dark (the player's page
     * gets the goblin and a mask), then drags a wall's end so the wall stands between (the goblin leaves the player's
     * view), adds a point by a segment's middle handle, removes it with the point's bar, and a drag that would give
     * the wall a zero-length segment is refused with the catalog's words, the wall unchanged.
     */
    @Test
    void aGmDragsALightAndAWallPointAndThePlayersViewFollows() {
        JsonObject overrides = TestNodes.standalone(
                        "vision-edit",
                        "http:1,bridge:1,map:1,dice:1,chat:1,persistence:1",
                        TestStorage.freshDatabase("visionedit"))
                .mergeIn(TestNodes.generousBridgeLimits(), true);
        Node node = Node.start(TestNodes.config(overrides));
        try (Playwright playwright = Browsers.playwright();
                Browser browser = Browsers.chromium(playwright)) {
            Table table = Table.create(new Rest(node.httpPort()), "Vision edit");
            JsonObject pip = table.join("Pip", "PLAYER");
            try (Player gm = Player.gm(node, table)) {
                gm.join();
                gm.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "scene.create")
                                .put("name", "Crypt")
                                .put("width", 1000)
                                .put("height", 600)
                                .put("grid", new JsonObject().put("size", 50)));
                String sceneId = gm.awaitEvent(e -> "scene.created".equals(e.getString("type")))
                        .getJsonObject("data")
                        .getString("sceneId");
                // A short wall north of the line from the hero to the goblin; the only light far east of both.
                wall(gm, sceneId, "wall", 200, 50, 200, 250);
                gm.ok(
                        "vtt.in.map",
                        token(sceneId, "Hero", 125, 300).put("owners", new JsonArray().add(Table.userId(pip))));
                gm.ok("vtt.in.map", token(sceneId, GOBLIN, 300, 300));
                gm.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "light.create")
                                .put("sceneId", sceneId)
                                .put("x", 800)
                                .put("y", 300)
                                .put("bright", 2)
                                .put("dim", 4));
                gm.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "scene.update")
                                .put("sceneId", sceneId)
                                .put("vision", true)
                                .put("darkness", 1.0));

                List<String> received = new CopyOnWriteArrayList<>();
                Page player = open(browser, node, table, pip.getJsonObject("user"), pip.getString("token"), received);
                waitFor(
                        player,
                        "() => __vertable.visionMask && __vertable.tokens().length === 1 && __vertable.visionMask()");
                String farLight = (String) player.evaluate("() => __vertable.visionMask()");

                Page gmPage = open(
                        browser,
                        node,
                        table,
                        new JsonObject().put("id", table.gmId()).put("displayName", "GM"),
                        table.gmToken(),
                        null);
                waitFor(gmPage, "() => __vertable.visionMask && __vertable.screenOf(0, 0)");
                gmPage.click("[data-testid=tab-gm]");
                gmPage.click("[data-testid=tool-vision-edit]");
                gmPage.waitForSelector("[data-testid=vision-edit-hint]:not([hidden])");

                // The light, dragged by its handle and dropped near a grid corner, lands on it.
                mouseDrag(gmPage, 800, 300, 303, 296);
                JsonObject moved = gm.awaitEvent(e -> "light.updated".equals(e.getString("type")))
                        .getJsonObject("data");
                assertThat(moved.getDouble("x")).isEqualTo(300.0);
                assertThat(moved.getDouble("y")).isEqualTo(300.0);
                waitFor(
                        player,
                        "([name, before]) => __vertable.tokens().some(t => t.name === name)"
                                + " && __vertable.visionMask() !== before",
                        List.of(GOBLIN, farLight));

                // A click selects the wall; its lower end, dragged near a grid corner, snaps there: the wall now
                // stands between the hero and the goblin, who leaves the player's view.
                click(gmPage, 200, 150);
                int before = received.size();
                mouseDrag(gmPage, 200, 250, 203, 452);
                JsonObject longer = gm.awaitEvent(e -> "wall.updated".equals(e.getString("type"))
                                && e.getJsonObject("data").containsKey("points"))
                        .getJsonObject("data");
                assertThat(longer.getJsonArray("points").encode()).isEqualTo("[[200.0,50.0],[200.0,450.0]]");
                waitFor(player, "name => !__vertable.tokens().some(t => t.name === name)", GOBLIN);
                assertThat(received.size()).isGreaterThan(before);
                gmPage.screenshot(
                        new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "vision-gm-edit.png")));

                // The segment's middle handle, dragged, adds a point; the point's bar removes it again.
                mouseDrag(gmPage, 200, 250, 252, 248);
                JsonObject bentEvent = gm.awaitEvent(e -> "wall.updated".equals(e.getString("type"))
                        && e.getJsonObject("data")
                                        .getJsonArray("points", new JsonArray())
                                        .size()
                                == 3);
                JsonObject bent = bentEvent.getJsonObject("data");
                assertThat(bent.getJsonArray("points").encode())
                        .isEqualTo("[[200.0,50.0],[250.0,250.0],[200.0,450.0]]");
                gmPage.waitForSelector("[data-testid=wall-point-bar]:not([hidden])");
                gmPage.screenshot(new Page.ScreenshotOptions()
                        .setPath(Path.of("target", "screenshots", "vision-gm-edit-point.png")));
                gmPage.click("[data-testid=wall-point-remove]");
                gm.awaitEvent(e -> "wall.updated".equals(e.getString("type"))
                        && e.getLong("seq") > bentEvent.getLong("seq")
                        && "[[200.0,50.0],[200.0,450.0]]"
                                .equals(e.getJsonObject("data")
                                        .getJsonArray("points", new JsonArray())
                                        .encode()));

                // Dropping the lower end on the upper one would leave a zero-length segment: refused, as it was.
                int events = gm.events().size();
                mouseDrag(gmPage, 200, 450, 201, 52);
                gmPage.waitForSelector("[data-testid=toast]:has-text('zero length; nothing changed')");
                JsonObject gmView =
                        gm.ok("vtt.in.room", new JsonObject().put("op", "join")).getJsonObject("view");
                JsonObject wall = gmView.getJsonObject("walls").stream()
                        .map(entry -> (JsonObject) entry.getValue())
                        .findFirst()
                        .orElseThrow();
                assertThat(wall.getJsonArray("points").encode()).isEqualTo("[[200.0,50.0],[200.0,450.0]]");
                assertThat(gm.events().subList(events, gm.events().size()))
                        .noneMatch(e -> "wall.updated".equals(e.getString("type")));

                // Without a pointer: the light's row sets its place in cells.
                gmPage.click("[data-testid=vision-forms-toggle] summary");
                gmPage.fill("[data-testid=light-x]", "7");
                gmPage.press("[data-testid=light-x]", "Enter");
                gm.awaitEvent(e -> "light.updated".equals(e.getString("type"))
                        && Double.valueOf(350).equals(e.getJsonObject("data").getDouble("x")));

                // On a phone the point's bar stays on the screen.
                gmPage.setViewportSize(390, 844);
                if ("true".equals(gmPage.getAttribute("[data-testid=side-tabs]", "data-sheet-open")))
                    gmPage.click("[data-testid=tab-gm]");
                gmPage.evaluate("() => document.querySelector('[data-testid=zoom-fit]').click()");
                click(gmPage, 200, 300);
                click(gmPage, 200, 450);
                gmPage.waitForSelector("[data-testid=wall-point-bar]:not([hidden])");
                var bar = gmPage.locator("[data-testid=wall-point-bar]").boundingBox();
                assertThat(bar.x).isGreaterThanOrEqualTo(0);
                assertThat(bar.x + bar.width).isLessThanOrEqualTo(390);
                gmPage.screenshot(new Page.ScreenshotOptions()
                        .setPath(Path.of("target", "screenshots", "vision-gm-edit-phone.png")));
            }
        } finally {
            node.shutdown();
        }
    }

    private static final String GOBLIN = "Goblin-in-the-dark";

    /** A table page signed in as the given user, ready and connected. */
    private static Page open(
            Browser browser, Node node, Table table, JsonObject user, String token, List<String> frames) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        JsonObject session = new JsonObject()
                .put("user", user)
                .put("token", token)
                .put("expiresAt", System.currentTimeMillis() + 50 * 60_000);
        context.addInitScript("localStorage.setItem('vertable.session', " + TableIT.jsString(session.encode()) + ");");
        Page page = context.newPage();
        if (frames != null) page.onWebSocket(ws -> ws.onFrameReceived(frame -> frames.add(frame.text())));
        page.navigate("http://127.0.0.1:" + node.httpPort() + "/table.html?room=" + table.roomId());
        waitFor(
                page,
                "() => window.__vertable && __vertable.state().ready" + " && __vertable.connection() === 'connected'");
        return page;
    }

    private static void click(Page page, double x, double y) {
        double[] at = screenOf(page, x, y);
        page.mouse().click(at[0], at[1]);
    }

    /** A mouse drag on the map between two scene points. */
    private static void mouseDrag(Page page, double fromX, double fromY, double toX, double toY) {
        double[] from = screenOf(page, fromX, fromY);
        double[] to = screenOf(page, toX, toY);
        page.mouse().move(from[0], from[1]);
        page.mouse().down();
        page.mouse().move(to[0], to[1], new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
        page.mouse().up();
    }

    private static final Pattern TILE = Pattern.compile("/tiles/([0-9]+/[0-9]+)$");

    /** 1000 × 600, stone grey: the scene's map. */
    private static byte[] mapImage() {
        BufferedImage image = new BufferedImage(1000, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x8d8478));
        g.fillRect(0, 0, 1000, 600);
        g.setColor(new Color(0x5d4037));
        for (int x = 0; x < 1000; x += 50) g.drawLine(x, 0, x, 600);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void waitFor(Page page, String predicate) {
        waitFor(page, predicate, null);
    }

    private static void waitFor(Page page, String predicate, Object arg) {
        try {
            page.waitForFunction(predicate, arg, new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
        } catch (com.microsoft.playwright.TimeoutError e) {
            Path shot = Path.of("target", "screenshots", "timeout-vision-" + System.nanoTime() + ".png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot));
            throw new AssertionError("waited in vain for " + predicate + " " + arg + "; the page is in " + shot, e);
        }
    }

    private static double[] screenOf(Page page, double x, double y) {
        JsonArray point = new JsonArray(
                (String) page.evaluate("([x, y]) => JSON.stringify(__vertable.screenOf(x, y))", List.of(x, y)));
        return new double[] {point.getDouble(0), point.getDouble(1)};
    }

    private static void drag(Page page, String tokenId, double toX, double toY) {
        JsonObject token = new JsonObject(
                (String) page.evaluate("id => JSON.stringify(__vertable.tokens().find(t => t.id === id))", tokenId));
        double[] to = screenOf(page, toX, toY);
        page.mouse().move(token.getDouble("screenX"), token.getDouble("screenY"));
        page.mouse().down();
        page.mouse().move(to[0], to[1], new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
        page.mouse().up();
    }

    private static void wall(Player gm, String sceneId, String kind, double x1, double y1, double x2, double y2) {
        gm.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "wall.create")
                        .put("sceneId", sceneId)
                        .put("kind", kind)
                        .put(
                                "points",
                                new JsonArray()
                                        .add(new JsonArray().add(x1).add(y1))
                                        .add(new JsonArray().add(x2).add(y2))));
    }

    private static JsonObject token(String sceneId, String name, double x, double y) {
        return new JsonObject()
                .put("op", "token.create")
                .put("sceneId", sceneId)
                .put("name", name)
                .put("x", x)
                .put("y", y);
    }
}
