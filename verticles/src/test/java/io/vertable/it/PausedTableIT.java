package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertable.kit.DeploymentPlan;
import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.testing.Browsers;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A player's table while the database is away: a node with its own embedded PostgreSQL, which is SIGKILLed under a
 * GM's open table. The GM drags a token; the table says it is paused and keeps the move; once the node's supervisor has
 * brought PostgreSQL back, the table sends the move again with the same command id and it is stored exactly once.
 */
class PausedTableIT {

    static final double TIMEOUT_MS = 30_000;
    /** The supervisor restarts PostgreSQL within seconds; far from normal, for a busy machine. */
    static final double COMES_BACK_MS = 90_000;

    /** Under target/, not a temporary folder: the restarted PostgreSQL's files outlive the test class briefly. */
    static final Path dataDir = Path.of("target", "paused-" + System.nanoTime()).toAbsolutePath();

    static Node node;
    static Table table;
    static String tokenId;
    static Playwright playwright;
    static Browser browser;
    static BrowserContext context;
    static Page page;
    static final List<String> sent = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        var config = new JsonObject()
                .put("node", new JsonObject().put("id", "paused").put("dataDir", dataDir.toString()))
                .put(
                        "deploy",
                        DeploymentPlan.parse("http:1,bridge:1,map:1,dice:1,chat:1,persistence:1", "test")
                                .toJson())
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("postgres", new JsonObject().put("url", "").put("embeddedPort", 0))
                .put("redis", new JsonObject().put("url", "").put("embeddedPort", 0))
                .put("shutdown", new JsonObject().put("graceSeconds", 5));
        node = Node.start(TestNodes.config(config.mergeIn(TestNodes.generousBridgeLimits(), true)));
        table = Table.create(new Rest(node.httpPort()), "The Flooded Vault");
        Player gm = Player.gm(node, table);
        gm.join();
        gm.ok(
                "vtt.in.map",
                new JsonObject()
                        .put("op", "scene.create")
                        .put("name", "Vault")
                        .put("width", 1400)
                        .put("height", 1000)
                        .put("grid", new JsonObject().put("type", "square").put("size", 70)));
        tokenId = gm.createTokenOnActiveScene("Wader");
        gm.close();
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
        page = openTable();
    }

    @AfterAll
    static void stop() {
        if (context != null) context.close();
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (node != null) node.shutdown();
    }

    @Test
    void aMoveDuringTheOutageShowsThePausedTableAndIsStoredOnceWithItsCommandIdAfterwards() throws Exception {
        PgUrl url = new PgUrl(node.context().config().section("postgres").getString("url"));
        // Its port taken, PostgreSQL cannot come back until the move has been refused: the outage is certain, not a
        // race between the supervisor's restart and the drag.
        TestStorage.HeldPort portTaken =
                TestStorage.killAndHoldPort(dataDir.resolve("postgres").resolve("postmaster.pid"), url);

        TableIT.mouseDrag(page, tokenId, 490, 350);
        // Among the toasts shown (kept by the page's observer): a toast fades after a few seconds, and on a busy
        // host it could be gone before a look at the page saw it.
        waitFor("() => __toasts.some(text => text.includes('The table is paused'))", TIMEOUT_MS);
        waitFor("() => __vertable.state().queued > 0", TIMEOUT_MS);
        // Shown for as long as it lasts, not only in a toast that fades while the table is still paused.
        String paused = "() => { const s = document.querySelector('[data-testid=connection-status]');"
                + " return s.dataset.state === 'paused' && s.innerText.includes('Paused'); }";
        waitFor(paused, TIMEOUT_MS);
        Path shot = Path.of("target", "screenshots", "table-paused.png");
        page.screenshot(new Page.ScreenshotOptions().setPath(shot));
        portTaken.close();

        waitFor("() => __toasts.some(text => text.includes('The table is back'))", COMES_BACK_MS);
        waitFor("() => __vertable.state().queued === 0 && __vertable.state().pendingMoves === 0", TIMEOUT_MS);
        waitFor(
                "() => document.querySelector('[data-testid=connection-status]').dataset.state === 'connected'",
                TIMEOUT_MS);

        @SuppressWarnings("unchecked")
        List<String> toasts = (List<String>) page.evaluate("() => __toasts");
        assertThat(toasts)
                .as("the outage is said as such, never as a server error")
                .noneMatch(text -> text.contains("Something went wrong"));

        List<String> stored = storedMoveCommandIds();
        assertThat(stored).as("the move is in the log exactly once").hasSize(1);
        // Stored as "<user id>:<the client's command id>".
        String cid = stored.get(0).substring(stored.get(0).indexOf(':') + 1);
        long sends = sent.stream().filter(frame -> frame.contains(cid)).count();
        assertThat(sends)
                .as(
                        "refused while paused, then sent again with the same command id %s; sent: %s",
                        cid, sent.subList(Math.max(0, sent.size() - 12), sent.size()))
                .isGreaterThanOrEqualTo(2);
    }

    // ---- helpers ----

    static Page openTable() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        JsonObject stored = new JsonObject()
                .put("user", new JsonObject().put("id", table.gmId()).put("displayName", "GM"))
                .put("token", table.gmToken())
                .put("expiresAt", System.currentTimeMillis() + 50 * 60_000);
        context.addInitScript("localStorage.setItem('vertable.session', " + TableIT.jsString(stored.encode()) + ");");
        // Every toast the page shows, kept: they fade after a few seconds.
        context.addInitScript("window.__toasts = []; addEventListener('DOMContentLoaded', () => new MutationObserver("
                + "(changes) => changes.forEach((c) => c.addedNodes.forEach((n) => n.dataset?.testid === 'toast'"
                + " && __toasts.push(n.textContent)))).observe(document.body, { childList: true, subtree: true }));");
        Page opened = context.newPage();
        opened.onWebSocket(ws -> ws.onFrameSent(frame -> sent.add(frame.text())));
        // SockJS falls back to XHR when a socket cannot be opened: those sends count too.
        opened.onRequest(request -> {
            if (request.postData() != null) sent.add(request.postData());
        });
        opened.navigate("http://127.0.0.1:" + node.httpPort() + "/table.html?room=" + table.roomId());
        page = opened;
        waitFor(
                "() => window.__vertable && __vertable.state().ready && __vertable.connection() === 'connected'"
                        + " && __vertable.tokens().length > 0",
                TIMEOUT_MS);
        return opened;
    }

    static void waitFor(String predicate, double timeoutMs) {
        waitFor(predicate, null, timeoutMs);
    }

    static void waitFor(String predicate, Object arg, double timeoutMs) {
        try {
            page.waitForFunction(predicate, arg, new Page.WaitForFunctionOptions().setTimeout(timeoutMs));
        } catch (com.microsoft.playwright.TimeoutError e) {
            Path shot = Path.of("target", "screenshots", "paused-timeout-" + System.nanoTime() + ".png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot));
            throw new AssertionError("waited in vain for " + predicate + "; the page is in " + shot, e);
        }
    }

    /** The command ids of the stored moves of the token (one row per stored event). */
    static List<String> storedMoveCommandIds() throws Exception {
        PgUrl url = new PgUrl(node.context().config().section("postgres").getString("url"));
        List<String> ids = new ArrayList<>();
        try (Connection c = TestStorage.jdbc(url);
                var query = c.prepareStatement("SELECT command_id FROM events WHERE room_id = ? AND type ="
                        + " 'token.moved' AND data->>'tokenId' = ? ORDER BY seq")) {
            query.setString(1, table.roomId());
            query.setString(2, tokenId);
            try (var rows = query.executeQuery()) {
                while (rows.next()) ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
