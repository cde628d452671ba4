package io.vertable.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertable.node.Node;
import io.vertable.testing.Browsers;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertable.testing.WebUi;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The landing page, built into the jar and served by a running node, in headless Chromium. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LandingPageIT {

    static Node node;
    static Rest rest;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void start() {
        node = Node.start(TestNodes.config(
                TestNodes.standalone("browser-node", "http:1,persistence:1", TestStorage.freshDatabase("browser"))));
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

    @Test
    @Order(1)
    void theFirstAccountIsTheOperatorAndSeesItsRooms() {
        try (var ui = new WebUi(browser, node.httpPort())) {
            ui.open("/");
            assertThat(ui.page.locator("[data-testid=auth-form]")).isVisible();
            ui.signUp("first", "Fiona First");
            assertThat(ui.page.locator("[data-testid=admin-badge]")).hasText("ADMIN");
            assertThat(ui.page.locator("[data-testid=rooms-status]"))
                    .hasText("No rooms yet — create one above, or open an invite link from your GM.");
            String roomId = ui.createRoom("Crimson Keep");
            assertThat(ui.page.locator("[data-room-id='" + roomId + "'] [data-testid=room-role]"))
                    .hasText("GM");
            assertThat(ui.page.locator("[data-room-id='" + roomId + "'] [data-testid=open-table]"))
                    .hasAttribute("href", "/table.html?room=" + roomId);
            assertThat(ui.page.locator("[data-room-id='" + roomId + "'] [data-testid=open-admin]"))
                    .hasAttribute("href", "/admin.html?room=" + roomId);
            ui.screenshot("landing.png");

            String token = ui.token();
            ui.page.click("[data-testid=logout]");
            assertThat(ui.page.locator("[data-testid=auth-form]")).isVisible();
            assertThat(ui.session()).isNull();
            assertThat(rest.get("/api/rooms", token).code()).isEqualTo("TOKEN_REVOKED");
            ui.signIn("first");
            assertThat(ui.page.locator("[data-testid=room-item]")).hasCount(1);

            // The table's "sign in again" link comes back with ?next=: after signing in, the page it names opens;
            // a next that leaves the site is ignored.
            ui.page.click("[data-testid=logout]");
            ui.open("/?next=" + java.net.URLEncoder.encode("/admin.html?room=" + roomId, StandardCharsets.UTF_8));
            ui.page.fill("[data-testid=auth-username]", "first");
            ui.page.fill("[data-testid=auth-password]", WebUi.PASSWORD);
            ui.page.click("[data-testid=auth-submit]");
            ui.page.waitForURL("**/admin.html?room=" + roomId);
            ui.page.click("[data-testid=logout]");
            assertThat(ui.page.locator("[data-testid=auth-form]")).isVisible(); // the panel went back to /
            // Also when a tab hides the second slash: browsers drop it while parsing, so "/\t/x" means "//x".
            for (String away : java.util.List.of("//evil.example/", "/\t/evil.example/", "/\\evil.example/")) {
                ui.open("/?next=" + java.net.URLEncoder.encode(away, StandardCharsets.UTF_8));
                ui.page.fill("[data-testid=auth-username]", "first");
                ui.page.fill("[data-testid=auth-password]", WebUi.PASSWORD);
                ui.page.click("[data-testid=auth-submit]");
                assertThat(ui.page.locator("[data-testid=rooms-panel]")).isVisible();
                assertThat(ui.page.url()).startsWith(ui.url("/"));
                ui.page.click("[data-testid=logout]");
                assertThat(ui.page.locator("[data-testid=auth-form]")).isVisible();
            }
            assertThat(ui.consoleErrors()).isEmpty();
        }
    }

    @Test
    @Order(2)
    void anEndedSessionAsksToSignInAgainAndKeepsWhatWasTyped() {
        try (var ui = new WebUi(browser, node.httpPort())) {
            ui.signUp("second", "Sam Second");
            assertThat(ui.page.locator("[data-testid=admin-badge]")).hasCount(0);
            // The session is ended elsewhere (another tab logged out): the token this page holds is revoked.
            assertThat(rest.post("/api/auth/logout", ui.token(), null).status()).isEqualTo(204);
            ui.page.fill("[data-testid=create-room-name]", "Half-typed plans");
            ui.page.click("[data-testid=create-room-submit]");
            assertThat(ui.page.locator("[data-testid=auth-notice]"))
                    .hasText("Your session ended — sign in again. Nothing you typed is lost.");
            ui.page.fill("[data-testid=auth-username]", "second");
            ui.page.fill("[data-testid=auth-password]", WebUi.PASSWORD);
            ui.page.click("[data-testid=auth-submit]");
            assertThat(ui.page.locator("[data-testid=create-room-name]")).hasValue("Half-typed plans");
            ui.page.click("[data-testid=create-room-submit]");
            assertThat(ui.page.locator("[data-testid=room-name]")).hasText("Half-typed plans");
            assertThat(ui.consoleErrors()).isEmpty();
        }
    }

    @Test
    @Order(3)
    void deadInvitesSayWhatHappenedAndWhatToDo() {
        try (var ui = new WebUi(browser, node.httpPort())) {
            ui.open("/join/NOSUCHCODE1");
            assertThat(ui.page.locator("[data-testid=join-panel]")).hasAttribute("data-code", "INVITE_INVALID");
            assertThat(ui.page.locator("[data-testid=join-title]")).hasText("This invite cannot be used");
            assertThat(ui.page.locator("[data-testid=join-status]"))
                    .hasText("This invite link does not exist or was revoked. Ask your GM for a new link.");

            // A one-use link someone else already used.
            Table table = Table.create(rest, "One Seat");
            String code = rest.post(
                            "/api/rooms/" + table.roomId() + "/invites",
                            table.gmToken(),
                            new JsonObject().put("maxUses", 1))
                    .body()
                    .getString("code");
            assertThat(rest.post("/api/invites/" + code + "/accept", null, new JsonObject().put("displayName", "Early"))
                            .status())
                    .isEqualTo(200);
            ui.open("/join/" + code);
            assertThat(ui.page.locator("[data-testid=join-panel]")).hasAttribute("data-code", "INVITE_EXHAUSTED");
            assertThat(ui.page.locator("[data-testid=join-status]"))
                    .hasText("This invite link has been used up. Ask your GM for a new link.");
            assertThat(ui.consoleErrors()).isEmpty();
        }
    }

    @Test
    @Order(4)
    void landingPageShowsTheNodesHealth() {
        try (var ui = new WebUi(browser, node.httpPort())) {
            Page page = ui.open("/");
            page.waitForSelector("#node-status[data-status=up]");
            assertThat(page.title()).isEqualTo("Vertable");
            assertThat(page.textContent("#node-status")).isEqualTo("Ready");
            assertThat(page.textContent("#node-id")).isEqualTo("browser-node");
            assertThat(page.textContent("#node-plan")).isEqualTo("http × 1, persistence × 1");
            assertThat(page.textContent("[data-check=postgres]")).isEqualTo("postgres: up");
            assertThat(ui.consoleErrors()).isEmpty();
        }
    }
}
