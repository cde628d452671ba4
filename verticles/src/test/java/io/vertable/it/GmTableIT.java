package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import io.vertable.node.Node;
import io.vertable.testing.Browsers;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * The GM running a session from the table with mouse and keyboard only: menus, tabs, inviting, fog resets that ask
 * first, zoom controls and the phone layout; then the token editor and the scene editor. A GM and a player, each in
 * their own browser context, on one node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GmTableIT {

    private static final double TIMEOUT_MS = 20_000;

    static Node node;
    static Rest rest;
    static Playwright playwright;
    static Browser browser;
    static Table table;
    static JsonObject pip;
    static Player gmSocket;
    static String sceneId;
    static String pipToken;
    static String lowToken;

    static final Map<String, Page> pages = new ConcurrentHashMap<>();
    static final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    static final Map<String, List<String>> consoleErrors = new ConcurrentHashMap<>();
    static final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void start() {
        node = Node.start(TestNodes.config(TestNodes.standalone(
                        "gm-table-node",
                        "http:1,bridge:1,map:1,dice:1,chat:1,persistence:1",
                        TestStorage.freshDatabase("gmtable"))
                .mergeIn(TestNodes.generousBridgeLimits(), true)));
        rest = new Rest(node.httpPort());
        table = Table.create(rest, "The Drowned Keep");
        pip = table.join("Pip", "PLAYER");
        gmSocket = Player.gm(node, table);
        gmSocket.join();
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "scene.create")
                        .put("name", "Keep")
                        .put("width", 1400)
                        .put("height", 1000)
                        .put("grid", new JsonObject().put("type", "square").put("size", 70)));
        sceneId = gmSocket.awaitEvent(e -> "scene.created".equals(e.getString("type")))
                .getJsonObject("data")
                .getString("sceneId");
        pipToken = token("Pip the Bold", 315, 385, Table.userId(pip));
        // In the bottom row of the scene: its menu opens at the bottom edge of the window.
        lowToken = token("Cellar Rat", 665, 965, null);
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
        open("gm", session(table.gmId(), "GM", table.gmToken()), desktop());
        open("pip", pip, desktop());
    }

    @AfterAll
    static void stop() {
        contexts.forEach(BrowserContext::close);
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (gmSocket != null) gmSocket.close();
        if (node != null) node.shutdown();
    }

    static Browser.NewContextOptions desktop() {
        return new Browser.NewContextOptions()
                .setViewportSize(1280, 800)
                .setPermissions(List.of("clipboard-read", "clipboard-write"));
    }

    static String token(String name, double x, double y, String owner) {
        JsonObject body = new JsonObject()
                .put("op", "token.create")
                .put("sceneId", sceneId)
                .put("name", name)
                .put("x", x)
                .put("y", y)
                .put("hp", 20)
                .put("maxHp", 30);
        if (owner != null) body.put("owners", new JsonArray().add(owner));
        long seq = gmSocket.ok("vtt.in.map", body).getLong("seq");
        return gmSocket.awaitSeq(seq).getJsonObject("data").getString("tokenId");
    }

    static JsonObject session(String userId, String name, String token) {
        return new JsonObject()
                .put("user", new JsonObject().put("id", userId).put("displayName", name))
                .put("token", token);
    }

    static Page open(String who, JsonObject session, Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options);
        contexts.add(context);
        JsonObject stored = new JsonObject()
                .put("user", session.getJsonObject("user"))
                .put("token", session.getString("token"))
                .put("expiresAt", System.currentTimeMillis() + 50 * 60_000);
        context.addInitScript("localStorage.setItem('vertable.session', " + TableIT.jsString(stored.encode()) + ");");
        Page page = context.newPage();
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        page.onWebSocket(ws -> ws.onFrameReceived(frame -> received.add(frame.text())));
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && !TableIT.knownNoise(message.text())) errors.add(message.text());
        });
        page.onPageError(error -> errors.add("page error: " + error));
        page.navigate("http://127.0.0.1:" + node.httpPort() + "/table.html?room=" + table.roomId());
        TableIT.waitReady(page);
        pages.put(who, page);
        frames.put(who, received);
        consoleErrors.put(who, errors);
        return page;
    }

    static void waitFor(Page page, String predicate, Object arg) {
        TableIT.waitFor(page, predicate, arg);
    }

    static JsonObject tokenOn(Page page, String id) {
        return TableIT.tokenOn(page, id);
    }

    static double zoom(Page page) {
        return ((Number) page.evaluate("() => __vertable.zoom()")).doubleValue();
    }

    static void rightClickToken(Page page, String tokenId) {
        JsonObject token = tokenOn(page, tokenId);
        page.mouse()
                .click(
                        token.getDouble("screenX"),
                        token.getDouble("screenY"),
                        new com.microsoft.playwright.Mouse.ClickOptions()
                                .setButton(com.microsoft.playwright.options.MouseButton.RIGHT));
        page.waitForSelector("[data-testid=context-menu]");
    }

    static void assertInsideViewport(Page page, Locator box) {
        BoundingBox at = box.boundingBox();
        var size = page.viewportSize();
        assertThat(at.x).isGreaterThanOrEqualTo(0);
        assertThat(at.y).isGreaterThanOrEqualTo(0);
        assertThat(at.x + at.width).isLessThanOrEqualTo(size.width);
        assertThat(at.y + at.height).isLessThanOrEqualTo(size.height);
    }

    /** A screenshot under target/screenshots, and the same file into docs/screenshots when the README shows it. */
    static void screenshot(Page page, String name, boolean forDocs) {
        try {
            Path file = Path.of("target", "screenshots", name);
            Files.createDirectories(file.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(file));
            Path docs = Path.of("..", "docs", "screenshots");
            if (forDocs && Files.isDirectory(docs))
                Files.copy(file, docs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- menus and layout ----

    @Test
    @Order(1)
    void aMenuOpenedAtTheBottomEdgeIsFullyVisibleAndEscClosesItWithoutActing() {
        Page gm = pages.get("gm");
        assertThat(tokenOn(gm, lowToken).getDouble("screenY"))
                .as("the token sits near the bottom edge")
                .isGreaterThan(650);
        rightClickToken(gm, lowToken);
        Locator menu = gm.locator("[data-testid=context-menu]");
        assertInsideViewport(gm, menu);
        assertThat(menu.locator("[data-testid=menu-remove]").isVisible()).isTrue();
        screenshot(gm, "table-token-menu.png", false);
        gm.keyboard().press("Escape");
        gm.waitForSelector(
                "[data-testid=context-menu]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        assertThat(gm.locator("[role=dialog]").count()).isZero();
        assertThat(tokenOn(gm, lowToken)).isNotNull();
    }

    @Test
    @Order(2)
    void theClickThatClosesAMenuDoesNotHitTheToolbarUnderneath() {
        Page gm = pages.get("gm");
        double before = zoom(gm);
        rightClickToken(gm, lowToken);
        gm.click("[data-testid=zoom-in]", new Page.ClickOptions().setForce(true));
        gm.waitForSelector(
                "[data-testid=context-menu]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        gm.waitForSelector(
                "[data-testid=menu-layer]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        assertThat(zoom(gm))
                .as("the zoom button under the closing click was not pressed")
                .isEqualTo(before);
        // Once closed, the same button works.
        gm.click("[data-testid=zoom-in]");
        waitFor(gm, "z => __vertable.zoom() > z", before);
    }

    @Test
    @Order(3)
    void fitAndResetZoomBringTheSceneBack() {
        Page gm = pages.get("gm");
        gm.click("[data-testid=zoom-reset]");
        waitFor(gm, "() => Math.abs(__vertable.zoom() - 1) < 1e-9", null);
        gm.click("[data-testid=zoom-fit]");
        waitFor(gm, "() => __vertable.zoom() < 1", null);
        // Fitted: both corners of the 1400×1000 scene are on the screen.
        BoundingBox map = gm.locator("[data-testid=map]").boundingBox();
        double[] topLeft = TableIT.screenOf(gm, 0, 0);
        double[] bottomRight = TableIT.screenOf(gm, 1400, 1000);
        assertThat(topLeft[0]).isGreaterThanOrEqualTo(map.x);
        assertThat(topLeft[1]).isGreaterThanOrEqualTo(map.y);
        assertThat(bottomRight[0]).isLessThanOrEqualTo(map.x + map.width);
        assertThat(bottomRight[1]).isLessThanOrEqualTo(map.y + map.height);
        assertEveryGridLineIsDrawn(gm);
    }

    /**
     * Zoomed out, every one of the 70 px grid's inner vertical lines is on the screen, along a row of cells without a
     * token: each is darker than the middle of the cells beside it. (Thin lines drawn in world units vanished below
     * 100 % zoom, so some columns showed no line.)
     */
    static void assertEveryGridLineIsDrawn(Page page) {
        JsonArray tokens =
                new JsonArray((String) page.evaluate("() => JSON.stringify(__vertable.tokens().map(t => t.y))"));
        Locator card = page.locator("[data-testid=selection-card]");
        double below = card.isVisible() ? card.boundingBox().y + card.boundingBox().height : 0;
        int row = -1;
        for (int r = 0; r < 14 && row < 0; r++) {
            double y = 35 + 70 * r;
            boolean free = tokens.stream().allMatch(t -> Math.abs(((Number) t).doubleValue() - y) > 105);
            if (free && TableIT.screenOf(page, 0, y)[1] > below + 4) row = r;
        }
        assertThat(row).as("a row of cells without tokens").isGreaterThanOrEqualTo(0);
        double y = 35 + 70 * row;
        java.awt.image.BufferedImage shot;
        try {
            shot = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(page.screenshot()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int sy = (int) Math.round(TableIT.screenOf(page, 0, y)[1]);
        List<Integer> missing = new ArrayList<>();
        for (int k = 1; k < 20; k++) {
            int sx = (int) Math.round(TableIT.screenOf(page, 70 * k, y)[0]);
            int middle = (int) Math.round(TableIT.screenOf(page, 70 * k + 35, y)[0]);
            int darkest = 255;
            for (int dx = -2; dx <= 2; dx++) darkest = Math.min(darkest, luminance(shot.getRGB(sx + dx, sy)));
            if (darkest > luminance(shot.getRGB(middle, sy)) - 8) missing.add(70 * k);
        }
        assertThat(missing).as("grid lines not drawn (world x)").isEmpty();
    }

    static int luminance(int rgb) {
        return (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
    }

    /** The party shows who has the table open: Pip's page came after the GM's, so the GM's page heard Pip join. */
    @Test
    @Order(4)
    void thePartyShowsWhoHasTheTableOpen() {
        Page gm = pages.get("gm");
        gm.click("[data-testid=tab-party]");
        gm.waitForSelector("[data-testid=party-member][data-user='" + Table.userId(pip) + "'][data-online=true]");
        gm.waitForSelector("[data-testid=party-member][data-user='" + table.gmId() + "'][data-online=true]");
        gm.click("[data-testid=tab-chat]");
    }

    @Test
    @Order(4)
    void theSideColumnIsTabsAndTheChatKeepsItsHeight() {
        Page gm = pages.get("gm");
        assertThat(gm.locator("[data-testid=tab-chat]").getAttribute("aria-selected"))
                .isEqualTo("true");
        BoundingBox log = gm.locator("[data-testid=chat-log]").boundingBox();
        assertThat(log.height).as("the chat log fills the column").isGreaterThan(450);
        gm.click("[data-testid=tab-initiative]");
        assertThat(gm.locator("[data-testid=panel-initiative]").isVisible()).isTrue();
        assertThat(gm.locator("[data-testid=chat-log]").isVisible()).isFalse();
        gm.keyboard().press("ArrowRight");
        assertThat(gm.locator("[data-testid=panel-party]").isVisible()).isTrue();
        // The arrow belonged to the tab bar: the token selected on the map did not move a cell.
        assertThat(tokenOn(gm, lowToken).getInteger("x")).isEqualTo(665);
        gm.click("[data-testid=tab-gm]");
        assertThat(gm.locator("[data-testid=panel-gm]").isVisible()).isTrue();
        screenshot(gm, "table-gm.png", true);
        Page player = pages.get("pip");
        assertThat(player.locator("[data-testid=tab-gm]").count())
                .as("players have no GM tab")
                .isZero();
        assertThat(player.locator("[data-testid=invite-players]").count()).isZero();
        assertThat(player.locator("[data-testid=admin-link]").count()).isZero();
        gm.click("[data-testid=tab-chat]");
    }

    @Test
    @Order(5)
    void theGmInvitesPlayersWithOneClickAndReachesTheAdminPanel() {
        Page gm = pages.get("gm");
        gm.click("[data-testid=invite-players]");
        gm.waitForSelector("[data-testid=toast]:has-text('Invite link copied')");
        String link = (String) gm.evaluate("() => navigator.clipboard.readText()");
        assertThat(link).contains("/join/");
        String code = link.substring(link.lastIndexOf('/') + 1);
        Rest.Reply preview = rest.get("/api/invites/" + code, null);
        assertThat(preview.status()).isEqualTo(200);
        assertThat(gm.locator("[data-testid=admin-link]").getAttribute("href"))
                .isEqualTo("/admin.html?room=" + table.roomId());
    }

    @Test
    @Order(6)
    void coverEverythingAsksFirstAndCancelChangesNothing() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        gm.click("[data-testid=tab-gm]");
        gm.click("[data-testid=fog-cover-all]");
        gm.waitForSelector("[role=dialog]:has-text('Cover the whole map?')");
        gm.click("[role=dialog] button:has-text('Cancel')");
        gm.click("[data-testid=fog-cover-all]");
        gm.waitForSelector("[role=dialog]:has-text('Cover the whole map?')");
        gm.keyboard().press("Escape");
        gm.waitForSelector(
                "[role=dialog]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        // A later event reaches the player after any fog change would have.
        gmSocket.chat("nothing covered yet");
        player.waitForSelector("[data-testid=chat-message]:has-text('nothing covered yet')");
        assertThat(player.evaluate("() => __vertable.fog().enabled")).isEqualTo(false);
        gm.click("[data-testid=fog-cover-all]");
        gm.click("[role=dialog] button[type=submit]:has-text('Cover everything')");
        waitFor(player, "() => __vertable.fog().enabled && __vertable.fog().initial === 'covered'", null);
        gm.click("[data-testid=fog-clear]");
        gm.click("[role=dialog] button[type=submit]:has-text('Reveal everything')");
        waitFor(player, "() => __vertable.fog().initial === 'revealed'", null);
        gm.click("[data-testid=tab-chat]");
    }

    @Test
    @Order(7)
    void onAPhoneTheToolsFoldIntoAMenuAndPanelsAreABottomSheetAboveWhichTheMapShows() {
        Page phone = open(
                "phone",
                pip,
                new Browser.NewContextOptions()
                        .setViewportSize(390, 844)
                        .setHasTouch(true)
                        .setIsMobile(true)
                        .setDeviceScaleFactor(2));
        assertThat(((Number) phone.evaluate("() => document.documentElement.scrollWidth")).intValue())
                .as("nothing is wider than the screen")
                .isLessThanOrEqualTo(390);
        assertThat(phone.locator("[data-testid=tool-ruler]").isVisible()).isFalse();
        phone.tap("[data-testid=tools-toggle]");
        phone.tap("[data-testid=tool-ruler]");
        assertThat(phone.locator("[data-testid=tools-toggle]").textContent()).contains("Ruler");
        assertThat(phone.locator("[data-testid=tool-ruler]").isVisible()).isFalse();
        BoundingBox bar = phone.locator(".tab-bar").boundingBox();
        assertThat(bar.y + bar.height).as("the tab bar sits at the bottom").isGreaterThan(800);
        for (String tab : List.of("chat", "dice", "initiative", "party")) {
            phone.tap("[data-testid=tab-" + tab + "]");
            assertThat(phone.locator("[data-testid=panel-" + tab + "]").isVisible())
                    .isTrue();
            BoundingBox sheet = phone.locator("[data-testid=side]").boundingBox();
            BoundingBox map = phone.locator("[data-testid=map]").boundingBox();
            assertThat(sheet.y)
                    .as("the map stays visible above the " + tab + " sheet")
                    .isGreaterThan(844 * 0.4);
            assertThat(map.y + map.height)
                    .as("the map ends where the sheet begins")
                    .isLessThanOrEqualTo(sheet.y + 1);
            assertThat(map.height).isGreaterThan(250);
        }
        phone.tap("[data-testid=tab-chat]");
        phone.tap("[data-testid=zoom-fit]");
        screenshot(phone, "table-phone.png", true);
        phone.tap("[data-testid=tab-chat]");
        assertThat(phone.locator("[data-testid=side-tabs]").getAttribute("data-sheet-open"))
                .isEqualTo("false");
        // With the sheet closed the map has the screen; its zoom controls stay in reach.
        phone.tap("[data-testid=zoom-fit]");
        screenshot(phone, "table-phone-map.png", false);
        // Their own token: a tap selects it, its card offers the editor, which fits the screen.
        phone.tap("[data-testid=tools-toggle]");
        phone.tap("[data-testid=tool-select]");
        JsonObject mine = tokenOn(phone, pipToken);
        phone.touchscreen().tap(mine.getDouble("screenX"), mine.getDouble("screenY"));
        phone.waitForSelector("[data-testid=selection-card] [data-testid=token-edit]");
        phone.tap("[data-testid=token-edit]");
        phone.waitForSelector("[data-testid=token-editor]");
        assertInsideViewport(phone, phone.locator("[data-testid=token-editor]"));
        assertThat(phone.locator("[data-testid=edit-name]").count())
                .as("a player edits HP and conditions, not the name")
                .isZero();
        screenshot(phone, "table-phone-token-editor.png", true);
        phone.tap("[data-testid=token-editor] button:has-text('Cancel')");
        phone.waitForSelector(
                "[data-testid=token-editor]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
    }

    // ---- the token editor ----

    static void openEditor(Page gm, String tokenId) {
        gm.click("[data-testid=zoom-fit]");
        rightClickToken(gm, tokenId);
        gm.click("[data-testid=menu-edit]");
        gm.waitForSelector("[data-testid=token-editor]");
    }

    @Test
    @Order(10)
    void theGmGivesATokenToAPlayerByNameAndHidesItsHitPointsFromEveryoneElse() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        openEditor(gm, lowToken);
        gm.fill("[data-testid=edit-name]", "Cellar Rat 10");
        gm.fill("[data-testid=edit-hp-step]", "3");
        gm.click("[data-testid=edit-hp-minus]");
        assertThat(gm.inputValue("[data-testid=edit-hp]")).isEqualTo("17");
        gm.check("[data-testid=condition-prone]");
        gm.fill("[data-testid=condition-custom]", "Bleeding");
        gm.press("[data-testid=condition-custom]", "Enter");
        Locator pipOption = gm.locator("[data-testid=owner-option][data-name='Pip']");
        assertThat(gm.locator("[data-testid=token-editor]").textContent()).doesNotContain(Table.userId(pip));
        pipOption.check();
        gm.selectOption("[data-testid=edit-hp-visibility]", "gm");
        gm.selectOption("[data-testid=edit-name-visibility]", "always");
        screenshot(gm, "table-token-editor.png", true);
        gm.click("[data-testid=edit-save]");
        gm.waitForSelector(
                "[data-testid=token-editor]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        waitFor(
                player,
                "id => { const t = __vertable.tokens().find(t => t.id === id); return t && t.name === 'Cellar Rat 10'"
                        + " && t.conditions.includes('prone') && t.conditions.includes('Bleeding'); }",
                lowToken);
        assertThat(tokenOn(player, lowToken).getValue("hp")).as("GM-only HP").isNull();
        assertThat(tokenOn(gm, lowToken).getInteger("hp")).isEqualTo(17);
        assertThat(String.join("\n", frames.get("pip"))).as("Pip's frames").doesNotContain("\"hp\":17");
        // The selection card says who owns it, by name.
        assertThat(gm.locator("[data-testid=selection-fact]:has-text('Owned by')")
                        .textContent())
                .contains("Pip")
                .doesNotContain(Table.userId(pip));

        // Now it is Pip's: Pip drags it.
        TableIT.mouseDrag(player, lowToken, 665 + 70, 965);
        // Dropped on the grid: the centre of its cell, for the mover at once and then for everyone.
        waitFor(player, TableIT.AT, List.of(lowToken, 735, 945));
        waitFor(gm, TableIT.AT, List.of(lowToken, 735, 945));

        // Owners see their HP (on their own stream), still nobody else.
        openEditor(gm, lowToken);
        gm.selectOption("[data-testid=edit-hp-visibility]", "owners");
        gm.click("[data-testid=edit-save]");
        waitFor(player, "id => __vertable.tokens().find(t => t.id === id).hp === 17", lowToken);
        for (String frame : frames.get("pip")) {
            if (frame.contains("vtt.room.") && !frame.contains("vtt.user."))
                assertThat(frame).doesNotContain("\"hp\":17");
        }
    }

    @Test
    @Order(11)
    void badValuesInTheEditorAreRefusedNextToTheirFieldAndChangeNothing() {
        Page gm = pages.get("gm");
        openEditor(gm, lowToken);
        gm.fill("[data-testid=edit-size]", "1e308");
        gm.click("[data-testid=edit-save]");
        gm.waitForSelector("[data-testid=error-size]");
        assertThat(gm.textContent("[data-testid=error-size]")).contains("size");
        assertThat(gm.locator("[data-testid=token-editor]").isVisible())
                .as("the dialog stays open")
                .isTrue();
        gm.keyboard().press("Escape");
        gm.waitForSelector(
                "[data-testid=token-editor]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        // Owners who are not members: the server refuses with its code, whatever a client sends.
        JsonObject refused = gmSocket.command(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "token.update")
                        .put("tokenId", lowToken)
                        .put("owners", new JsonArray().add("Bob")));
        assertThat(refused.getString("code")).isEqualTo("OWNER_NOT_A_MEMBER");
        JsonObject big = gmSocket.command(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "token.update")
                        .put("tokenId", lowToken)
                        .put("name", "x".repeat(10_000)));
        assertThat(big.getString("code")).isEqualTo("BAD_REQUEST");
        JsonObject after = tokenOn(gm, lowToken);
        assertThat(after.getString("name")).isEqualTo("Cellar Rat 10");
        assertThat(after.getJsonArray("owners")).containsExactly(Table.userId(pip));
        consoleErrors.forEach((who, errors) ->
                assertThat(errors).as("console errors of " + who).isEmpty());
    }

    // ---- scenes ----

    /** A 1600×1200 PNG with a drawn 80 px grid, as a map someone exported from another tool. */
    static Path mapImage() throws IOException {
        var image = new java.awt.image.BufferedImage(1600, 1200, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new java.awt.Color(0x6d8a5a));
        g.fillRect(0, 0, 1600, 1200);
        g.setColor(java.awt.Color.BLACK);
        for (int x = 10; x < 1600; x += 80) g.drawLine(x, 0, x, 1200);
        for (int y = 20; y < 1200; y += 80) g.drawLine(0, y, 1600, y);
        g.dispose();
        Path file = Files.createTempFile("harbour", ".png");
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        return file;
    }

    static JsonObject shownScene(Page page) {
        Object scene = page.evaluate("() => JSON.stringify(__vertable.scene())");
        return new JsonObject((String) scene);
    }

    @Test
    @Order(20)
    void aNewSceneTakesItsImagesSizeAndTheGridIsSetByNumbers() throws IOException {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        gm.click("[data-testid=tab-gm]");
        gm.setInputFiles("[data-testid=library-upload]", mapImage());
        gm.waitForSelector("[data-testid=library-item]");
        gm.click("[data-testid=scene-new]");
        gm.waitForSelector("[data-testid=scene-editor]");
        gm.fill("[data-testid=scene-edit-name]", "Harbour");
        gm.selectOption(
                "[data-testid=scene-edit-image]", new com.microsoft.playwright.options.SelectOption().setIndex(1));
        waitFor(gm, "() => document.querySelector('[data-testid=scene-edit-width]').value === '1600'", null);
        assertThat(gm.inputValue("[data-testid=scene-edit-height]")).isEqualTo("1200");
        gm.fill("[data-testid=scene-edit-cell]", "80");
        gm.fill("[data-testid=scene-edit-offset-x]", "10");
        gm.fill("[data-testid=scene-edit-offset-y]", "20");
        screenshot(gm, "table-scene-editor.png", true);
        gm.click("[data-testid=scene-save]");
        gm.waitForSelector(
                "[data-testid=scene-editor]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        waitFor(gm, "() => __vertable.sceneNames().includes('Harbour')", null);
        assertThat(gm.locator("[data-testid=scene-select] option:checked").textContent())
                .isEqualTo("Harbour");
        gm.click("[data-testid=scene-activate]");
        waitFor(player, "() => __vertable.scene()?.name === 'Harbour'", null);
        JsonObject scene = shownScene(player);
        assertThat(scene.getDouble("width")).isEqualTo(1600);
        assertThat(scene.getDouble("height")).isEqualTo(1200);
        assertThat(scene.getJsonObject("grid").getDouble("size")).isEqualTo(80);
        assertThat(scene.getJsonObject("grid").getDouble("offsetX")).isEqualTo(10);
        assertThat(scene.getJsonObject("grid").getDouble("offsetY")).isEqualTo(20);
        assertThat(scene.getBoolean("image")).isTrue();

        // A token placed and dragged on it snaps to the map's own cells.
        gm.fill("[data-testid=token-name]", "Harbour Guard");
        gm.click("[data-testid=token-create]");
        waitFor(gm, "() => __vertable.tokens().some(t => t.name === 'Harbour Guard')", null);
        String guard = (String) gm.evaluate("() => __vertable.tokens().find(t => t.name === 'Harbour Guard').id");
        // The next token lands on a free cell of the map's own grid, not on top of the first.
        gm.fill("[data-testid=token-name]", "Harbour Guard 2");
        gm.click("[data-testid=token-create]");
        waitFor(gm, "() => __vertable.tokens().some(t => t.name === 'Harbour Guard 2')", null);
        assertThat(gm.evaluate("() => { const [a, b] = ['Harbour Guard', 'Harbour Guard 2'].map(n =>"
                        + " __vertable.tokens().find(t => t.name === n));"
                        + " const onCell = t => (t.x - 10 - 40) % 80 === 0 && (t.y - 20 - 40) % 80 === 0;"
                        + " return onCell(a) && onCell(b) && (a.x !== b.x || a.y !== b.y); }"))
                .isEqualTo(true);
        TableIT.mouseDrag(gm, guard, 10 + 80 * 3 + 40 + 17, 20 + 80 * 2 + 40 - 21);
        waitFor(player, TableIT.AT, List.of(guard, 290, 220));
        screenshot(gm, "table-scene-harbour.png", false);
    }

    @Test
    @Order(21)
    void badGridNumbersAreRefusedInTheEditorAndTheSceneStaysAsItWas() {
        Page gm = pages.get("gm");
        gm.click("[data-testid=scene-edit]");
        gm.waitForSelector("[data-testid=scene-editor]");
        gm.fill("[data-testid=scene-edit-cell]", "0");
        gm.click("[data-testid=scene-save]");
        gm.waitForSelector("[data-testid=scene-error-cell]");
        gm.fill("[data-testid=scene-edit-cell]", "100000");
        gm.click("[data-testid=scene-save]");
        waitFor(
                gm,
                "() => document.querySelector('[data-testid=scene-error-cell]')?.textContent.includes('1000')",
                null);
        gm.fill("[data-testid=scene-edit-cell]", "80");
        gm.fill("[data-testid=scene-edit-width]", "1e308");
        gm.click("[data-testid=scene-save]");
        gm.waitForSelector("[data-testid=scene-error-width]");
        gm.keyboard().press("Escape");
        gm.waitForSelector(
                "[data-testid=scene-editor]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        JsonObject scene = shownScene(gm);
        assertThat(scene.getJsonObject("grid").getDouble("size")).isEqualTo(80);
        assertThat(scene.getDouble("width")).isEqualTo(1600);
        JsonObject refused = gmSocket.command(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "scene.update")
                        .put("sceneId", sceneId)
                        .put("grid", new JsonObject().put("type", "square").put("size", 100_000)));
        assertThat(refused.getString("code")).isEqualTo("BAD_REQUEST");
    }

    @Test
    @Order(22)
    void theGmMeasuresTheMapsOwnGridByDraggingOverOneCell() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        // First a wrong grid, as a fresh scene would have.
        gm.click("[data-testid=scene-edit]");
        gm.fill("[data-testid=scene-edit-cell]", "70");
        gm.fill("[data-testid=scene-edit-offset-x]", "0");
        gm.fill("[data-testid=scene-edit-offset-y]", "0");
        gm.click("[data-testid=scene-save]");
        waitFor(player, "() => __vertable.scene()?.grid.size === 70", null);
        // At 100 % one screen pixel is one map pixel: the drag is exact.
        gm.click("[data-testid=zoom-reset]");
        gm.click("[data-testid=scene-edit]");
        gm.click("[data-testid=scene-calibrate]");
        gm.waitForSelector("[data-testid=calibrate-overlay]");
        assertThat(gm.locator("[data-testid=scene-editor]").isVisible())
                .as("the editor steps aside")
                .isFalse();
        double[] from = TableIT.screenOf(gm, 10 + 80 * 9, 20 + 80 * 7);
        double[] to = TableIT.screenOf(gm, 10 + 80 * 10, 20 + 80 * 8);
        pressAndMove(gm, from, to, 8);
        gm.mouse().up();
        gm.waitForSelector("[data-testid=scene-editor]");
        assertThat(gm.inputValue("[data-testid=scene-edit-cell]")).isEqualTo("80");
        assertThat(gm.inputValue("[data-testid=scene-edit-offset-x]")).isEqualTo("10");
        assertThat(gm.inputValue("[data-testid=scene-edit-offset-y]")).isEqualTo("20");
        gm.click("[data-testid=scene-save]");
        waitFor(player, "() => __vertable.scene()?.grid.size === 80 && __vertable.scene().grid.offsetX === 10", null);
        gm.click("[data-testid=zoom-fit]");
    }

    @Test
    @Order(23)
    void theGmRenamesAndDeletesTheShownSceneAfterAConfirmAndPlayersAreTold() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        gm.click("[data-testid=scene-edit]");
        gm.fill("[data-testid=scene-edit-name]", "Harbour at night");
        gm.selectOption("[data-testid=scene-edit-grid]", "hexColumns");
        gm.click("[data-testid=scene-save]");
        waitFor(player, "() => __vertable.scene()?.name === 'Harbour at night'", null);
        assertThat(shownScene(player).getJsonObject("grid").getString("type")).isEqualTo("hexColumns");
        // Tokens snap to the centres of hexes in columns: column 2 (flat top, 80 px across the flats), row 1.
        String guard = (String) gm.evaluate("() => __vertable.tokens().find(t => t.name === 'Harbour Guard').id");
        TableIT.mouseDrag(gm, guard, 200, 150);
        double radius = 80 / Math.sqrt(3);
        double x = Math.round((10 + 2 * 1.5 * radius + radius) * 10) / 10.0;
        waitFor(player, TableIT.AT, List.of(guard, x, 140));
        gm.click("[data-testid=scene-edit]");
        gm.click("[data-testid=scene-delete]");
        gm.waitForSelector("[role=dialog]:has-text('Delete Harbour at night?')");
        assertThat(gm.textContent("[role=dialog]:has-text('Delete Harbour at night?')"))
                .contains("The players are on this scene");
        gm.click(".vt-dialog button:has-text('Cancel')");
        assertThat(gm.locator("[data-testid=scene-editor]").isVisible())
                .as("cancelling the delete keeps the editor")
                .isTrue();
        gm.click("[data-testid=scene-delete]");
        gm.click(".vt-dialog button[type=submit]:has-text('Delete scene')");
        waitFor(player, "() => __vertable.scene() === null", null);
        assertThat(player.locator("[data-testid=map-empty]").textContent()).contains("not shown a scene");
        waitFor(gm, "() => !__vertable.sceneNames().includes('Harbour at night')", null);
        assertThat(gm.locator("[data-testid=scene-editor]").count()).isZero();
        gm.selectOption("[data-testid=scene-select]", sceneId);
        gm.click("[data-testid=scene-activate]");
        waitFor(player, "() => __vertable.scene()?.name === 'Keep'", null);
        gm.click("[data-testid=tab-chat]");
        consoleErrors.forEach((who, errors) ->
                assertThat(errors).as("console errors of " + who).isEmpty());
    }

    // ---- map tools: several tokens, drawings, shared measures, fog undo ----

    static String vault;

    /** A scene of its own for the map-tool tests, shown to the players (earlier tests may have removed theirs). */
    static String vault() {
        if (vault != null) return vault;
        long seq = gmSocket.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "scene.create")
                                .put("name", "Vault")
                                .put("width", 1400)
                                .put("height", 1000)
                                .put(
                                        "grid",
                                        new JsonObject().put("type", "square").put("size", 70)))
                .getLong("seq");
        vault = gmSocket.awaitSeq(seq).getJsonObject("data").getString("sceneId");
        gmSocket.ok("vtt.in.map", new JsonObject().put("op", "scene.activate").put("sceneId", vault));
        for (Page page : List.of(pages.get("gm"), pages.get("pip"))) {
            waitFor(page, "() => __vertable.scene()?.name === 'Vault' && !!__vertable.picked", null);
            page.click("[data-testid=zoom-fit]");
        }
        return vault;
    }

    static JsonObject quadsOf(Page page, String tokenId) {
        return new JsonObject((String) page.evaluate("id => JSON.stringify(__vertable.tokenQuads(id))", tokenId));
    }

    static String vaultToken(String name, double x, double y) {
        long seq = gmSocket.ok(
                        "vtt.in.map",
                        new JsonObject()
                                .put("op", "token.create")
                                .put("sceneId", vault())
                                .put("name", name)
                                .put("x", x)
                                .put("y", y))
                .getLong("seq");
        return gmSocket.awaitSeq(seq).getJsonObject("data").getString("tokenId");
    }

    static void drag(Page page, double[] from, double[] to) {
        pressAndMove(page, from, to, 10);
        page.mouse().up();
    }

    /** The button pressed at {@code from} and moved to {@code to} in steps, still held. */
    static void pressAndMove(Page page, double[] from, double[] to, int steps) {
        page.mouse().move(from[0], from[1]);
        page.mouse().down();
        page.mouse().move(to[0], to[1], new com.microsoft.playwright.Mouse.MoveOptions().setSteps(steps));
    }

    static double[] at(Page page, double x, double y) {
        return TableIT.screenOf(page, x, y);
    }

    static int count(Page page, String expression) {
        return ((Number) page.evaluate(expression)).intValue();
    }

    @Test
    @Order(30)
    void theGmBoxSelectsTokensAndMovesNudgesHidesCopiesAndDeletesThemTogether() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        vault();
        String s1 = vaultToken("Skeleton 1", 385, 105);
        String s10 = vaultToken("Skeleton 10", 455, 105);
        String s100 = vaultToken("Skeleton 100", 525, 105);
        waitFor(player, "() => __vertable.tokens().length === 3", null);
        waitFor(gm, "() => __vertable.tokens().length === 3", null);

        // A box dragged over the empty map with the mouse selects the three.
        drag(gm, at(gm, 340, 50), at(gm, 570, 160));
        waitFor(gm, "() => __vertable.picked().length === 3", null);
        assertThat(gm.locator("[data-testid=multi-count]").textContent()).isEqualTo("3 selected");
        screenshot(gm, "table-box-select.png", true);

        // Dragging one drags all three: two cells down, each on its own cell (the one furthest from the selection
        // card in the map's corner, which covers what is under it).
        TableIT.mouseDrag(gm, s100, 525, 245);
        for (var t : List.of(List.of(s1, 385, 245), List.of(s10, 455, 245), List.of(s100, 525, 245)))
            waitFor(player, TableIT.AT, t);

        // The arrow keys nudge the selection one cell.
        gm.keyboard().press("ArrowRight");
        for (var t : List.of(List.of(s1, 455, 245), List.of(s100, 595, 245))) waitFor(player, TableIT.AT, t);

        // Shift-click takes one out of the selection.
        JsonObject last = tokenOn(gm, s100);
        gm.keyboard().down("Shift");
        gm.mouse().click(last.getDouble("screenX"), last.getDouble("screenY"));
        gm.keyboard().up("Shift");
        waitFor(gm, "() => __vertable.picked().length === 2", null);

        // Hide and reveal the two at once.
        gm.click("[data-testid=multi-hide]");
        waitFor(player, "() => __vertable.tokens().length === 1", null);
        gm.click("[data-testid=multi-reveal]");
        waitFor(player, "() => __vertable.tokens().length === 3", null);
        // Copies are made from what the GM's page holds: wait until it has the reveal too, or they would come out
        // hidden.
        waitFor(gm, "() => __vertable.tokens().every(t => !t.hidden)", null);

        // Ctrl+C, point at an empty spot, Ctrl+V: copies land there, on the grid.
        gm.keyboard().press("Control+c");
        double[] spot = at(gm, 455, 525);
        gm.mouse().move(spot[0], spot[1]);
        gm.keyboard().press("Control+v");
        waitFor(player, "() => __vertable.tokens().length === 5", null);
        waitFor(
                player,
                "() => __vertable.tokens().filter(t => t.y === 525).map(t => t.name).sort().join() === 'Skeleton 1,Skeleton 10'",
                null);

        // The copies are the new selection: Delete asks, then removes them; the originals stay.
        waitFor(
                gm,
                "() => __vertable.picked().length === 2 && __vertable.picked().every(id => __vertable.tokens().find(t => t.id === id)?.y === 525)",
                null);
        gm.keyboard().press("Delete");
        gm.waitForSelector("[role=dialog]:has-text('Remove 2 tokens?')");
        gm.click("[role=dialog] button[type=submit]:has-text('Remove')");
        waitFor(player, "() => __vertable.tokens().length === 3", null);
        for (String id : List.of(s1, s10, s100)) assertThat(tokenOn(player, id)).isNotNull();
    }

    @Test
    @Order(31)
    void drawingsAreErasedByTheirAuthorOrTheGmUndoneWithCtrlZAndTextIsTypedOnTheMap() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        vault();
        player.click("[data-testid=tool-draw-line]");
        drag(player, at(player, 105, 805), at(player, 385, 805));
        gm.click("[data-testid=tool-draw-line]");
        drag(gm, at(gm, 105, 875), at(gm, 385, 875));
        waitFor(player, "() => __vertable.drawings().length === 2", null);

        // Pip's eraser does not take the GM's line.
        player.click("[data-testid=tool-eraser]");
        double[] gmsLine = at(player, 245, 875);
        player.mouse().click(gmsLine[0], gmsLine[1]);
        player.waitForSelector("[data-testid=toast]:has-text('only your own')");
        assertThat(count(player, "() => __vertable.drawings().length")).isEqualTo(2);

        // Ctrl+Z takes back Pip's own line, then there is nothing left of Pip's to undo.
        player.keyboard().press("Control+z");
        waitFor(gm, "() => __vertable.drawings().length === 1", null);
        assertThat(gm.evaluate("() => __vertable.drawings()[0].author")).isEqualTo(table.gmId());
        player.click("[data-testid=undo]");
        player.waitForSelector("[data-testid=toast]:has-text('no drawing on this scene to undo')");

        // The GM's eraser takes anyone's.
        player.click("[data-testid=tool-draw-line]");
        drag(player, at(player, 105, 665), at(player, 385, 665));
        waitFor(gm, "() => __vertable.drawings().length === 2", null);
        gm.click("[data-testid=tool-eraser]");
        double[] pipsLine = at(gm, 245, 665);
        gm.mouse().click(pipsLine[0], pipsLine[1]);
        waitFor(player, "() => __vertable.drawings().length === 1", null);

        // Text goes in a field on the map, not a dialog.
        gm.click("[data-testid=tool-draw-text]");
        double[] spot = at(gm, 700, 700);
        gm.mouse().click(spot[0], spot[1]);
        gm.waitForSelector("[data-testid=map-text-input]");
        assertThat(gm.locator("[role=dialog]").count()).isZero();
        gm.keyboard().type("Trap here");
        screenshot(gm, "table-text-on-map.png", true);
        gm.keyboard().press("Enter");
        waitFor(player, "() => __vertable.drawings().some(d => d.kind === 'text' && d.text === 'Trap here')", null);
        gm.click("[data-testid=tool-select]");
        player.click("[data-testid=tool-select]");
    }

    @Test
    @Order(32)
    void rulersAndAreaTemplatesAreSeenLiveButAGmsUnderTheFogStaysWithTheGm() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        vault();
        player.click("[data-testid=tool-ruler]");
        double[] from = at(player, 105, 105);
        double[] to = at(player, 385, 105);
        pressAndMove(player, from, to, 10);
        waitFor(
                gm,
                "() => __vertable.measures().some(m => m.op === 'ruler' && m.name === 'Pip' && m.to[0] === 385)",
                null);
        screenshot(gm, "table-shared-ruler.png", true);
        player.mouse().up();
        waitFor(gm, "() => __vertable.measures().length === 0", null);
        player.click("[data-testid=tool-select]");

        gm.click("[data-testid=tool-template-cone]");
        double[] origin = at(gm, 700, 500);
        double[] reach = at(gm, 910, 500);
        pressAndMove(gm, origin, reach, 10);
        waitFor(player, "() => __vertable.measures().some(m => m.op === 'template' && m.shape === 'cone')", null);
        screenshot(player, "table-shared-cone.png", true);
        gm.mouse().up();

        // Under the fog the GM's circle stays with the GM; the GM's ruler in the open reaches Pip after it.
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "fog.reset")
                        .put("sceneId", vault())
                        .put("enabled", true)
                        .put("covered", true));
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "fog.reveal")
                        .put("sceneId", vault())
                        .put(
                                "shape",
                                new JsonObject()
                                        .put("kind", "rect")
                                        .put("x", 0)
                                        .put("y", 0)
                                        .put("w", 500)
                                        .put("h", 300)));
        waitFor(gm, "() => __vertable.fog().ops.length === 1", null);
        gm.click("[data-testid=tool-template-circle]");
        drag(gm, at(gm, 700, 600), at(gm, 800, 600));
        gm.click("[data-testid=tool-ruler]");
        double[] open = at(gm, 100, 150);
        gm.mouse().move(open[0], open[1]);
        gm.mouse().down();
        double[] openEnd = at(gm, 300, 150);
        gm.mouse().move(openEnd[0], openEnd[1], new com.microsoft.playwright.Mouse.MoveOptions().setSteps(6));
        waitFor(player, "() => __vertable.measures().some(m => m.op === 'ruler' && m.to[0] === 300)", null);
        gm.mouse().up();
        assertThat(String.join("\n", frames.get("pip"))).doesNotContain("\"shape\":\"circle\"");
        gm.click("[data-testid=tool-select]");
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "fog.reset")
                        .put("sceneId", vault())
                        .put("enabled", false)
                        .put("covered", false));
    }

    @Test
    @Order(33)
    void theGmUndoesTheLastFogChangeEvenCoverEverything() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        vault();
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "fog.reset")
                        .put("sceneId", vault())
                        .put("enabled", true)
                        .put("covered", false));
        waitFor(player, "() => __vertable.fog().enabled && __vertable.fog().initial === 'revealed'", null);
        gm.selectOption("[data-testid=fog-mode]", "cover");
        gm.click("[data-testid=tool-fog-rect]");
        drag(gm, at(gm, 600, 400), at(gm, 900, 700));
        waitFor(player, "() => __vertable.fog().ops.length === 1", null);
        gm.keyboard().press("Control+z");
        waitFor(player, "() => __vertable.fog().ops.length === 0", null);

        gm.click("[data-testid=tab-gm]");
        gm.click("[data-testid=fog-cover-all]");
        gm.click("[role=dialog] button[type=submit]:has-text('Cover everything')");
        waitFor(player, "() => __vertable.fog().initial === 'covered'", null);
        gm.click("[data-testid=fog-undo]");
        waitFor(player, "() => __vertable.fog().initial === 'revealed' && __vertable.fog().enabled", null);
        // Nothing left to undo: the page says so.
        gm.click("[data-testid=fog-undo]");
        gm.waitForSelector("[data-testid=toast]:has-text('no change to undo')");
        gm.selectOption("[data-testid=fog-mode]", "reveal");
        gm.click("[data-testid=tool-select]");
        gm.click("[data-testid=tab-chat]");
    }

    @Test
    @Order(34)
    void aPictureDraggedFromTheLibraryStandsWhereItIsDroppedAndScenesAreReordered() throws IOException {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        vault();
        gm.click("[data-testid=tab-gm]");
        if (gm.locator("[data-testid=library-item]").count() == 0) {
            gm.setInputFiles("[data-testid=library-upload]", mapImage());
            gm.waitForSelector("[data-testid=library-item]");
        }
        double[] drop = at(gm, 1085, 805);
        gm.locator("[data-testid=library-item]")
                .first()
                .dragTo(
                        gm.locator("[data-testid=map]"),
                        new Locator.DragToOptions()
                                .setTargetPosition(
                                        drop[0]
                                                - gm.locator("[data-testid=map]")
                                                        .boundingBox()
                                                        .x,
                                        drop[1]
                                                - gm.locator("[data-testid=map]")
                                                        .boundingBox()
                                                        .y));
        waitFor(player, "() => __vertable.tokens().some(t => t.x === 1085 && t.y === 805)", null);

        // The scene list's order is the GM's: the Vault moves up one place.
        List<String> before = gm.locator("[data-testid=scene-select] option").allTextContents();
        assertThat(before).hasSizeGreaterThan(1);
        int at = before.indexOf(
                before.stream().filter(n -> n.startsWith("Vault")).findFirst().orElseThrow());
        gm.selectOption("[data-testid=scene-select]", vault());
        gm.click(at == 0 ? "[data-testid=scene-down]" : "[data-testid=scene-up]");
        int expected = at == 0 ? 1 : at - 1;
        waitFor(
                gm,
                "i => [...document.querySelectorAll('[data-testid=scene-select] option')][i]?.textContent.startsWith('Vault')",
                expected);
        gm.click("[data-testid=tab-chat]");
    }

    @Test
    @Order(35)
    void onAPhoneEveryNewMapToolIsReachable() {
        Page phone = open(
                "phone-tools",
                pip,
                new Browser.NewContextOptions()
                        .setViewportSize(390, 844)
                        .setHasTouch(true)
                        .setIsMobile(true)
                        .setDeviceScaleFactor(2));
        phone.tap("[data-testid=tools-toggle]");
        for (String tool : List.of(
                "tool-eraser",
                "tool-box",
                "tool-template-circle",
                "tool-template-cone",
                "tool-template-line",
                "undo")) {
            Locator button = phone.locator("[data-testid=" + tool + "]");
            assertThat(button.isVisible()).as(tool).isTrue();
            assertInsideViewport(phone, button);
        }
        screenshot(phone, "table-phone-tools.png", true);
        phone.tap("[data-testid=tool-box]");
        assertThat(phone.locator("[data-testid=tools-toggle]").textContent()).contains("Select ⬚");
    }

    // ---- tokens: condition chips, name labels, copy / cut / paste ----

    static JsonObject marksOn(Page page, String id) {
        Object found = page.evaluate("id => JSON.stringify(__vertable.tokenMarks(id))", id);
        return found == null || "null".equals(found) ? null : new JsonObject((String) found);
    }

    static int redraws(Page page) {
        waitFor(page, "() => !__vertable.renderStats().busy", null);
        return count(page, "() => __vertable.renderStats().tokenRedraws");
    }

    /** Zooms with the mouse wheel over a token, until the zoom has passed `beyond` (below 1: out; above: in). */
    static void wheelOver(Page page, String id, double beyond) {
        for (int i = 0; i < 20; i++) {
            double zoom = ((Number) page.evaluate("() => __vertable.zoom()")).doubleValue();
            if (beyond < 1 ? zoom <= beyond : zoom >= beyond) break;
            JsonObject token = tokenOn(page, id);
            page.mouse().move(token.getDouble("screenX"), token.getDouble("screenY"));
            page.mouse().wheel(0, beyond < 1 ? 300 : -300);
        }
        waitFor(page, "() => !__vertable.renderStats().busy", null);
    }

    @Test
    @Order(40)
    void conditionsAreLabelledChipsAndTheNameLabelFollowsItsSettingReadableAtAnyZoom() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        vault();
        String ogre = vaultToken("Ogre Chief", 175, 385);
        String bat = vaultToken("Cave Bat", 385, 385);
        waitFor(player, "id => !!__vertable.tokens().find(t => t.id === id)", bat);

        // The GM ticks two conditions and types a custom one, and shows the name always.
        openEditor(gm, ogre);
        gm.check("[data-testid=condition-prone]");
        gm.check("[data-testid=condition-poisoned]");
        gm.fill("[data-testid=condition-custom]", "Hasted");
        gm.press("[data-testid=condition-custom]", "Enter");
        gm.selectOption("[data-testid=edit-name-visibility]", "always");
        gm.click("[data-testid=edit-save]");

        // Pip's map draws them as chips with short labels, and the name under the token.
        waitFor(
                player,
                "id => { const m = __vertable.tokenMarks(id); return m?.chips.join() === 'PRN,POI,HAS' && m.name === 'Ogre Chief'; }",
                ogre);
        assertThat(marksOn(player, bat))
                .as("a token with no conditions and its name on hover")
                .isNull();
        waitFor(
                gm,
                "() => [...document.querySelectorAll('[data-testid=selection-fact]')].some(e => e.textContent === 'Conditions: Prone, Poisoned, Hasted')",
                null);
        screenshot(player, "table-token-marks.png", true);
        // The marks are a quad of their own: the token's quad stays the size of the bat's, which has none (drawn into
        // one texture, a wide name pill made the whole quad wide, and a software GPU fills every pixel of it).
        JsonObject ogreQuads = quadsOf(player, ogre);
        JsonObject batQuads = quadsOf(player, bat);
        assertThat(ogreQuads.getJsonArray("body").getDouble(0))
                .as("width of the ogre's own quad")
                .isCloseTo(batQuads.getJsonArray("body").getDouble(0), within(1.0));
        assertThat(ogreQuads.getJsonArray("body").getDouble(1))
                .as("height of the ogre's own quad")
                .isCloseTo(batQuads.getJsonArray("body").getDouble(1), within(1.0));
        assertThat(ogreQuads.getJsonArray("marks")).as("the ogre's marks quad").isNotNull();
        assertThat(batQuads.getJsonArray("marks"))
                .as("the bat has no marks quad")
                .isNull();

        // Chips keep about one size on screen, zoomed far out and far in.
        player.click("[data-testid=zoom-fit]");
        wheelOver(player, ogre, 0.3);
        double out = marksOn(player, ogre).getDouble("chipPx");
        wheelOver(player, ogre, 2.5);
        double in = marksOn(player, ogre).getDouble("chipPx");
        screenshot(player, "table-token-marks-zoomed.png", false);
        assertThat(out).as("chip height zoomed out").isBetween(11.0, 20.0);
        assertThat(in).as("chip height zoomed in").isBetween(11.0, 20.0);
        player.click("[data-testid=zoom-fit]");

        // The hover card names everything in full: the name and the conditions.
        JsonObject shown = tokenOn(player, ogre);
        player.mouse().move(shown.getDouble("screenX"), shown.getDouble("screenY"));
        player.waitForSelector("[data-testid=token-hover-conditions]");
        assertThat(player.textContent("[data-testid=token-hover]"))
                .contains("Ogre Chief")
                .contains("Prone, Poisoned, Hasted");
        JsonObject other = tokenOn(player, bat);
        player.mouse().move(other.getDouble("screenX"), other.getDouble("screenY"));
        waitFor(player, "() => document.querySelector('[data-testid=token-hover]')?.textContent === 'Cave Bat'", null);
        player.mouse().move(5, 5);

        // A look is redrawn when it changes, not when the token only moves.
        int before = redraws(player);
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "token.move")
                        .put("tokenId", ogre)
                        .put("x", 245)
                        .put("y", 385));
        waitFor(player, TableIT.AT, List.of(ogre, 245, 385));
        assertThat(redraws(player)).as("a move redraws no look").isEqualTo(before);
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "token.update")
                        .put("tokenId", ogre)
                        .put("conditions", new JsonArray().add("stunned")));
        waitFor(player, "id => __vertable.tokenMarks(id)?.chips.join() === 'STN'", ogre);
        assertThat(redraws(player))
                .as("a change of conditions redraws that one look")
                .isEqualTo(before + 1);

        // "never": the server sends no name, so the card has nothing to say about the bat.
        gmSocket.ok(
                "vtt.in.map",
                new JsonObject().put("op", "token.update").put("tokenId", bat).put("nameVisibility", "never"));
        waitFor(player, "id => __vertable.tokens().find(t => t.id === id)?.name === ''", bat);
        other = tokenOn(player, bat);
        player.mouse().move(other.getDouble("screenX"), other.getDouble("screenY"));
        player.mouse().move(other.getDouble("screenX") + 2, other.getDouble("screenY"));
        waitFor(player, "() => document.querySelector('[data-testid=token-hover]')?.hidden === true", null);
        player.mouse().move(5, 5);
        consoleErrors.forEach((who, errors) ->
                assertThat(errors).as("console errors of " + who).isEmpty());
    }

    @Test
    @Order(41)
    void pastedCopiesBecomeTheSelectionAndCutTokensArePastedAfterTheyAreGone() {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        vault();
        String wolf1 = vaultToken("Wolf 1", 105, 595);
        String wolf2 = vaultToken("Wolf 2", 175, 595);
        waitFor(gm, "id => !!__vertable.tokens().find(t => t.id === id)", wolf2);
        gm.click("[data-testid=zoom-fit]");
        JsonObject first = tokenOn(gm, wolf1);
        gm.mouse().click(first.getDouble("screenX"), first.getDouble("screenY"));
        JsonObject second = tokenOn(gm, wolf2);
        gm.keyboard().down("Shift");
        gm.mouse().click(second.getDouble("screenX"), second.getDouble("screenY"));
        gm.keyboard().up("Shift");
        waitFor(gm, "() => __vertable.picked().length === 2", null);

        // Ctrl+C, point, Ctrl+V: the copies are selected, the originals are not.
        gm.keyboard().press("Control+c");
        double[] spot = at(gm, 420, 665);
        gm.mouse().move(spot[0], spot[1]);
        gm.keyboard().press("Control+v");
        String copiesSelected = "([x, y]) => { const p = __vertable.picked(); return p.length === 2 && p.every(id => {"
                + " const t = __vertable.tokens().find(t => t.id === id); return t && t.y === y && t.x >= x; }); }";
        waitFor(gm, copiesSelected, List.of(385, 665));
        assertThat(
                        gm.evaluate(
                                "() => __vertable.picked().map(id => __vertable.tokens().find(t => t.id === id).name).sort().join()"))
                .isEqualTo("Wolf 1,Wolf 2");

        // Ctrl+X takes the copies off the map for everyone, without a question; Ctrl+V brings them back, selected.
        gm.keyboard().press("Control+x");
        waitFor(player, "() => !__vertable.tokens().some(t => t.y === 665)", null);
        assertThat(gm.locator("[role=dialog]").count()).isZero();
        double[] later = at(gm, 630, 735);
        gm.mouse().move(later[0], later[1]);
        gm.keyboard().press("Control+v");
        waitFor(gm, copiesSelected, List.of(595, 735));
        waitFor(
                player,
                "() => __vertable.tokens().filter(t => t.y === 735).map(t => t.name + '@' + t.x).sort().join() === 'Wolf 1@595,Wolf 2@665'",
                null);
        assertThat(tokenOn(player, wolf1)).as("the originals stay").isNotNull();

        // With words of the side column highlighted, Ctrl+C is the browser's copy even while tokens are selected: the
        // copy event fires only when the map did not take the key (it prevents the default when it does).
        gm.evaluate("() => { window.__copiedText = null; document.addEventListener('copy', () =>"
                + " (window.__copiedText = document.getSelection().toString()), { once: true }); }");
        gm.locator("[data-testid=side] h2 >> visible=true").first().dblclick();
        String highlighted = (String) gm.evaluate("() => document.getSelection().toString()");
        assertThat(highlighted).as("words highlighted in the side column").isNotBlank();
        gm.keyboard().press("Control+c");
        waitFor(gm, "text => window.__copiedText === text", highlighted);
        assertThat(gm.evaluate("() => __vertable.picked().length"))
                .as("the tokens stay selected")
                .isEqualTo(2);
        screenshot(gm, "table-pasted-selection.png", false);

        // The bar pastes too (a phone has no Ctrl+V): one more pair, one cell down and right of the copied ones.
        gm.mouse().move(5, 5);
        gm.click("[data-testid=multi-paste]");
        waitFor(player, "() => __vertable.tokens().filter(t => t.y === 735).length === 4", null);
        consoleErrors.forEach((who, errors) ->
                assertThat(errors).as("console errors of " + who).isEmpty());
    }

    /**
     * The topmost dark (outline) pixel of each column of an image; the image's height where a column has none. An
     * outline drawn with mitred joins shows a thin spike above sharp letters such as M.
     */
    static int[] outlineTops(java.awt.image.BufferedImage image) {
        int[] tops = new int[image.getWidth()];
        for (int x = 0; x < image.getWidth(); x++) {
            tops[x] = image.getHeight();
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y);
                int brightest = Math.max((rgb >> 16) & 0xff, Math.max((rgb >> 8) & 0xff, rgb & 0xff));
                if (brightest < 35) {
                    tops[x] = y;
                    break;
                }
            }
        }
        return tops;
    }

    @Test
    @Order(42)
    void aSharedMeasurementsLabelShowsNoStrayMarks() throws IOException {
        Page gm = pages.get("gm");
        Page player = pages.get("pip");
        vault();
        gm.click("[data-testid=zoom-fit]");
        player.click("[data-testid=zoom-fit]");
        gm.click("[data-testid=tool-ruler]");
        double[] from = at(gm, 805, 175);
        double[] to = at(gm, 945, 175);
        pressAndMove(gm, from, to, 6);
        waitFor(player, "() => __vertable.measures().some(m => m.op === 'ruler' && m.to[0] === 945)", null);
        waitFor(player, "() => !__vertable.renderStats().busy", null);
        // The label starts 12 px right of and below the ruler's end: "<the GM's name>: 10 ft" (M, K and w in it).
        double[] end = at(player, 945, 175);
        byte[] png = player.screenshot(new Page.ScreenshotOptions().setClip(end[0] + 6, end[1] - 4, 300, 40));
        Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(Path.of("target", "screenshots", "shared-ruler-label.png"), png);
        gm.mouse().up();
        gm.click("[data-testid=tool-select]");
        int[] tops = outlineTops(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)));
        assertThat(java.util.Arrays.stream(tops).min().orElseThrow())
                .as("the label's outline is in the picture")
                .isLessThan(30);
        // A column dark from the picture's top edge down is a grid line or the panel's border, not the label.
        for (int x = 2; x < tops.length - 2; x++) {
            assertThat(tops[x] > 0 && tops[x] + 3 < tops[x - 2] && tops[x] + 3 < tops[x + 2])
                    .as("a thin spike above the label's letters at column " + x + " of "
                            + java.util.Arrays.toString(tops))
                    .isFalse();
        }
    }
}
