package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertable.node.Node;
import io.vertable.testing.Browsers;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The table page in headless Chromium: a GM and two players, each in their own browser context, on one node. The
 * room is set up through the REST API and the GM's bridge socket; everything asserted is what the pages show, what
 * their sockets received, and the read-only {@code window.__vertable} hook the canvas needs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TableIT {

    private static final double TIMEOUT_MS = 20_000;

    static Node node;
    static Rest rest;
    static Playwright playwright;
    static Browser browser;
    static Table table;
    static JsonObject pip;
    static JsonObject quin;
    static Player gmSocket;
    static String sceneId;
    static String pipToken;
    static String ogreToken;
    static String assassinToken;
    static String lurkerToken;
    static String quinToken;

    static final Map<String, Page> pages = new ConcurrentHashMap<>();
    static final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    static final Map<String, List<String>> consoleErrors = new ConcurrentHashMap<>();
    static final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        int bridgePort = TestNodes.freePort();
        // A fixed bridge port: /api/config reports the configured port, and a restarted bridge must come back there.
        JsonObject overrides = TestNodes.standalone(
                        "table-node",
                        "http:1,bridge:1,map:1,dice:1,chat:1,persistence:1",
                        TestStorage.freshDatabase("table"))
                .mergeIn(TestNodes.generousBridgeLimits(), true);
        overrides.getJsonObject("bridge").put("port", bridgePort);
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
        table = Table.create(rest, "The Sunken Crypt");
        pip = table.join("Pip", "PLAYER");
        quin = table.join("Quin", "PLAYER");
        gmSocket = Player.gm(node, table);
        gmSocket.join();
        setUpScene();
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
        open(
                "gm",
                session(table.gmId(), "GM The Sunken Crypt", table.gmToken()),
                new Browser.NewContextOptions().setViewportSize(1280, 800));
        open("pip", pip, new Browser.NewContextOptions().setViewportSize(1280, 800));
        open("quin", quin, new Browser.NewContextOptions().setViewportSize(1280, 800));
    }

    @AfterAll
    static void stop() {
        contexts.forEach(BrowserContext::close);
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (gmSocket != null) gmSocket.close();
        if (node != null) node.shutdown();
    }

    /** A scene with a grid, tokens (one per player, a GM ogre, a hidden and a fogged one), a fog area, a drawing. */
    static void setUpScene() {
        gmSocket.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "scene.create")
                                .put("name", "Crypt")
                                .put("width", 1400)
                                .put("height", 1000)
                                .put(
                                        "grid",
                                        new JsonObject().put("type", "square").put("size", 70)))
                .getLong("seq");
        sceneId = gmSocket.awaitEvent(e -> "scene.created".equals(e.getString("type")))
                .getJsonObject("data")
                .getString("sceneId");
        pipToken = token("Pip the Bold", 315, 385, "#1e88e5", Table.userId(pip), false);
        quinToken = token("Quin", 315, 525, "#43a047", Table.userId(quin), false);
        ogreToken = token("Ogre", 595, 385, "#8d6e63", null, false);
        assassinToken = token("Shadow Assassin", 245, 735, "#000000", null, true);
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "fog.reset")
                        .put("sceneId", sceneId)
                        .put("enabled", true)
                        .put("covered", false));
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "fog.cover")
                        .put("sceneId", sceneId)
                        .put(
                                "shape",
                                new JsonObject()
                                        .put("kind", "rect")
                                        .put("x", 980)
                                        .put("y", 630)
                                        .put("w", 350)
                                        .put("h", 300)));
        lurkerToken = token("Crypt Lurker", 1085, 735, "#6a1b9a", null, false);
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "drawing.create")
                        .put("sceneId", sceneId)
                        .put("kind", "line")
                        .put("points", new io.vertx.core.json.JsonArray("[[140,840],[700,840]]"))
                        .put("color", "#ffeb3b")
                        .put("width", 4));
    }

    static String token(String name, double x, double y, String color, String owner, boolean hidden) {
        JsonObject body = new JsonObject()
                .put("op", "token.create")
                .put("sceneId", sceneId)
                .put("name", name)
                .put("x", x)
                .put("y", y)
                .put("color", color)
                .put("hidden", hidden)
                .put("hp", 20)
                .put("maxHp", 30);
        if (owner != null) body.put("owners", new io.vertx.core.json.JsonArray().add(owner));
        long seq = gmSocket.ok("vtt.in.map", body).getLong("seq");
        return gmSocket.awaitSeq(seq).getJsonObject("data").getString("tokenId");
    }

    static JsonObject session(String userId, String name, String token) {
        return new JsonObject()
                .put("user", new JsonObject().put("id", userId).put("displayName", name))
                .put("token", token);
    }

    /** A browser context signed in as {@code session} (what session.js stores), on the table page, frames recorded. */
    static Page open(String who, JsonObject session, Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options);
        contexts.add(context);
        JsonObject stored = new JsonObject()
                .put("user", session.getJsonObject("user"))
                .put("token", session.getString("token"))
                .put("expiresAt", System.currentTimeMillis() + 50 * 60_000);
        context.addInitScript("localStorage.setItem('vertable.session', " + jsString(stored.encode()) + ");");
        Page page = context.newPage();
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        page.onWebSocket(ws -> ws.onFrameReceived(frame -> received.add(frame.text())));
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && !knownNoise(message.text())) {
                errors.add(message.text());
            }
        });
        page.onPageError(error -> errors.add("page error: " + error));
        page.navigate("http://127.0.0.1:" + node.httpPort() + "/table.html?room=" + table.roomId());
        waitReady(page);
        pages.put(who, page);
        frames.put(who, received);
        consoleErrors.put(who, errors);
        return page;
    }

    static String jsString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * What the browser itself logs, not the page: Chromium's GPU readback warnings and failed connection attempts while
     * the bridge is deliberately down.
     */
    static boolean knownNoise(String text) {
        return text.contains("ReadPixels")
                || text.contains("WebSocket connection to")
                || text.contains("ERR_INTERNET_DISCONNECTED")
                || text.contains("ERR_CONNECTION_REFUSED");
    }

    static void waitReady(Page page) {
        try {
            page.waitForFunction(
                    "() => window.__vertable && __vertable.state().ready && __vertable.connection() === 'connected'",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
        } catch (RuntimeException e) {
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "table-not-ready.png")));
            throw new AssertionError("table not ready: " + page.evaluate("() => document.body.innerText"), e);
        }
    }

    static void waitFor(Page page, String predicate, Object arg) {
        try {
            page.waitForFunction(predicate, arg, new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
        } catch (com.microsoft.playwright.TimeoutError e) {
            // What the page showed when it never got there: the first thing to look at in a failed run.
            Path shot = Path.of("target", "screenshots", "timeout-" + System.nanoTime() + ".png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot));
            throw new AssertionError("waited in vain for " + predicate + " " + arg + "; the page is in " + shot, e);
        }
    }

    static JsonObject tokenOn(Page page, String id) {
        Object found = page.evaluate("id => JSON.stringify(__vertable.tokens().find(t => t.id === id) ?? null)", id);
        return found == null || "null".equals(found) ? null : new JsonObject((String) found);
    }

    static double[] screenOf(Page page, double x, double y) {
        io.vertx.core.json.JsonArray point = new io.vertx.core.json.JsonArray(
                (String) page.evaluate("([x, y]) => JSON.stringify(__vertable.screenOf(x, y))", List.of(x, y)));
        return new double[] {point.getDouble(0), point.getDouble(1)};
    }

    static void mouseDrag(Page page, String tokenId, double toX, double toY) {
        JsonObject token = tokenOn(page, tokenId);
        double[] to = screenOf(page, toX, toY);
        // A person could not grab a token that something else on the page covers.
        assertThat(page.evaluate(
                        "([x, y]) => { const e = document.elementFromPoint(x, y); return e?.tagName === 'CANVAS' ? 'map'"
                                + " : (e?.dataset?.testid ?? e?.className ?? String(e)); }",
                        List.of(token.getDouble("screenX"), token.getDouble("screenY"))))
                .as("what is under the token " + token.getString("name"))
                .isEqualTo("map");
        page.mouse().move(token.getDouble("screenX"), token.getDouble("screenY"));
        page.mouse().down();
        page.mouse().move(to[0], to[1], new com.microsoft.playwright.Mouse.MoveOptions().setSteps(12));
        page.mouse().up();
    }

    static final String AT = "([id, x, y]) => { const t = __vertable.tokens().find(t => t.id === id);"
            + " return t && t.x === x && t.y === y; }";

    @Test
    @Order(1)
    void gmPlacesATokenAndThePlayersSeeIt() {
        Page gm = pages.get("gm");
        gm.click("[data-testid=tab-gm]");
        gm.fill("[data-testid=token-name]", "Torch Bearer");
        gm.click("[data-testid=token-create]");
        for (String who : List.of("gm", "pip", "quin")) {
            waitFor(pages.get(who), "() => __vertable.tokens().some(t => t.name === 'Torch Bearer')", null);
        }
        assertThat(tokenOn(pages.get("pip"), pipToken)).isNotNull();
        assertThat(tokenOn(pages.get("quin"), ogreToken)).isNotNull();
        gm.click("[data-testid=tab-chat]");
    }

    @Test
    @Order(2)
    void aPlayerDragsTheirOwnTokenAndEveryoneSeesItMove() {
        Page pipPage = pages.get("pip");
        // Dropped between cells: the move snaps to the cell centre two to the right.
        mouseDrag(pipPage, pipToken, 315 + 140 + 12, 385 - 9);
        for (String who : List.of("pip", "gm", "quin")) {
            waitFor(pages.get(who), AT, List.of(pipToken, 455, 385));
        }
        waitFor(pipPage, "() => __vertable.state().pendingMoves === 0", null);
    }

    @Test
    @Order(3)
    void aPlayerCannotDragTheGmsToken() {
        Page pipPage = pages.get("pip");
        mouseDrag(pipPage, ogreToken, 595 + 210, 385);
        pipPage.waitForSelector(
                "[data-testid=toast]:has-text('Move refused')",
                new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        waitFor(pipPage, AT, List.of(ogreToken, 595, 385));
        // A later event reaches everyone after any move would have: then the ogre must still stand where it was.
        gmSocket.chat("the ogre does not budge");
        for (String who : List.of("gm", "quin")) {
            pages.get(who)
                    .waitForSelector(
                            "[data-testid=chat-message]:has-text('the ogre does not budge')",
                            new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            JsonObject ogre = tokenOn(pages.get(who), ogreToken);
            assertThat(ogre.getDouble("x")).isEqualTo(595);
        }
    }

    @Test
    @Order(4)
    void hiddenAndFoggedTokensNeverReachAPlayersBrowser() {
        Page gm = pages.get("gm");
        assertThat(tokenOn(gm, assassinToken))
                .as("the GM sees the hidden token")
                .isNotNull();
        assertThat(tokenOn(gm, lurkerToken)).as("the GM sees under the fog").isNotNull();
        gm.click("[data-testid=tab-gm]");
        gm.check("[data-testid=view-as-player]");
        waitFor(gm, "() => __vertable.state().viewAsPlayer", null);
        assertThat(tokenOn(gm, assassinToken)).as("view as player hides it").isNull();
        assertThat(tokenOn(gm, lurkerToken)).isNull();
        gm.uncheck("[data-testid=view-as-player]");
        gm.click("[data-testid=tab-chat]");
        for (String who : List.of("pip", "quin")) {
            assertThat(tokenOn(pages.get(who), assassinToken)).isNull();
            String all = String.join("\n", frames.get(who));
            assertThat(all).as("frames of " + who).contains(pipToken);
            assertThat(all).doesNotContain(assassinToken).doesNotContain("Shadow Assassin");
            assertThat(all).doesNotContain(lurkerToken).doesNotContain("Crypt Lurker");
        }
    }

    @Test
    @Order(5)
    void aWhisperReachesOnlyItsTarget() {
        Page gm = pages.get("gm");
        gm.fill("[data-testid=chat-input]", "/w Pip the password is swordfish");
        gm.press("[data-testid=chat-input]", "Enter");
        pages.get("pip")
                .waitForSelector(
                        "[data-testid=chat-message].whisper:has-text('the password is swordfish')",
                        new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        // Quin's stream carries the stub of that seq; once a later public line arrived, the whisper would have too.
        gmSocket.chat("after the whisper");
        pages.get("quin")
                .waitForSelector(
                        "[data-testid=chat-message]:has-text('after the whisper')",
                        new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        assertThat(String.join("\n", frames.get("quin"))).doesNotContain("swordfish");
        assertThat(pages.get("quin").textContent("[data-testid=chat-log]")).doesNotContain("swordfish");
    }

    @Test
    @Order(6)
    void aRollCardShowsEveryDie() {
        Page quinPage = pages.get("quin");
        quinPage.fill("[data-testid=chat-input]", "/r 4d6k3 # stats");
        quinPage.press("[data-testid=chat-input]", "Enter");
        for (String who : List.of("quin", "gm", "pip")) {
            Page page = pages.get(who);
            page.waitForSelector(
                    "[data-testid=roll-card]:has-text('4d6k3')",
                    new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            var card = page.locator("[data-testid=roll-card]:has-text('4d6k3')").last();
            assertThat(card.locator("[data-testid=die]").count()).isEqualTo(4);
            assertThat(card.locator(".die.dropped").count()).isEqualTo(1);
            assertThat(card.locator("[data-testid=roll-total]").textContent()).matches("\\d+");
        }
        quinPage.click("[data-testid=tab-dice]");
        quinPage.click("[data-testid=roll-d20]");
        quinPage.click("[data-testid=tab-chat]");
        quinPage.waitForSelector(
                "[data-testid=roll-card]:has-text('1d20')", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
    }

    @Test
    @Order(6)
    void initiativeIsRolledOnTheServersDice() {
        gmSocket.ok("vtt.in.map", new JsonObject().put("op", "initiative.add").put("tokenId", ogreToken));
        Page gmPage = pages.get("gm");
        gmPage.click("[data-testid=tab-initiative]");
        gmPage.waitForSelector(
                "[data-testid=initiative-entry]:has-text('Ogre')",
                new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        gmPage.click("[data-testid=initiative-roll]");
        gmPage.click("[data-testid=tab-chat]");
        // The roll is a GM roll of the room's verifiable dice: its card is in the GM's chat, and the tracker shows
        // exactly its total.
        gmPage.waitForSelector(
                "[data-testid=chat-message]:has-text('Initiative: Ogre') [data-testid=roll-card]",
                new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        String total = gmPage.locator(
                        "[data-testid=chat-message]:has-text('Initiative: Ogre') [data-testid=roll-total]")
                .last()
                .textContent()
                .trim();
        assertThat(Integer.parseInt(total)).isBetween(1, 20);
        gmPage.click("[data-testid=tab-initiative]");
        waitFor(
                gmPage,
                "t => [...document.querySelectorAll('[data-testid=initiative-entry]')].some(e => e.textContent.includes('Ogre')"
                        + " && e.querySelector('.value').textContent === t)",
                total);
        gmPage.click("[data-testid=tab-chat]");
    }

    @Test
    @Order(7)
    void theGmSetsEffectsAndClearsTheTrackerThroughTheTablesOwnDialogs() {
        Page gmPage = pages.get("gm");
        gmPage.click("[data-testid=tab-initiative]");
        String ogre = "[data-testid=initiative-entry]:has-text('Ogre')";
        gmPage.waitForSelector(ogre, new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));

        // An effect: two fields in one dialog, not two native prompts.
        gmPage.click(ogre + " button[title='Add effect']");
        gmPage.waitForSelector("[role=dialog]", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        gmPage.fill("[role=dialog] input[type=text]", "Bless");
        gmPage.fill("[role=dialog] input[type=number]", "3");
        gmPage.click("[role=dialog] button[type=submit]");
        gmPage.waitForSelector(
                ogre + " .effect:has-text('Bless (3)')", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        assertThat(gmPage.locator("[role=dialog]").count()).isZero();

        // Clearing asks first; Esc and Cancel change nothing.
        gmPage.click("[data-testid=initiative-clear]");
        gmPage.waitForSelector("[role=dialog]:has-text('Clear the tracker?')");
        gmPage.keyboard().press("Escape");
        gmPage.click("[data-testid=initiative-clear]");
        gmPage.click("[role=dialog] button:has-text('Cancel')");
        assertThat(gmPage.locator("[role=dialog]").count()).isZero();
        assertThat(gmPage.locator(ogre).count()).isEqualTo(1);
        gmPage.click("[data-testid=initiative-clear]");
        gmPage.click("[role=dialog] button[type=submit]:has-text('Clear')");
        gmPage.waitForSelector(
                "[data-testid=initiative-list] li.empty", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        gmPage.click("[data-testid=tab-chat]");
        assertThat(consoleErrors.get("gm")).isEmpty();
    }

    @Test
    @Order(8)
    void aClosedSocketReconnectsAndCatchesUpWithoutReload() {
        Page pipPage = pages.get("pip");
        BrowserContext pipContext = pipPage.context();
        pipPage.evaluate("() => { window.__sameDocument = true; }");
        // Pip loses the network, then the server closes every socket by stopping its bridge and starting it again.
        // The stopping bridge says "node leaving" first; the pages that are online hear it. Pip's page cannot (a
        // browser offline hears nothing, and Chromium's offline mode holds the close behind the frame before it), so
        // it learns of the lost socket when the network comes back.
        pipContext.setOffline(true);
        assertThat(rescaleBridge(0).status()).isEqualTo(200);
        for (String who : List.of("gm", "quin")) {
            waitFor(pages.get(who), "() => __vertable.connection() !== 'connected'", null);
        }
        assertThat(rescaleBridge(1).status()).isEqualTo(200);
        waitReady(pages.get("gm"));
        // While Pip is away, the GM moves Pip's token on the table.
        mouseDrag(pages.get("gm"), pipToken, 455, 245);
        waitFor(pages.get("quin"), AT, List.of(pipToken, 455, 245));
        assertThat(tokenOn(pipPage, pipToken).getDouble("y")).isEqualTo(385);
        pipContext.setOffline(false);
        waitFor(pipPage, "() => __vertable.connection() === 'connected'", null);
        waitFor(pipPage, AT, List.of(pipToken, 455, 245));
        assertThat(pipPage.evaluate("() => window.__sameDocument === true")).isEqualTo(true);
    }

    static Rest.Reply rescaleBridge(int instances) {
        return rest.send(
                "PUT",
                "/api/admin/nodes/" + node.id() + "/verticles/bridge",
                table.gmToken(),
                new JsonObject().put("instances", instances));
    }

    @Test
    @Order(7)
    void aTouchDragWorksOnAPhoneSizedScreen() {
        Page phone = open(
                "phone",
                quin,
                new Browser.NewContextOptions()
                        .setViewportSize(390, 844)
                        .setHasTouch(true)
                        .setIsMobile(true)
                        .setDeviceScaleFactor(2));
        JsonObject token = tokenOn(phone, quinToken);
        double[] to = screenOf(phone, 315 + 70, 525);
        CDPSession cdp = phone.context().newCDPSession(phone);
        touch(cdp, "touchStart", token.getDouble("screenX"), token.getDouble("screenY"));
        for (int step = 1; step <= 10; step++) {
            double x = token.getDouble("screenX") + (to[0] - token.getDouble("screenX")) * step / 10;
            double y = token.getDouble("screenY") + (to[1] - token.getDouble("screenY")) * step / 10;
            touch(cdp, "touchMove", x, y);
        }
        cdp.send("Input.dispatchTouchEvent", touchEvent("touchEnd", null, 0, 0));
        waitFor(phone, AT, List.of(quinToken, 385, 525));
        waitFor(pages.get("gm"), AT, List.of(quinToken, 385, 525));
        phone.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "table-phone.png")));
    }

    static void touch(CDPSession cdp, String type, double x, double y) {
        cdp.send("Input.dispatchTouchEvent", touchEvent(type, true, x, y));
    }

    static com.google.gson.JsonObject touchEvent(String type, Boolean withPoint, double x, double y) {
        com.google.gson.JsonObject event = new com.google.gson.JsonObject();
        event.addProperty("type", type);
        JsonArray points = new JsonArray();
        if (withPoint != null) {
            com.google.gson.JsonObject point = new com.google.gson.JsonObject();
            point.addProperty("x", x);
            point.addProperty("y", y);
            points.add(point);
        }
        event.add("touchPoints", points);
        return event;
    }

    @Test
    @Order(9)
    void screenshotsOfTheGmAndThePlayerViewOfOneScene() throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        pages.get("gm").screenshot(new Page.ScreenshotOptions().setPath(target.resolve("table-gm.png")));
        pages.get("pip").screenshot(new Page.ScreenshotOptions().setPath(target.resolve("table-player.png")));
        consoleErrors.forEach((who, errors) ->
                assertThat(errors).as("console errors of " + who).isEmpty());
    }

    /**
     * The map draws on demand and only what changed: with nothing happening no frame is drawn, and a move that another
     * client makes glides the one sprite of the moved token (frames drawn, no token texture redrawn, no other token
     * touched). Speed itself is measured by bench/client/run, not here.
     */
    @Test
    @Order(10)
    void anIdleTableDrawsNothingAndAReceivedMoveTouchesOnlyTheMovedToken() {
        Page quinPage = pages.get("quin");
        quinPage.bringToFront();
        waitFor(quinPage, "() => !__vertable.renderStats().busy", null);
        JsonObject before = renderStats(quinPage);
        // Thirty animation frames go by with nothing happening at the table.
        quinPage.evaluate(
                "() => new Promise(done => { let n = 0;"
                        + " const tick = () => ++n < 30 ? requestAnimationFrame(tick) : done(); requestAnimationFrame(tick); })");
        JsonObject idle = renderStats(quinPage);
        assertThat(idle.getInteger("frames")).as("frames drawn while idle").isEqualTo(before.getInteger("frames"));

        JsonObject ogre = tokenOn(quinPage, ogreToken);
        double toX = ogre.getDouble("x") + 70;
        // The GM's earlier socket went with the bridge restart: another client connects and moves the ogre.
        try (Player gm = Player.gm(node, table)) {
            gm.join();
            gm.ok(
                    "vtt.in.map",
                    new JsonObject()
                            .put("op", "token.move")
                            .put("tokenId", ogreToken)
                            .put("x", toX)
                            .put("y", ogre.getDouble("y")));
        }
        waitFor(quinPage, AT, List.of(ogreToken, toX, ogre.getDouble("y")));
        waitFor(quinPage, "() => !__vertable.renderStats().busy", null);
        JsonObject after = renderStats(quinPage);
        assertThat(after.getInteger("frames")).as("frames drawn for the move").isGreaterThan(idle.getInteger("frames"));
        assertThat(after.getInteger("tokenRedraws"))
                .as("token textures redrawn for a move")
                .isEqualTo(idle.getInteger("tokenRedraws"));
        assertThat(changedTokens(idle, after)).as("tokens whose sprite changed").containsExactly(ogreToken);
        // The glide ends where the room has the token.
        assertThat(spriteAt(quinPage, ogreToken)).containsExactly(toX, ogre.getDouble("y"));
    }

    /** A new fog operation is drawn into the fog texture on its own; the shapes laid before are not drawn again. */
    @Test
    @Order(11)
    void aFogOperationDrawsOnlyItsOwnShape() {
        Page quinPage = pages.get("quin");
        waitFor(quinPage, "() => !__vertable.renderStats().busy", null);
        JsonObject before = renderStats(quinPage);
        long seq;
        try (Player gm = Player.gm(node, table)) {
            gm.join();
            seq = gm.ok(
                            "vtt.in.map",
                            new JsonObject()
                                    .put("op", "fog.cover")
                                    .put("sceneId", sceneId)
                                    .put(
                                            "shape",
                                            new JsonObject()
                                                    .put("kind", "rect")
                                                    .put("x", 70)
                                                    .put("y", 70)
                                                    .put("w", 140)
                                                    .put("h", 140)))
                    .getLong("seq");
        }
        waitFor(quinPage, "seq => __vertable.seq() >= seq", (double) seq);
        waitFor(quinPage, "() => !__vertable.renderStats().busy", null);
        JsonObject after = renderStats(quinPage);
        assertThat(after.getInteger("fogOps") - before.getInteger("fogOps"))
                .as("fog shapes drawn for one new operation")
                .isEqualTo(1);
    }

    static JsonObject renderStats(Page page) {
        return new JsonObject((String) page.evaluate("() => JSON.stringify(__vertable.renderStats())"));
    }

    static List<String> changedTokens(JsonObject before, JsonObject after) {
        JsonObject was = before.getJsonObject("tokenUpdates");
        JsonObject now = after.getJsonObject("tokenUpdates");
        return now.fieldNames().stream()
                .filter(id -> !now.getValue(id).equals(was.getValue(id)))
                .sorted()
                .toList();
    }

    static List<Double> spriteAt(Page page, String tokenId) {
        io.vertx.core.json.JsonArray at = new io.vertx.core.json.JsonArray(
                (String) page.evaluate("id => JSON.stringify(__vertable.spriteAt(id))", tokenId));
        return List.of(at.getDouble(0), at.getDouble(1));
    }
}
