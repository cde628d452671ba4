package io.vertable.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertable.node.Node;
import io.vertable.testing.Browsers;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The people at a table and what they keep, in headless Chromium: each person in their own browser context, driven
 * with real clicks and keys; the GM's part set up through REST where the flow under test is the player's.
 */
class PeopleIT {

    static final double TIMEOUT_MS = 20_000;

    static Node node;
    static Rest rest;
    static io.vertable.kit.PgUrl database;
    static Playwright playwright;
    static Browser browser;
    final List<BrowserContext> contexts = new ArrayList<>();
    final List<Seat> seats = new ArrayList<>();

    /** One person's page, every WebSocket frame it received, and what it logged as an error. */
    record Seat(Page page, List<String> frames, List<String> errors) {}

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("people");
        JsonObject overrides = TestNodes.standalone(
                        "people-node", "http:1,bridge:1,map:1,dice:1,chat:1,persistence:1", database)
                .mergeIn(TestNodes.generousBridgeLimits(), true);
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (node != null) node.shutdown();
    }

    @AfterEach
    void closeContexts() {
        for (Seat seat : seats) assertThat(seat.errors()).as("console errors").isEmpty();
        contexts.forEach(BrowserContext::close);
    }

    Seat seat(JsonObject user, String token, String path, int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        context.setDefaultTimeout(TIMEOUT_MS);
        contexts.add(context);
        JsonObject stored = new JsonObject()
                .put("user", user)
                .put("token", token)
                .put("expiresAt", System.currentTimeMillis() + 50 * 60_000);
        context.addInitScript("localStorage.setItem('vertable.session', " + TableIT.jsString(stored.encode()) + ");");
        Page page = context.newPage();
        List<String> frames = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        page.onWebSocket(ws -> ws.onFrameReceived(frame -> frames.add(frame.text())));
        page.onConsoleMessage(message -> {
            if (message.type().equals("error")
                    && !TableIT.knownNoise(message.text())
                    && !message.text().startsWith("Failed to load resource: the server responded with a status of 4"))
                errors.add(message.text());
        });
        page.onPageError(error -> errors.add("page error: " + error));
        page.navigate("http://127.0.0.1:" + node.httpPort() + path);
        Seat seat = new Seat(page, frames, errors);
        seats.add(seat);
        return seat;
    }

    Seat table(Table table, JsonObject joined) {
        return table(table, joined, 1280, 800);
    }

    Seat table(Table table, JsonObject joined, int width, int height) {
        Seat seat = seat(
                joined.getJsonObject("user"),
                joined.getString("token"),
                "/table.html?room=" + table.roomId(),
                width,
                height);
        TableIT.waitReady(seat.page());
        return seat;
    }

    Seat gmTable(Table table) {
        return table(table, gmSession(table));
    }

    static JsonObject gmSession(Table table) {
        return new JsonObject()
                .put("user", new JsonObject().put("id", table.gmId()).put("displayName", "GM"))
                .put("token", table.gmToken());
    }

    static String role(Page page) {
        return (String) page.evaluate("() => __vertable.state().role");
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name)));
    }

    // ---- roles that follow ----

    @Test
    void aRoleChangeSwitchesThePagesAbilitiesWithoutAReload() {
        Table room = Table.create(rest, "Roles");
        JsonObject ann = room.join("Ann", "PLAYER");
        Page page = table(room, ann).page();
        page.evaluate("() => { window.__sameDocument = true; }");
        assertThat(page.locator("[data-testid=tab-dice]")).isVisible();
        assertThat(page.locator("[data-testid=tab-gm]")).hasCount(0);

        String member = "/api/rooms/" + room.roomId() + "/members/" + Table.userId(ann);
        assertThat(rest.patch(member, room.gmToken(), new JsonObject().put("role", "OBSERVER"))
                        .status())
                .isEqualTo(200);
        TableIT.waitFor(page, "() => __vertable.state().role === 'OBSERVER' && __vertable.state().ready", null);
        assertThat(page.locator("[data-testid=tab-dice]")).hasCount(0);
        assertThat(page.locator("[data-testid=toast]").filter(new Locator.FilterOptions().setHasText("observer")))
                .isVisible();
        assertThat(page.locator("[data-testid=connection-status]")).hasAttribute("data-state", "connected");

        assertThat(rest.patch(member, room.gmToken(), new JsonObject().put("role", "GM"))
                        .status())
                .isEqualTo(200);
        TableIT.waitFor(page, "() => __vertable.state().role === 'GM'", null);
        openTab(page, "gm");
        assertThat(page.locator("[data-testid=tool-fog-rect]")).isVisible();
        assertThat(page.evaluate("() => window.__sameDocument === true")).isEqualTo(true);

        // The same role again (the server still closes the socket): the page keeps hearing the room.
        assertThat(rest.patch(member, room.gmToken(), new JsonObject().put("role", "GM"))
                        .status())
                .isEqualTo(200);
        TableIT.waitFor(page, "() => __vertable.connection() === 'connected' && __vertable.state().ready", null);
        Page gmPage = gmTable(room).page();
        say(gmPage, "still with us?");
        // Heard while the GM tab is open: the Chat tab counts it until it is looked at.
        assertThat(page.locator("[data-testid=unread-chat]")).hasText("1");
        openTab(page, "chat");
        assertThat(messages(page, "still with us?")).isVisible();
        assertThat(page.locator("[data-testid=unread-chat]")).hasCount(0);
    }

    @Test
    void aKickedAndABannedPlayersTablesCloseAndSayWhy() {
        Table room = Table.create(rest, "Exits");
        JsonObject bo = room.join("Bo", "PLAYER");
        JsonObject cy = room.join("Cy", "PLAYER");
        Seat boSeat = table(room, bo);
        Page boPage = boSeat.page();
        Page cyPage = table(room, cy).page();
        String members = "/api/rooms/" + room.roomId() + "/members/";

        assertThat(rest.delete(members + Table.userId(bo), room.gmToken()).status())
                .isEqualTo(200);
        assertThat(boPage.locator("[data-testid=removed]")).containsText("You were removed from this table");
        assertThat(boPage.locator("[data-testid=connection-status]")).hasAttribute("data-state", "removed");
        assertThat(boPage.locator("[data-testid=connection-status]")).not().containsText("Connected");

        assertThat(rest.delete(members + Table.userId(cy) + "?ban=true", room.gmToken())
                        .status())
                .isEqualTo(200);
        assertThat(cyPage.locator("[data-testid=removed]")).containsText("banned");
        // A reload does not bring the table back either: the page says why at once.
        cyPage.reload();
        assertThat(cyPage.locator("[data-testid=problem], [data-testid=removed]"))
                .containsText("banned");
    }

    @Test
    void theGmUnbansRenamesArchivesAndDeletesFromTheAdminPanel() {
        Table room = Table.create(rest, "Old Keep");
        JsonObject dee = room.join("Dee", "PLAYER");
        assertThat(rest.delete(
                                "/api/rooms/" + room.roomId() + "/members/" + Table.userId(dee) + "?ban=true",
                                room.gmToken())
                        .status())
                .isEqualTo(200);
        Page admin = seat(
                        gmSession(room).getJsonObject("user"),
                        room.gmToken(),
                        "/admin.html?room=" + room.roomId() + "#members",
                        1280,
                        800)
                .page();
        Locator banned = admin.locator("[data-testid=banned-row]");
        assertThat(banned).containsText("Dee");
        banned.locator("[data-testid=unban-member]").click();
        admin.locator("[data-testid=unban-member-yes]").click();
        assertThat(admin.locator("[data-testid=banned-row]")).hasCount(0);
        String code = rest.post("/api/rooms/" + room.roomId() + "/invites", room.gmToken(), new JsonObject())
                .body()
                .getString("code");
        assertThat(rest.post("/api/invites/" + code + "/accept", dee.getString("token"), new JsonObject())
                        .status())
                .isEqualTo(200);

        admin.click("[data-testid=tab-room]");
        admin.click("[data-testid=room-rename]");
        Locator dialog = admin.locator("[role=dialog]");
        dialog.locator("input").fill("New Keep");
        dialog.locator("input").press("Enter");
        assertThat(admin.locator("[data-testid=panel-room] [data-testid=room-name]"))
                .hasText("New Keep");

        assertThat(admin.locator("[data-testid=room-archived]")).isHidden();
        admin.click("[data-testid=room-archive]");
        admin.locator("[role=dialog] button[type=submit]").click();
        assertThat(admin.locator("[data-testid=room-archived]")).isVisible();
        assertThat(rest.get("/api/rooms", dee.getString("token")).body().encode())
                .doesNotContain(room.roomId());

        Seat player = table(room, dee);
        admin.click("[data-testid=room-delete]");
        admin.locator("[role=dialog] input").fill("new keep");
        admin.locator("[role=dialog] button[type=submit]").click();
        assertThat(admin.locator("[data-testid=room-status]")).containsText("not the room");
        admin.click("[data-testid=room-delete]");
        admin.locator("[role=dialog] input").fill("New Keep");
        admin.locator("[role=dialog] button[type=submit]").click();
        admin.waitForURL("**/");
        assertThat(player.page().locator("[data-testid=removed]")).containsText("deleted");
        assertThat(rest.get("/api/rooms/" + room.roomId(), room.gmToken()).status())
                .isEqualTo(403);
    }

    // ---- chat tools ----

    static Locator messages(Page page, String text) {
        return page.locator("[data-testid=chat-log] [data-testid=chat-message]")
                .filter(new Locator.FilterOptions().setHasText(text));
    }

    /** Opens a side panel by its tab, as a person would (a second press on the open tab would fold a phone's sheet). */
    static void openTab(Page page, String id) {
        Locator tab = page.locator("[data-testid=tab-" + id + "]");
        if (!"true".equals(tab.getAttribute("aria-selected"))
                || "false".equals(page.locator("[data-testid=side-tabs]").getAttribute("data-sheet-open"))) tab.click();
        assertThat(page.locator("[data-testid=panel-" + id + "]")).isVisible();
    }

    static void say(Page page, String text) {
        openTab(page, "chat");
        page.locator("[data-testid=chat-input]").fill(text);
        page.locator("[data-testid=chat-input]").press("Enter");
    }

    @Test
    void whispersArePickedByNameAndReachOnlyThosePicked() {
        Table room = Table.create(rest, "Whispers");
        JsonObject ann = room.join("Ann Lee", "PLAYER");
        JsonObject bob = room.join("Bob", "PLAYER");
        JsonObject cat = room.join("Cat", "PLAYER");
        Seat gm = gmTable(room);
        Page annPage = table(room, ann).page();
        Seat bobSeat = table(room, bob);
        Seat catSeat = table(room, cat);

        annPage.locator("[data-testid=whisper-to]").focus();
        annPage.waitForFunction(
                "() => [...document.querySelectorAll('[data-testid=whisper-to] option')].some(o => o.textContent === 'Bob')");
        annPage.locator("[data-testid=whisper-to]")
                .selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Bob"));
        say(annPage, "meet me by the well");
        assertThat(messages(bobSeat.page(), "meet me by the well").locator("[data-testid=whisper-label]"))
                .hasText("Whisper from Ann Lee to you");
        assertThat(messages(annPage, "meet me by the well").locator("[data-testid=whisper-label]"))
                .hasText("Whisper to Bob");

        annPage.locator("[data-testid=whisper-to]")
                .selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("GM (whisper)"));
        say(annPage, "I pocket the ruby");
        assertThat(messages(gm.page(), "I pocket the ruby").locator("[data-testid=whisper-label]"))
                .hasText("Whisper from Ann Lee to the GMs");

        annPage.locator("[data-testid=whisper-to]").selectOption("");
        say(annPage, "hello all");
        assertThat(messages(catSeat.page(), "hello all")).isVisible();
        assertThat(String.join("\n", catSeat.frames()))
                .doesNotContain("meet me by the well")
                .doesNotContain("ruby");
        assertThat(String.join("\n", gm.frames())).doesNotContain("meet me by the well");
    }

    @Test
    void inlineRollsEditsDeletesSearchAndRollLabels() {
        Table room = Table.create(rest, "Chatter");
        JsonObject ann = room.join("Ann", "PLAYER");
        JsonObject bob = room.join("Bob", "PLAYER");
        Seat gm = gmTable(room);
        Page annPage = table(room, ann).page();
        Page bobPage = table(room, bob).page();

        say(annPage, "I swing [[1d20+4]] at the door");
        Locator swing = messages(bobPage, "at the door");
        assertThat(swing.locator("[data-testid=inline-roll]")).hasCount(1);
        assertThat(swing.locator("[data-testid=chat-text]")).not().containsText("[[");
        assertThat(swing.locator("[data-testid=chat-text]")).containsText("I swing ");

        say(annPage, "the door is locked");
        Locator line = messages(annPage, "the door is locked");
        line.locator("[data-testid=chat-edit]").click();
        annPage.locator("[role=dialog] input").fill("the door is open");
        annPage.locator("[role=dialog] input").press("Enter");
        Locator edited = messages(bobPage, "the door is open");
        assertThat(edited.locator("[data-testid=chat-edited]")).isVisible();
        // Bob may not edit or delete Ann's words; a line with an inline roll is not editable even by its author.
        assertThat(edited.locator("[data-testid=chat-edit]")).hasCount(0);
        assertThat(edited.locator("[data-testid=chat-delete]")).hasCount(0);
        assertThat(messages(annPage, "at the door").locator("[data-testid=chat-edit]"))
                .hasCount(0);

        say(bobPage, "spam spam spam");
        messages(gm.page(), "spam spam spam")
                .locator("[data-testid=chat-delete]")
                .click();
        gm.page().locator("[role=dialog] button[type=submit]").click();
        assertThat(messages(annPage, "spam spam spam")).hasCount(0);
        assertThat(annPage.locator("[data-testid=chat-deleted]")).hasCount(1);

        bobPage.click("[data-testid=chat-search-toggle]");
        bobPage.fill("[data-testid=chat-search-input]", "door");
        bobPage.press("[data-testid=chat-search-input]", "Enter");
        assertThat(bobPage.locator("[data-testid=chat-search-status]")).hasText("2 messages found.");
        assertThat(bobPage.locator("[data-testid=chat-search-results]")).containsText("the door is open");

        // Labels: the GM's own GM roll, and a blind roll as its roller sees it.
        openTab(gm.page(), "dice");
        gm.page().selectOption("[data-testid=roll-mode]", "gm");
        gm.page().click("[data-testid=roll-d20]");
        openTab(gm.page(), "chat");
        assertThat(gm.page().locator("[data-testid=mode-label]").last()).hasText("GM roll (only the GMs see it)");
        openTab(annPage, "dice");
        annPage.selectOption("[data-testid=roll-mode]", "blind");
        annPage.click("[data-testid=roll-d12]");
        openTab(annPage, "chat");
        assertThat(annPage.locator("[data-testid=blind-teaser]"))
                .hasText("You rolled 1d12 in secret: only the GM sees the result.");
        assertThat(annPage.locator("[data-testid=blind-teaser] ~ [data-testid=roll-card]"))
                .hasCount(0);
        screenshot(annPage, "people-chat-1280.png");
    }

    // ---- character sheets ----

    static void fillDialog(Page page, String label, String value) {
        page.locator("[role=dialog] label")
                .filter(new Locator.FilterOptions().setHasText(label))
                .locator("input")
                .fill(value);
    }

    @Test
    void aPlayerKeepsASheetAndRollsWithItAndTheGmsNpcsNeverReachThem() {
        Table room = Table.create(rest, "Sheets");
        JsonObject ann = room.join("Ann", "PLAYER");
        Seat gm = gmTable(room);
        Seat annSeat = table(room, ann);
        Page annPage = annSeat.page();
        Page gmPage = gm.page();

        // The GM's NPC, made through the same panel: nobody plays it.
        openTab(gmPage, "sheets");
        gmPage.click("[data-testid=sheet-new]");
        fillDialog(gmPage, "Name", "Lich King");
        gmPage.locator("[role=dialog] select").selectOption("");
        gmPage.locator("[role=dialog] button[type=submit]").click();
        assertThat(gmPage.locator("[data-testid=sheet-item]")
                        .filter(new Locator.FilterOptions().setHasText("Lich King")))
                .containsText("NPC · hidden from players");
        gmPage.click("[data-testid=attribute-add]");
        gmPage.locator("[data-testid=attribute-name]").last().fill("phylactery");
        gmPage.locator("[data-testid=attribute-value]").last().fill("99");
        gmPage.click("[data-testid=sheet-save]");
        assertThat(gmPage.locator("[data-testid=sheet-save]")).hasText("Saved");

        // Ann's own sheet: created, filled, saved, rolled with.
        openTab(annPage, "sheets");
        annPage.click("[data-testid=sheet-new]");
        fillDialog(annPage, "Name", "Ayla");
        annPage.locator("[role=dialog] input").press("Enter");
        assertThat(annPage.locator("[data-testid=sheet-name]")).hasValue("Ayla");
        annPage.click("[data-testid=attribute-add]");
        annPage.locator("[data-testid=attribute-name]").last().fill("str");
        annPage.locator("[data-testid=attribute-value]").last().fill("3");
        annPage.fill("[data-testid=sheet-notes]", "Raised by wolves.");
        annPage.click("[data-testid=sheet-save]");
        assertThat(annPage.locator("[data-testid=sheet-save]")).hasText("Saved");
        annPage.locator("[data-testid=attribute-roll]").first().click();
        openTab(annPage, "chat");
        Locator card = messages(annPage, "Ayla: str").locator("[data-testid=roll-card]");
        assertThat(card).containsText("1d20+@str");
        int total = Integer.parseInt(
                card.locator("[data-testid=roll-total]").innerText().trim());
        int die = Integer.parseInt(
                card.locator("[data-testid=die]").first().innerText().trim());
        assertThat(total).isEqualTo(die + 3);
        annPage.locator("[data-testid=speak-as]")
                .selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Ayla"));
        say(annPage, "For the pack!");
        assertThat(messages(gmPage, "For the pack!").locator(".who")).hasText("Ayla (Ann)");
        assertThat(card.locator("xpath=..").locator(".who")).hasText("Ayla (Ann)");
        say(annPage, "/r 1d20+@str # typed");
        assertThat(messages(gmPage, "typed").locator("[data-testid=roll-card]")).containsText("1d20+@str");

        // The GM sees and edits Ann's sheet; Ann's open panel follows.
        openTab(gmPage, "sheets");
        openTab(annPage, "sheets");
        gmPage.locator("[data-testid=sheet-item]")
                .filter(new Locator.FilterOptions().setHasText("Ayla"))
                .click();
        assertThat(gmPage.locator("[data-testid=sheet-item]").filter(new Locator.FilterOptions().setHasText("Ayla")))
                .containsText("Ann");
        gmPage.locator("[data-testid=attribute-value]").first().fill("5");
        gmPage.click("[data-testid=sheet-save]");
        assertThat(annPage.locator("[data-testid=attribute-value]").first()).hasValue("5");

        assertThat(annPage.locator("[data-testid=sheet-item]")).hasCount(1);
        String annReceived = String.join("\n", annSeat.frames());
        assertThat(annReceived).doesNotContain("Lich King").doesNotContain("phylactery");
        screenshot(annPage, "people-sheets-1280.png");
    }

    /** Clicks a token where the page draws it (its centre, on screen). */
    static void clickToken(Page page, String tokenId) {
        TableIT.waitFor(page, "id => __vertable.tokens().some(t => t.id === id)", tokenId);
        JsonObject token = TableIT.tokenOn(page, tokenId);
        page.mouse().click(token.getDouble("screenX"), token.getDouble("screenY"));
        assertThat(page.locator("[data-testid=selection-name]")).hasText(token.getString("name"));
    }

    @Test
    void tokensOpenTheirSheetsAndSheetsShowTheirPortraitButAnNpcsSheetStaysTheGms() {
        Table room = Table.create(rest, "Portraits");
        JsonObject ann = room.join("Ann", "PLAYER");
        Seat gm = gmTable(room);
        Seat annSeat = table(room, ann);
        Page annPage = annSeat.page();
        Page gmPage = gm.page();
        io.vertable.testing.Player gmSocket = new io.vertable.testing.Player(
                node.vertx(), node.bridgePort(), room.gmToken(), room.gmId(), room.roomId(), true);
        try {
            gmSocket.join();
            // The GM's library has a picture; the GM's NPC and Ann's own sheet are made in the panel.
            gmPage.locator("[data-testid=library-upload]")
                    .setInputFiles(new com.microsoft.playwright.options.FilePayload("ayla.png", "image/png", png()));
            assertThat(gmPage.locator("[data-testid=library-item]")).hasCount(1);
            openTab(gmPage, "sheets");
            gmPage.click("[data-testid=sheet-new]");
            fillDialog(gmPage, "Name", "Fen Witch");
            gmPage.locator("[role=dialog] select").selectOption("");
            gmPage.locator("[role=dialog] button[type=submit]").click();
            openTab(annPage, "sheets");
            annPage.click("[data-testid=sheet-new]");
            fillDialog(annPage, "Name", "Ayla");
            annPage.locator("[role=dialog] input").press("Enter");
            assertThat(annPage.locator("[data-testid=sheet-name]")).hasValue("Ayla");

            // The GM gives Ayla a portrait from the library; Ann's open sheet shows it.
            Locator ayla =
                    gmPage.locator("[data-testid=sheet-item]").filter(new Locator.FilterOptions().setHasText("Ayla"));
            ayla.click();
            gmPage.locator("[data-testid=sheet-portrait-pick]")
                    .selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("ayla.png"));
            gmPage.click("[data-testid=sheet-save]");
            assertThat(gmPage.locator("[data-testid=sheet-save]")).hasText("Saved");
            assertThat(annPage.locator("[data-testid=sheet-portrait]")).isVisible();
            annPage.waitForFunction("() => document.querySelector('[data-testid=sheet-portrait]')?.naturalWidth > 0");
            assertThat(annPage.locator("[data-testid=sheet-portrait-pick]")).hasCount(0);

            JsonObject sheets = gmSocket.ok("vtt.in.dice", new JsonObject().put("op", "character.list"));
            String witchSheet = null;
            for (Object c : sheets.getJsonArray("characters"))
                if ("Fen Witch".equals(((JsonObject) c).getString("name")))
                    witchSheet = ((JsonObject) c).getString("id");
            long sceneSeq = gmSocket.ok(
                            "vtt.in.map",
                            new JsonObject().put("op", "scene.create").put("name", "Fen"))
                    .getLong("seq");
            String scene = gmSocket.awaitSeq(sceneSeq).getJsonObject("data").getString("sceneId");
            gmSocket.ok(
                    "vtt.in.map", new JsonObject().put("op", "scene.activate").put("sceneId", scene));
            String witch = createToken(gmSocket, scene, "Old woman", 300, 300, null, witchSheet);
            String annToken = createToken(gmSocket, scene, "Ayla", 500, 300, Table.userId(ann), null);

            // Ann links her token to her sheet in the token's editor, and opens the sheet from it.
            openTab(annPage, "chat");
            clickToken(annPage, annToken);
            annPage.click("[data-testid=token-edit]");
            annPage.locator("[data-testid=edit-sheet]")
                    .selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Ayla"));
            annPage.locator("[data-testid=token-editor] button[type=submit]").click();
            assertThat(annPage.locator("[data-testid=token-editor]")).hasCount(0);
            long linked = gmSocket.awaitEvent(e -> "token.updated".equals(e.getString("type"))
                            && annToken.equals(e.getJsonObject("data").getString("tokenId")))
                    .getLong("seq");
            TableIT.waitFor(annPage, "seq => __vertable.seq() >= seq", (int) linked);
            annPage.click("[data-testid=token-edit]");
            annPage.click("[data-testid=edit-open-sheet]");
            assertThat(annPage.locator("[data-testid=tab-sheets]")).hasAttribute("aria-selected", "true");
            assertThat(annPage.locator("[data-testid=sheet-name]")).hasValue("Ayla");
            screenshot(annPage, "people-token-sheet-player.png");

            // The witch's token is in plain sight for Ann; its sheet opens for the GM only.
            clickToken(annPage, witch);
            assertThat(annPage.locator("[data-testid=token-edit]")).hasCount(0);
            openTab(gmPage, "chat");
            clickToken(gmPage, witch);
            gmPage.click("[data-testid=token-edit]");
            assertThat(gmPage.locator("[data-testid=edit-sheet] option:checked"))
                    .hasText("Fen Witch (NPC)");
            screenshot(gmPage, "people-token-sheet-gm-editor.png");
            gmPage.click("[data-testid=edit-open-sheet]");
            assertThat(gmPage.locator("[data-testid=sheet-name]")).hasValue("Fen Witch");

            // The GM drags Ayla's sheet onto the map: a token linked to it, Ann's, wearing the portrait.
            Locator map = gmPage.locator("[data-testid=map]");
            gmPage.locator("[data-testid=sheet-item]")
                    .filter(new Locator.FilterOptions().setHasText("Ayla"))
                    .dragTo(map, new Locator.DragToOptions().setTargetPosition(map.boundingBox().width / 2, 120));
            JsonObject placed = gmSocket.awaitEvent(e -> "token.created".equals(e.getString("type"))
                            && e.getJsonObject("data").getString("sheetId") != null
                            && "Ayla".equals(e.getJsonObject("data").getString("name"))
                            && e.getJsonObject("data").getJsonArray("owners").size() == 1
                            && e.getJsonObject("data").getString("image") != null)
                    .getJsonObject("data");
            assertThat(placed.getString("name")).isEqualTo("Ayla");
            assertThat(placed.getJsonArray("owners")).containsExactly(Table.userId(ann));
            assertThat(placed.getString("sheetId")).isNotEqualTo(sheetOf(gmSocket, witch));
            TableIT.waitFor(annPage, "id => __vertable.tokens().some(t => t.id === id)", placed.getString("tokenId"));
            screenshot(annPage, "people-sheet-dropped-player.png");
            assertThat(String.join("\n", annSeat.frames())).doesNotContain("Fen Witch");
        } finally {
            gmSocket.close();
        }
    }

    /** The sheet a token is linked to, as the GM's view has it. */
    static String sheetOf(io.vertable.testing.Player gm, String tokenId) {
        return gm.ok("vtt.in.room", new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getJsonObject("tokens")
                .getJsonObject(tokenId)
                .getString("sheetId");
    }

    static String createToken(
            io.vertable.testing.Player gm, String scene, String name, double x, double y, String owner, String sheet) {
        JsonObject body = new JsonObject()
                .put("op", "token.create")
                .put("sceneId", scene)
                .put("name", name)
                .put("x", x)
                .put("y", y);
        if (owner != null) body.put("owners", new io.vertx.core.json.JsonArray().add(owner));
        if (sheet != null) body.put("sheetId", sheet);
        return gm.awaitSeq(gm.ok("vtt.in.map", body).getLong("seq"))
                .getJsonObject("data")
                .getString("tokenId");
    }

    // ---- dice settings and verification ----

    static String sha256(String hex) throws Exception {
        byte[] seed = java.util.HexFormat.of().parseHex(hex);
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(seed));
    }

    static Locator check(Page page, String flavor) {
        openTab(page, "chat");
        Locator card = messages(page, flavor).locator("[data-testid=roll-card]").first();
        Locator details = card.locator("details.roll-verify");
        if (!Boolean.TRUE.equals(details.evaluate("d => d.open")))
            details.locator("summary").click();
        card.locator("[data-testid=verify-roll]").click();
        return card.locator("[data-testid=verify-result]");
    }

    @Test
    void theGmSetsTheDiceAndAnyoneVerifiesARollOnceItsSeedIsRevealed() throws Exception {
        Table room = Table.create(rest, "Fair dice");
        JsonObject ann = room.join("Ann", "PLAYER");
        Page gmPage = gmTable(room).page();
        Page annPage = table(room, ann).page();

        openTab(annPage, "dice");
        openTab(gmPage, "dice");
        String before = annPage.locator("[data-testid=dice-commitment]").innerText();
        assertThat(before).matches("[0-9a-f]{64}");
        assertThat(gmPage.locator("[data-testid=dice-commitment]")).hasText(before);
        assertThat(annPage.locator("[data-testid=dice-rotate]")).hasCount(0);

        say(annPage, "/r 4d6+2 # honest");
        say(annPage, "/r 1d20 # doctored");
        assertThat(check(annPage, "honest")).containsText("still secret");

        openTab(annPage, "dice");
        gmPage.selectOption("[data-testid=dice-dialect-choice]", "foundry");
        assertThat(annPage.locator("[data-testid=dice-dialect]")).hasText("Foundry");
        gmPage.click("[data-testid=dice-rotate]");
        gmPage.locator("[role=dialog] button[type=submit]").click();
        assertThat(annPage.locator("[data-testid=dice-revealed]")).isVisible();
        String seed = annPage.locator("[data-testid=dice-revealed]").innerText();
        assertThat(sha256(seed)).isEqualTo(before);
        assertThat(annPage.locator("[data-testid=dice-commitment]")).not().hasText(before);
        assertThat(annPage.locator("[data-testid=dice-commitment]"))
                .hasText(gmPage.locator("[data-testid=dice-commitment]").innerText());
        openTab(gmPage, "chat");

        assertThat(check(annPage, "honest")).hasAttribute("data-outcome", "match");
        assertThat(check(gmPage, "honest")).hasAttribute("data-outcome", "match");

        // A server that changed a stored roll afterwards: the shown die (and total), then the drawn number itself.
        try (java.sql.Connection c = TestStorage.jdbc(database);
                java.sql.Statement sql = c.createStatement()) {
            sql.executeUpdate(
                    "UPDATE chat_messages SET data = jsonb_set(jsonb_set(data, '{rolls,0,dice,0,rolls,0,value}',"
                            + " to_jsonb(((data #>> '{rolls,0,dice,0,rolls,0,value}')::int % 20) + 1)), '{rolls,0,total}',"
                            + " to_jsonb(((data #>> '{rolls,0,dice,0,rolls,0,value}')::int % 20) + 1))"
                            + " WHERE room_id = '" + room.roomId() + "' AND data->>'flavor' = 'doctored'");
            sql.executeUpdate("UPDATE chat_messages SET data = jsonb_set(data, '{rolls,0,draws,0,1}',"
                    + " to_jsonb(((data #>> '{rolls,0,draws,0,1}')::int % 6) + 1))"
                    + " WHERE room_id = '" + room.roomId() + "' AND data->>'flavor' = 'honest'");
        }
        annPage.reload();
        TableIT.waitReady(annPage);
        Locator doctored = check(annPage, "doctored");
        assertThat(doctored).hasAttribute("data-outcome", "mismatch");
        assertThat(doctored).containsText("not the dice that were drawn");
        Locator redrawn = check(annPage, "honest");
        assertThat(redrawn).hasAttribute("data-outcome", "mismatch");
        assertThat(redrawn).containsText("die 1 should be");
        screenshot(annPage, "people-dice-1280.png");
    }

    // ---- on a phone ----

    @Test
    void thePanelsFitAPhone() {
        Table room = Table.create(rest, "Pocket table");
        JsonObject ann = room.join("Ann", "PLAYER");
        Page gmPage = gmTable(room).page();
        Page phone = table(room, ann, 390, 844).page();
        say(phone, "Hello from a phone, I roll [[1d20+2]]");
        openTab(phone, "sheets");
        phone.click("[data-testid=sheet-new]");
        fillDialog(phone, "Name", "Pocket Rogue");
        phone.locator("[role=dialog] input").press("Enter");
        phone.click("[data-testid=attribute-add]");
        phone.locator("[data-testid=attribute-name]").last().fill("dex");
        phone.locator("[data-testid=attribute-value]").last().fill("4");
        phone.click("[data-testid=sheet-save]");
        assertThat(phone.locator("[data-testid=sheet-save]")).hasText("Saved");
        assertThat(messages(gmPage, "Hello from a phone")).isVisible();
        openTab(gmPage, "journal");
        gmPage.click("[data-testid=note-new]");
        fillDialog(gmPage, "Title", "Map of the sewers");
        gmPage.locator("[role=dialog] textarea")
                .fill(
                        "A long handout text that has to wrap on a narrow phone screen without any sideways scrolling at all.");
        gmPage.locator("[role=dialog] select").selectOption("all");
        gmPage.locator("[role=dialog] button[type=submit]").click();
        assertThat(phone.locator("[data-testid=handouts] [data-testid=note]")).hasCount(1);
        for (String panel : List.of("panel-chat", "panel-dice", "panel-sheets", "panel-journal")) {
            openTab(phone, panel.substring("panel-".length()));
            Locator section = phone.locator("[data-testid=" + panel + "]");
            // Nothing in the panel is wider than the phone: no sideways scrolling to reach a button.
            assertThat(section.evaluate("s => s.scrollWidth <= s.clientWidth + 1"))
                    .as(panel)
                    .isEqualTo(true);
            section.screenshot(new Locator.ScreenshotOptions()
                    .setPath(Path.of("target", "screenshots", "people-" + panel + "-390.png")));
        }
        // Every button of these panels is big enough to hit with a thumb (each looked at while its tab is open).
        List<Object> small = new java.util.ArrayList<>();
        for (String panel : List.of("chat", "dice", "sheets", "journal")) {
            openTab(phone, panel);
            small.addAll((List<?>) phone.evaluate("() => [...document.querySelectorAll('[data-testid=panel-" + panel
                    + "] button')].filter(b => b.offsetParent !== null && b.getBoundingClientRect().height < 36)"
                    + ".map(b => b.textContent || b.title)"));
        }
        assertThat(small).isEmpty();
    }

    // ---- guests who come back ----

    /** A browser that joined through an invite link, as a guest would: the landing page, a name, the table. */
    Seat guestJoins(Table room, String name) {
        String code = rest.post("/api/rooms/" + room.roomId() + "/invites", room.gmToken(), new JsonObject())
                .body()
                .getString("code");
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        context.setDefaultTimeout(TIMEOUT_MS);
        contexts.add(context);
        Page page = context.newPage();
        List<String> frames = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(message -> {
            if (message.type().equals("error")
                    && !TableIT.knownNoise(message.text())
                    && !message.text().startsWith("Failed to load resource: the server responded with a status of 4"))
                errors.add(message.text());
        });
        page.navigate("http://127.0.0.1:" + node.httpPort() + "/join/" + code);
        page.fill("[data-testid=join-display-name]", name);
        page.click("[data-testid=join-submit]");
        page.waitForURL("**/table.html?room=" + room.roomId());
        TableIT.waitReady(page);
        Seat seat = new Seat(page, frames, errors);
        seats.add(seat);
        return seat;
    }

    static String sessionUser(Page page) {
        return (String)
                page.evaluate("() => JSON.parse(localStorage.getItem('vertable.session') ?? 'null')?.user?.id ?? null");
    }

    /** A week later: the page's session is long over (what the tab kept in storage has expired). */
    static void aWeekPasses(Page page) {
        page.evaluate(
                "() => { const s = JSON.parse(localStorage.getItem('vertable.session'));"
                        + " s.expiresAt = Date.now() - 7 * 86400000; localStorage.setItem('vertable.session', JSON.stringify(s)); }");
    }

    @Test
    void aGuestComesBackOnTheSameBrowserUntilTheGmSignsItOut() {
        Table room = Table.create(rest, "Next week");
        Page guest = guestJoins(room, "Wren").page();
        String wren = sessionUser(guest);
        say(guest, "I was here last week");

        aWeekPasses(guest);
        guest.reload();
        TableIT.waitReady(guest);
        assertThat(sessionUser(guest)).isEqualTo(wren);
        assertThat(messages(guest, "I was here last week").locator(".who")).hasText("Wren");

        Page admin = seat(
                        gmSession(room).getJsonObject("user"),
                        room.gmToken(),
                        "/admin.html?room=" + room.roomId() + "#members",
                        1280,
                        800)
                .page();
        Locator row = admin.locator("[data-testid=member-row]").filter(new Locator.FilterOptions().setHasText("Wren"));
        row.locator("[data-testid=signout-devices]").click();
        row.locator("[data-testid=signout-devices-yes]").click();
        assertThat(admin.locator("[data-testid=members-status]")).containsText("signed out");
        // The table Wren has open closes at once and says why, instead of playing on until its token lapses.
        assertThat(guest.locator("[data-testid=auth-lost-why]"))
                .hasText("The GM signed your browsers out of this table; an invite link from the GM brings you back.");
        screenshot(guest, "people-guest-signed-out.png");

        // The page forgot the ended session; the browser's device credential no longer brings Wren back either.
        guest.reload();
        assertThat(guest.locator("[data-testid=problem]")).containsText("You are not signed in");
    }

    @Test
    void aGuestKeepsTheirNameWithAPassword() {
        Table room = Table.create(rest, "Claims");
        Page guest = guestJoins(room, "Moss").page();
        String moss = sessionUser(guest);
        guest.navigate("http://127.0.0.1:" + node.httpPort() + "/");
        guest.click("[data-testid=claim-account]");
        String username = "moss-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        fillDialog(guest, "Username", username);
        guest.locator("[role=dialog] input[type=password]").fill("a long enough secret");
        guest.locator("[role=dialog] button[type=submit]").click();
        assertThat(guest.locator("[data-testid=claim-account]")).hasCount(0);
        assertThat(guest.locator("[data-testid=open-admin-overview]")).isVisible();
        var login = rest.post(
                "/api/auth/login",
                null,
                new JsonObject().put("username", username).put("password", "a long enough secret"));
        assertThat(Table.userId(login.body())).isEqualTo(moss);
    }

    // ---- journal and handouts ----

    static byte[] png() {
        var image = new java.awt.image.BufferedImage(8, 6, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(2, 2, 0xcc3300);
        var out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void theGmsNotesStayWithTheGmAndHandoutsReachEveryPlayerLive() {
        Table room = Table.create(rest, "Journal");
        JsonObject ann = room.join("Ann", "PLAYER");
        Page gmPage = gmTable(room).page();
        Seat annSeat = table(room, ann);
        Page annPage = annSeat.page();
        openTab(annPage, "journal");
        assertThat(annPage.locator("[data-testid=journal-empty]")).hasText("Nothing has been handed out yet.");

        openTab(gmPage, "journal");
        gmPage.click("[data-testid=note-new]");
        fillDialog(gmPage, "Title", "The lich's lair");
        gmPage.locator("[role=dialog] textarea").fill("Behind the waterfall.\nTrapped.");
        gmPage.locator("[role=dialog] button[type=submit]").click();
        assertThat(gmPage.locator("[data-testid=gm-notes] [data-testid=note]")).hasCount(1);

        gmPage.locator("[data-testid=library-upload]")
                .setInputFiles(new com.microsoft.playwright.options.FilePayload("seal.png", "image/png", png()));
        assertThat(gmPage.locator("[data-testid=library-item]")).hasCount(1);
        gmPage.click("[data-testid=note-new]");
        fillDialog(gmPage, "Title", "A letter");
        gmPage.locator("[role=dialog] textarea").fill("Meet me at the mill at dusk.");
        gmPage.locator("[role=dialog] label")
                .filter(new Locator.FilterOptions().setHasText("Who reads it"))
                .locator("select")
                .selectOption("all");
        gmPage.locator("[role=dialog] label")
                .filter(new Locator.FilterOptions().setHasText("Picture"))
                .locator("select")
                .selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("seal.png"));
        gmPage.locator("[role=dialog] button[type=submit]").click();
        assertThat(annPage.locator("[data-testid=handouts] [data-testid=note-body]"))
                .hasText("Meet me at the mill at dusk.");
        Locator picture = annPage.locator("[data-testid=handouts] [data-testid=note-image]");
        assertThat(picture).isVisible();
        annPage.waitForFunction("() => document.querySelector('[data-testid=note-image]')?.naturalWidth > 0");
        assertThat(String.join("\n", annSeat.frames()))
                .doesNotContain("waterfall")
                .doesNotContain("lich");

        Locator lair = gmPage.locator("[data-testid=note]").filter(new Locator.FilterOptions().setHasText("lair"));
        lair.locator("[data-testid=note-show]").click();
        assertThat(annPage.locator("[data-testid=note]").filter(new Locator.FilterOptions().setHasText("lair")))
                .containsText("Behind the waterfall.");
        gmPage.locator("[data-testid=note]")
                .filter(new Locator.FilterOptions().setHasText("lair"))
                .locator("[data-testid=note-hide]")
                .click();
        assertThat(annPage.locator("[data-testid=note]").filter(new Locator.FilterOptions().setHasText("lair")))
                .hasCount(0);
        screenshot(gmPage, "people-journal-gm-1280.png");
    }

    static Locator choice(Page page, String name) {
        return page.locator("[role=dialog] [data-testid=choices-readers] label")
                .filter(new Locator.FilterOptions().setHasText(name))
                .locator("input[type=checkbox]");
    }

    @Test
    void aHandoutShownToChosenPlayersReachesOnlyThemAndMoreCanBeShownLater() {
        Table room = Table.create(rest, "Letters");
        JsonObject ann = room.join("Ann", "PLAYER");
        JsonObject bea = room.join("Bea", "PLAYER");
        Page gmPage = gmTable(room).page();
        Seat annSeat = table(room, ann);
        Seat beaSeat = table(room, bea);
        openTab(annSeat.page(), "journal");
        openTab(beaSeat.page(), "journal");

        openTab(gmPage, "journal");
        gmPage.click("[data-testid=note-new]");
        fillDialog(gmPage, "Title", "Sealed letter");
        gmPage.locator("[role=dialog] textarea").fill("The duke lies. Trust the miller.");
        gmPage.locator("[role=dialog] label")
                .filter(new Locator.FilterOptions().setHasText("Who reads it"))
                .locator("select")
                .selectOption("chosen");
        assertThat(gmPage.locator("[role=dialog] [data-testid=choices-readers] label"))
                .hasText(new String[] {"Ann", "Bea"});
        choice(gmPage, "Ann").check();
        screenshot(gmPage, "people-handout-chosen-dialog.png");
        gmPage.locator("[role=dialog] button[type=submit]").click();

        assertThat(annSeat.page().locator("[data-testid=handouts] [data-testid=note-body]"))
                .hasText("The duke lies. Trust the miller.");
        Locator letter = gmPage.locator("[data-testid=chosen-handouts] [data-testid=note]");
        assertThat(letter.locator("[data-testid=note-readers]")).hasText("Shown to Ann");
        // Bea's page got later events of the room, but never the letter: not shown, not in any frame.
        gmPage.click("[data-testid=note-new]");
        fillDialog(gmPage, "Title", "Town map");
        gmPage.locator("[role=dialog] label")
                .filter(new Locator.FilterOptions().setHasText("Who reads it"))
                .locator("select")
                .selectOption("all");
        gmPage.locator("[role=dialog] button[type=submit]").click();
        assertThat(beaSeat.page().locator("[data-testid=handouts] [data-testid=note]"))
                .hasText(new String[] {"Town map"});
        assertThat(String.join("\n", beaSeat.frames()))
                .doesNotContain("Sealed letter")
                .doesNotContain("miller");
        screenshot(beaSeat.page(), "people-handout-not-chosen.png");

        letter.locator("[data-testid=note-share]").click();
        assertThat(choice(gmPage, "Ann")).isChecked();
        choice(gmPage, "Bea").check();
        gmPage.locator("[role=dialog] button[type=submit]").click();
        assertThat(beaSeat.page()
                        .locator("[data-testid=note]")
                        .filter(new Locator.FilterOptions().setHasText("Sealed letter")))
                .containsText("Trust the miller.");
        assertThat(letter.locator("[data-testid=note-readers]")).hasText("Shown to Ann, Bea");
        assertThat(annSeat.page().locator("[data-testid=handouts] [data-testid=note]"))
                .hasCount(2);
        screenshot(gmPage, "people-handout-chosen-gm.png");
    }
}
