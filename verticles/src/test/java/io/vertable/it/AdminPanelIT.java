package io.vertable.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Browsers;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertable.testing.WebUi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin panel in headless Chromium against one in-process node running every verticle: GMs and players each in
 * their own browser context, driving the real pages; the room's events are made over the real bridge.
 */
class AdminPanelIT {

    static Node node;
    static Rest rest;
    static Playwright playwright;
    static Browser browser;
    static String operator;

    @BeforeAll
    static void start() {
        node = Node.start(TestNodes.config(TestNodes.standalone(
                        "admin-node",
                        "http:1,bridge:1,map:1,dice:1,chat:1,persistence:1",
                        TestStorage.freshDatabase("admin_panel"))
                .mergeIn(TestNodes.generousBridgeLimits(), true)));
        rest = new Rest(node.httpPort());
        // The first account of a fresh database is the operator (server role ADMIN); every GM below is not.
        operator = "operator";
        Rest.Reply registered = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", operator)
                        .put("password", WebUi.PASSWORD)
                        .put("displayName", "Olga Operator"));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.body().getJsonObject("user").getBoolean("admin")).isTrue();
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (node != null) node.shutdown();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Locator byText(Page page, String selector, String text) {
        return page.locator(selector)
                .filter(new Locator.FilterOptions().setHasText(text))
                .first();
    }

    @Test
    void gmInvitesAPlayerWhoJoinsThenChangesTheirRoleAndKicksThem() {
        try (var gm = new WebUi(browser, node.httpPort());
                var player = new WebUi(browser, node.httpPort())) {
            gm.signUp(unique("gm"), "Gwen the GM");
            String roomId = gm.createRoom("Crimson Keep");
            gm.page.click("[data-room-id='" + roomId + "'] [data-testid=open-admin]");
            assertThat(gm.page.locator("[data-testid=admin-title]")).hasText("Crimson Keep");

            gm.page.click("[data-testid=tab-invites]");
            assertThat(gm.page.locator("[data-testid=invites-status]")).hasText("No invites yet — create one above.");
            gm.page.fill("[data-testid=invite-max-uses]", "5");
            gm.page.click("[data-testid=invite-create]");
            Locator invite = gm.page.locator("[data-testid=invite-item]").first();
            assertThat(invite).containsText("Used 0 of 5");
            invite.locator("[data-testid=copy-invite]").click();
            assertThat(invite.locator("[data-testid=copy-feedback]")).hasText("Copied!");
            String link =
                    gm.page.evaluate("() => navigator.clipboard.readText()").toString();
            String code = invite.getAttribute("data-code");
            assertThat(link).isEqualTo(gm.url("/join/" + code));

            player.page.navigate(link);
            assertThat(player.page.locator("[data-testid=join-title]")).hasText("Join “Crimson Keep”");
            player.page.fill("[data-testid=join-display-name]", "Pip");
            player.page.click("[data-testid=join-submit]");
            player.page.waitForURL(Pattern.compile(".*/table\\.html\\?room=" + roomId + "$"));

            // A player opening the room's admin panel is told why it is not theirs.
            player.open("/admin.html?room=" + roomId);
            assertThat(player.page.locator("[data-testid=not-gm] h1")).hasText("You are not a GM of this room");

            gm.page.click("[data-testid=tab-members]");
            Locator pip = byText(gm.page, "[data-testid=member-row]", "Pip");
            assertThat(pip).isVisible();
            gm.screenshot("admin-room.png");

            pip.locator("[data-testid=member-role]").selectOption("OBSERVER");
            assertThat(gm.page.locator("[data-testid=members-status]")).hasText("Pip is now OBSERVER.");
            assertThat(byText(gm.page, "[data-testid=member-row]", "Pip")).hasAttribute("data-role", "OBSERVER");
            assertThat(memberRole(gm.token(), roomId, player.userId())).isEqualTo("OBSERVER");

            // The last GM cannot step down: the server's refusal reads as advice.
            byText(gm.page, "[data-testid=member-row]", "Gwen the GM")
                    .locator("[data-testid=member-role]")
                    .selectOption("PLAYER");
            assertThat(gm.page.locator("[data-testid=members-status]"))
                    .hasText("A room needs at least one GM: make someone else GM first.");
            assertThat(byText(gm.page, "[data-testid=member-row]", "Gwen the GM"))
                    .hasAttribute("data-role", "GM");

            byText(gm.page, "[data-testid=member-row]", "Pip")
                    .locator("[data-testid=kick-member]")
                    .click();
            gm.page.click("[data-testid=kick-member-yes]");
            assertThat(gm.page.locator("[data-testid=members-status]")).containsText("Pip was removed");
            assertThat(byText(gm.page, "[data-testid=member-row]", "Pip")).hasCount(0);
            assertThat(memberRole(gm.token(), roomId, player.userId())).isNull();

            // Revoked: the link now explains itself.
            gm.page.click("[data-testid=tab-invites]");
            gm.page.click("[data-code='" + code + "'] [data-testid=revoke-invite]");
            gm.page.click("[data-code='" + code + "'] [data-testid=revoke-invite-yes]");
            assertThat(gm.page.locator("[data-testid=invites-status]")).hasText("No invites yet — create one above.");
            player.page.navigate(link);
            assertThat(player.page.locator("[data-testid=join-panel]")).hasAttribute("data-code", "INVITE_INVALID");
            assertThat(player.page.locator("[data-testid=join-status]"))
                    .hasText("This invite link does not exist or was revoked. Ask your GM for a new link.");

            assertThat(gm.consoleErrors()).isEmpty();
            assertThat(player.consoleErrors()).isEmpty();
        }
    }

    private static String memberRole(String token, String roomId, String userId) {
        JsonArray members =
                rest.get("/api/rooms/" + roomId + "/members", token).body().getJsonArray("members");
        return members.stream()
                .map(JsonObject.class::cast)
                .filter(m -> m.getString("userId").equals(userId))
                .map(m -> m.getString("role"))
                .findFirst()
                .orElse(null);
    }

    @Test
    void exportThenImportMakesANewRoomListedOnTheLandingPage() {
        try (var gm = new WebUi(browser, node.httpPort())) {
            gm.signUp(unique("gm"), "Ezra");
            String roomId = gm.createRoom("Sunken Archive");
            long events = playSomeMoves(gm, roomId);
            gm.open("/admin.html?room=" + roomId + "#room");

            Download download = gm.page.waitForDownload(() -> gm.page.click("[data-testid=export-room]"));
            assertThat(gm.page.locator("[data-testid=export-status]")).containsText("Exported " + events + " events (");
            Path file = Path.of("target", "screenshots", "export-" + roomId + ".zip");
            download.saveAs(file);
            assertThat(download.suggestedFilename())
                    .startsWith("vertable-sunken-archive-")
                    .endsWith(".zip");

            gm.page.setInputFiles("[data-testid=import-file]", file);
            gm.page.click("[data-testid=import-submit]");
            Locator imported = gm.page.locator("[data-testid=imported-room-link]");
            assertThat(imported).isVisible();
            assertThat(gm.page.locator("[data-testid=import-status]"))
                    .containsText("Imported “Sunken Archive” (" + events + " events)");
            String newRoom = imported.getAttribute("href").replaceAll(".*room=", "");
            assertThat(newRoom).isNotEqualTo(roomId);
            assertThat(gm.page.locator("[data-testid=import-progress]")).isHidden();

            // An archive whose entry would land outside its folder is refused readably, on the page.
            Path traversal = Path.of("target", "screenshots", "traversal.zip");
            writeZip(traversal, "../../outside.txt");
            gm.page.setInputFiles("[data-testid=import-file]", traversal);
            gm.page.click("[data-testid=import-submit]");
            assertThat(gm.page.locator("[data-testid=import-status]"))
                    .hasText("The import was refused. The entry '../../outside.txt' would be written outside the"
                            + " archive's folder. The archive was not trusted and nothing was imported; export the room"
                            + " again.");

            // A file that is not an export is refused readably.
            Path notJson = Path.of("target", "screenshots", "not-an-export.json");
            writeText(notJson, "{\"format\":\"something-else\"}");
            gm.page.setInputFiles("[data-testid=import-file]", notJson);
            gm.page.click("[data-testid=import-submit]");
            assertThat(gm.page.locator("[data-testid=import-status]"))
                    .hasText("The import was refused. Not a Vertable room export (a ZIP archive, or JSON of format"
                            + " vertable-room/1). Choose a .zip (or older .json) exported by Vertable; nothing was"
                            + " imported.");

            gm.open("/");
            Locator rooms = gm.page
                    .locator("[data-testid=room-item]")
                    .filter(new Locator.FilterOptions().setHasText("Sunken Archive"));
            assertThat(rooms).hasCount(2);
            assertThat(gm.page.locator("[data-room-id='" + newRoom + "'] [data-testid=room-role]"))
                    .hasText("GM");
            assertThat(gm.consoleErrors()).isEmpty();
        }
    }

    private static void writeText(Path file, String text) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A scene with a grid, two tokens (one moved, one hidden), fog covering all but a revealed corner and a line
     * drawn, over the bridge as the GM's table would send them. Returns the room's last seq.
     */
    private static long playSomeMoves(WebUi gm, String roomId) {
        try (Player table = new Player(node.vertx(), node.bridgePort(), gm.token(), gm.userId(), roomId, true)) {
            table.join();
            table.ok(
                    Addresses.IN_MAP,
                    new JsonObject()
                            .put("op", "scene.create")
                            .put("name", "Cellar")
                            .put("width", 1400)
                            .put("height", 900)
                            .put("grid", new JsonObject().put("size", 70)));
            String scene = table.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                    .getJsonObject("view")
                    .getString("activeScene");
            table.ok(Addresses.IN_MAP, token(scene, "Aria Swift", "#c62828", 105, 105));
            table.ok(
                    Addresses.IN_MAP,
                    token(scene, "Bone Golem", "#37474f", 700, 455).put("hidden", true));
            String aria = table
                    .ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                    .getJsonObject("view")
                    .getJsonObject("tokens")
                    .stream()
                    .map(e -> (JsonObject) e.getValue())
                    .filter(t -> t.getString("name").equals("Aria Swift"))
                    .findFirst()
                    .orElseThrow()
                    .getString("id");
            table.ok(
                    Addresses.IN_MAP,
                    new JsonObject()
                            .put("op", "token.move")
                            .put("tokenId", aria)
                            .put("x", 315)
                            .put("y", 245));
            table.ok(
                    Addresses.IN_MAP,
                    new JsonObject()
                            .put("op", "fog.reset")
                            .put("sceneId", scene)
                            .put("enabled", true)
                            .put("covered", true));
            table.ok(
                    Addresses.IN_MAP,
                    new JsonObject()
                            .put("op", "fog.reveal")
                            .put("sceneId", scene)
                            .put(
                                    "shape",
                                    new JsonObject()
                                            .put("kind", "rect")
                                            .put("x", 0)
                                            .put("y", 0)
                                            .put("w", 560)
                                            .put("h", 420)));
            return table.ok(
                            Addresses.IN_MAP,
                            new JsonObject()
                                    .put("op", "drawing.create")
                                    .put("sceneId", scene)
                                    .put("kind", "line")
                                    .put("color", "#1565c0")
                                    .put(
                                            "points",
                                            new JsonArray()
                                                    .add(new JsonArray()
                                                            .add(140)
                                                            .add(350))
                                                    .add(new JsonArray()
                                                            .add(490)
                                                            .add(350))))
                    .getLong("seq");
        }
    }

    private static JsonObject token(String scene, String name, String color, double x, double y) {
        return new JsonObject()
                .put("op", "token.create")
                .put("sceneId", scene)
                .put("name", name)
                .put("color", color)
                .put("x", x)
                .put("y", y);
    }

    @Test
    void replayListsTheRoomsEventsAndDrawsTheMapAtAnyPoint() {
        try (var gm = new WebUi(browser, node.httpPort())) {
            gm.signUp(unique("gm"), "Rhea");
            String roomId = gm.createRoom("Replay Room");
            long last = playSomeMoves(gm, roomId);
            JsonArray logged = rest.get("/api/rooms/" + roomId + "/events", gm.token())
                    .body()
                    .getJsonArray("events");
            assertThat((long) logged.size()).isEqualTo(last);

            gm.open("/admin.html?room=" + roomId + "#replay");
            Locator events = gm.page.locator("[data-testid=replay-event]");
            assertThat(events).hasCount(logged.size());
            for (int i = 0; i < logged.size(); i++) {
                assertThat(events.nth(i))
                        .hasAttribute("data-type", logged.getJsonObject(i).getString("type"));
            }
            Locator canvas = gm.page.locator("[data-testid=replay-canvas]");
            // At the end: both tokens (the hidden one too: this is the GM's view), fog on.
            assertThat(canvas).hasAttribute("data-seq", String.valueOf(last));
            assertThat(canvas).hasAttribute("data-tokens", "2");
            assertThat(gm.page.locator("[data-testid=replay-position]"))
                    .containsText("After event " + last + " of " + last);
            gm.screenshot("admin-replay.png");

            // Back to the scene's creation: no token yet.
            events.nth(0).locator("button").click();
            assertThat(canvas).hasAttribute("data-seq", "1");
            assertThat(canvas).hasAttribute("data-tokens", "0");
            gm.page.click("[data-testid=replay-forward]");
            gm.page.click("[data-testid=replay-forward]");
            assertThat(canvas).hasAttribute("data-seq", "3");
            assertThat(canvas).hasAttribute("data-tokens", "1");
            gm.page.click("[data-testid=replay-first]");
            assertThat(canvas).hasAttribute("data-seq", "0");
            // Play runs to the end by itself.
            gm.page.click("[data-testid=replay-play]");
            assertThat(canvas)
                    .hasAttribute(
                            "data-seq",
                            String.valueOf(last),
                            new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions()
                                    .setTimeout(30_000));
            assertThat(gm.page.locator("[data-testid=replay-play]")).hasText("▶ Play");

            // The map is the server's rebuilt state (no second reducer in the page).
            assertThat(gm.page.locator("[data-testid=replay-source]")).hasAttribute("data-source", "server");
            assertThat(gm.consoleErrors()).isEmpty();
        }
    }

    @Test
    void anOperatorSeesTheClusterAndRescalesAVerticle() {
        try (var admin = new WebUi(browser, node.httpPort())) {
            admin.signIn(operator);
            assertThat(admin.page.locator("[data-testid=admin-badge]")).isVisible();
            admin.open("/admin.html#cluster");
            Locator card = admin.page.locator("[data-testid=cluster-node][data-node=admin-node]");
            assertThat(card.locator("[data-testid=cluster-node-status]")).hasText("UP");
            for (String verticle : new String[] {"http", "bridge", "map", "dice", "chat", "persistence"}) {
                assertThat(card.locator("[data-testid=cluster-verticle][data-verticle=" + verticle + "]"))
                        .isVisible();
            }
            Locator dice = card.locator("[data-testid=cluster-verticle][data-verticle=dice]");
            assertThat(dice.locator("[data-testid=verticle-instances]")).hasText("1");
            admin.screenshot("admin-cluster.png");

            dice.locator("[data-testid=rescale-instances]").fill("2");
            dice.locator("[data-testid=rescale-apply]").click();
            assertThat(dice.locator(".confirm-question")).hasText("Scale dice on admin-node from 1 to 2?");
            dice.locator("[data-testid=rescale-apply-yes]").click();
            assertThat(admin.page.locator("[data-testid=rescale-status]"))
                    .hasText("dice on admin-node: 1 → 2 instances.");
            assertThat(admin.page.locator(
                            "[data-testid=cluster-verticle][data-verticle=dice] [data-testid=verticle-instances]"))
                    .hasText("2");

            // Out of range is caught before asking the server.
            Locator chat = admin.page.locator("[data-testid=cluster-verticle][data-verticle=chat]");
            chat.locator("[data-testid=rescale-instances]").fill("99");
            chat.locator("[data-testid=rescale-apply]").click();
            chat.locator("[data-testid=rescale-apply-yes]").click();
            assertThat(admin.page.locator("[data-testid=rescale-status]"))
                    .hasText("Instances are a whole number from 0 to 64.");
            assertThat(admin.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aGmWhoIsNoOperatorGetsNoClusterPage() {
        try (var gm = new WebUi(browser, node.httpPort())) {
            gm.signUp(unique("gm"), "Nadia");
            assertThat(gm.page.locator("[data-testid=admin-badge]")).hasCount(0);
            gm.open("/admin.html#cluster");
            assertThat(gm.page.locator("[data-testid=cluster-refused]"))
                    .hasText("The cluster page is for operators (server role ADMIN) only.");
            assertThat(gm.page.locator("[data-testid=tab-cluster]")).hasCount(0);
            assertThat(gm.page.locator("[data-testid=panel-rooms]")).isVisible();
            assertThat(rest.get("/api/admin/cluster", gm.token()).code()).isEqualTo("ADMIN_ONLY");
            assertThat(gm.consoleErrors()).isEmpty();
        }
    }

    @Test
    void anEndedSessionSignsInAgainOverThePanelAndKeepsWhatWasTyped() {
        try (var gm = new WebUi(browser, node.httpPort())) {
            String username = unique("gm");
            gm.signUp(username, "Tess");
            String roomId = gm.createRoom("Long Session");
            gm.open("/admin.html?room=" + roomId + "#invites");
            gm.page.fill("[data-testid=invite-max-uses]", "3");
            // Another tab logged out: this page's token is revoked.
            assertThat(rest.post("/api/auth/logout", gm.token(), null).status()).isEqualTo(204);
            gm.page.click("[data-testid=invite-create]");
            Locator reauth = gm.page.locator("[data-testid=reauth]");
            assertThat(reauth.locator("[data-testid=auth-notice]"))
                    .hasText("Your session ended — sign in again. Nothing you typed is lost.");
            reauth.locator("[data-testid=auth-username]").fill(username);
            reauth.locator("[data-testid=auth-password]").fill(WebUi.PASSWORD);
            reauth.locator("[data-testid=auth-submit]").click();
            assertThat(reauth).hasCount(0);
            assertThat(gm.page.locator("[data-testid=invite-max-uses]")).hasValue("3");
            gm.page.click("[data-testid=invite-create]");
            assertThat(gm.page.locator("[data-testid=invite-item]").first()).containsText("Used 0 of 3");
            assertThat(gm.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aGmUploadsSeesAndDeletesAnImageAndReadsTheTablesDice() throws Exception {
        try (var gm = new WebUi(browser, node.httpPort())) {
            gm.signUp(unique("gm"), "Ada");
            String roomId = gm.createRoom("Gallery");
            gm.open("/admin.html?room=" + roomId + "#assets");
            assertThat(gm.page.locator("[data-testid=assets-status]"))
                    .hasText("No images yet — upload a map or a token picture.");

            // A real PNG is stored and shown from its bytes (fetched with the session, not a public URL).
            Path png = Path.of("target", "screenshots", "dungeon-map.png");
            java.nio.file.Files.createDirectories(png.getParent());
            var image = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
            javax.imageio.ImageIO.write(image, "png", png.toFile());
            gm.page.setInputFiles("[data-testid=asset-file]", png);
            gm.page.click("[data-testid=asset-upload]");
            assertThat(gm.page.locator("[data-testid=upload-status]")).hasText("dungeon-map.png uploaded.");
            Locator item = gm.page.locator("[data-testid=asset-item]");
            assertThat(item).hasCount(1);
            gm.page.waitForFunction(
                    "() => document.querySelector('[data-testid=asset-item] img')?.naturalWidth === 40");

            // Text named like a PNG passes the page's type check and is refused by the server, which reads bytes.
            Path fake = Path.of("target", "screenshots", "notes.png");
            writeText(fake, "not an image at all");
            gm.page.setInputFiles("[data-testid=asset-file]", fake);
            gm.page.click("[data-testid=asset-upload]");
            assertThat(gm.page.locator("[data-testid=upload-status]"))
                    .hasText("The server did not recognise that file as an image. Upload a PNG, JPEG, WebP or GIF.");
            // A file the browser itself knows is no image is refused before any upload.
            Path text = Path.of("target", "screenshots", "notes.txt");
            writeText(text, "not an image");
            gm.page.setInputFiles("[data-testid=asset-file]", text);
            assertThat(gm.page.locator("[data-testid=upload-status]"))
                    .hasText("“notes.txt” is not a PNG, JPEG, WebP or GIF image.");
            assertThat(item).hasCount(1);

            item.locator("[data-testid=delete-asset]").click();
            item.locator("[data-testid=delete-asset-yes]").click();
            assertThat(gm.page.locator("[data-testid=assets-status]"))
                    .hasText("No images yet — upload a map or a token picture.");

            // Dice: two rolls at the table, then the statistics count them, d20 faces included.
            gm.page.click("[data-testid=tab-dice]");
            assertThat(gm.page.locator("[data-testid=dice-status]")).hasText("No dice rolled in this room yet.");
            try (Player table = new Player(node.vertx(), node.bridgePort(), gm.token(), gm.userId(), roomId, true)) {
                table.join();
                table.ok(Addresses.IN_DICE, new JsonObject().put("op", "roll").put("expression", "1d20+2"));
                table.ok(Addresses.IN_DICE, new JsonObject().put("op", "roll").put("expression", "4d6k3"));
            }
            gm.page.reload(); // the URL is already #dice: a reload reads the statistics again
            Locator player = gm.page.locator("[data-testid=dice-player]");
            assertThat(player).hasCount(1);
            assertThat(player.locator("[data-testid=dice-rolls]")).hasText("2 rolls");
            assertThat(player).containsText("d20 faces over 1 dice");
            assertThat(gm.consoleErrors()).isEmpty();
        }
    }

    /** A ZIP file of one small entry under the given name. */
    private static void writeZip(Path file, String entryName) {
        try {
            Files.createDirectories(file.getParent());
            try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
                zip.putNextEntry(new java.util.zip.ZipEntry(entryName));
                zip.write("x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
