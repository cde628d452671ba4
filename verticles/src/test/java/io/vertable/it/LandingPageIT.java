package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertable.node.Node;
import io.vertable.testing.Browsers;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built client, served by a running node, in headless Chromium. */
class LandingPageIT {

    static Node node;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void start() {
        node = Node.start(TestNodes.config(
                TestNodes.standalone("browser-node", "http:1,persistence:1", TestStorage.freshDatabase("browser"))));
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
    void landingPageShowsTheNodesHealth() {
        List<String> consoleErrors = new CopyOnWriteArrayList<>();
        try (var context = browser.newContext()) {
            Page page = context.newPage();
            page.onConsoleMessage(message -> {
                if (message.type().equals("error")) consoleErrors.add(message.text());
            });
            page.navigate("http://127.0.0.1:" + node.httpPort() + "/");
            page.waitForSelector("#node-status[data-status=up]");

            assertThat(page.title()).isEqualTo("Vertable");
            assertThat(page.textContent("#node-status")).isEqualTo("Ready");
            assertThat(page.textContent("#node-id")).isEqualTo("browser-node");
            assertThat(page.textContent("#node-plan")).isEqualTo("http × 1, persistence × 1");
            assertThat(page.textContent("[data-check=postgres]")).isEqualTo("postgres: up");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "landing.png")));
        }
        assertThat(consoleErrors).isEmpty();
    }
}
