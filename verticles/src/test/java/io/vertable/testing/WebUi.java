package io.vertable.testing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * One person's browser on the client: its own context (storage, clipboard), the console errors it logged, and the
 * steps every browser test repeats (sign up and in through the forms, read the session the page keeps).
 */
public final class WebUi implements AutoCloseable {

    /**
     * Chromium logs every 4xx answer to fetch as "Failed to load resource"; the pages show those refusals on purpose.
     * GPU warnings and the favicon are noise too. Anything else logged as an error fails the test.
     */
    private static final Pattern EXPECTED_NOISE = Pattern.compile(
            "Failed to load resource: the server responded with a status of 4\\d\\d.*|.*favicon.*|.*GPU.*|.*WebGL.*");

    private static final double TIMEOUT_MS = 15_000;

    public final BrowserContext context;
    public final Page page;
    private final String origin;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    public WebUi(Browser browser, int httpPort) {
        this.origin = "http://127.0.0.1:" + httpPort;
        this.context = browser.newContext(new Browser.NewContextOptions()
                .setPermissions(List.of("clipboard-read", "clipboard-write"))
                .setAcceptDownloads(true));
        context.setDefaultTimeout(TIMEOUT_MS);
        this.page = context.newPage();
        watch(page);
    }

    /** Console errors and uncaught exceptions of any page of this context are collected. */
    public Page watch(Page target) {
        target.onConsoleMessage(message -> {
            if (message.type().equals("error")
                    && !EXPECTED_NOISE.matcher(message.text()).matches())
                consoleErrors.add(target.url() + ": " + message.text());
        });
        target.onPageError(error -> consoleErrors.add(target.url() + ": uncaught " + error));
        return target;
    }

    public List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    public String url(String path) {
        return origin + path;
    }

    public Page open(String path) {
        page.navigate(url(path));
        return page;
    }

    /** Creates an account through the landing page's form and waits for "my rooms". */
    public void signUp(String username, String displayName) {
        open("/");
        page.click("[data-testid=auth-mode-register]");
        fillCredentials(username);
        page.fill("[data-testid=auth-display-name]", displayName);
        page.click("[data-testid=auth-submit]");
        assertThat(page.locator("[data-testid=rooms-panel]")).isVisible();
    }

    public void signIn(String username) {
        open("/");
        fillCredentials(username);
        page.click("[data-testid=auth-submit]");
        assertThat(page.locator("[data-testid=rooms-panel]")).isVisible();
    }

    private void fillCredentials(String username) {
        page.fill("[data-testid=auth-username]", username);
        page.fill("[data-testid=auth-password]", PASSWORD);
    }

    public static final String PASSWORD = "a long enough secret";

    /** Creates a room with the landing page's form; returns its id. */
    public String createRoom(String name) {
        page.fill("[data-testid=create-room-name]", name);
        page.click("[data-testid=create-room-submit]");
        var item = page.locator("[data-testid=room-item]")
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(name))
                .first();
        assertThat(item).isVisible();
        return item.getAttribute("data-room-id");
    }

    /** The session the page keeps in localStorage: {user, token, expiresAt}. */
    public JsonObject session() {
        Object stored = page.evaluate("() => localStorage.getItem('vertable.session')");
        return stored == null ? null : new JsonObject(stored.toString());
    }

    public String token() {
        return session().getString("token");
    }

    public String userId() {
        return session().getJsonObject("user").getString("id");
    }

    /** A screenshot under target/screenshots (docs/screenshots holds a copy of the ones the README shows). */
    public void screenshot(String name) {
        Path folder = Path.of("target", "screenshots");
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(
                new Page.ScreenshotOptions().setPath(folder.resolve(name)).setFullPage(true));
    }

    @Override
    public void close() {
        context.close();
    }
}
