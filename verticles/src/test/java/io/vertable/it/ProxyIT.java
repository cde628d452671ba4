package io.vertable.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.testing.Browsers;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The table through a real reverse proxy, laid out like the Ingress: Debian's nginx, started by the test, terminates
 * TLS with a throwaway certificate and sends {@code /} to the nodes' HTTP ports and {@code /eventbus} to their bridges
 * (WebSocket upgrade, long timeouts, no buffering), setting {@code X-Forwarded-For}. Two clustered nodes sit behind it
 * with {@code VTT_PUBLIC_URL} set to the proxy's origin; a GM and a player play through {@code https://localhost:<port>/}.
 */
class ProxyIT {

    private static final double TIMEOUT_MS = 30_000;

    static Path dir;
    static Process nginx;
    static int port;
    static final List<Node> nodes = new ArrayList<>();
    static Playwright playwright;
    static Browser browser;
    static final List<BrowserContext> contexts = new ArrayList<>();
    static final List<String> sockets = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path nginxBinary = nginxBinary();
        dir = TestStorage.scratchFolder("proxy");
        port = TestNodes.freePort();
        PgUrl database = TestStorage.freshDatabase("proxy");
        TestCluster cluster = TestCluster.create(2);
        JsonObject behindTheProxy = new JsonObject()
                .put(
                        "http",
                        new JsonObject()
                                .put("publicUrl", origin())
                                .put("trustedProxies", new JsonArray().add("127.0.0.1")))
                .mergeIn(TestNodes.generousBridgeLimits(), true);
        nodes.add(cluster.start(
                "proxy-core", "http:1,bridge:1,map:1,dice:1,chat:1,persistence:1", database, behindTheProxy));
        nodes.add(cluster.start("proxy-edge", "http:1,bridge:1", database, behindTheProxy));
        certificate();
        Files.writeString(dir.resolve("nginx.conf"), config());
        nginx = new ProcessBuilder(
                        nginxBinary.toString(),
                        "-p",
                        dir.toString(),
                        "-e",
                        dir.resolve("error.log").toString(),
                        "-c",
                        dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        awaitListening();
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
    }

    @AfterAll
    static void stop() throws Exception {
        contexts.forEach(BrowserContext::close);
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown, workers included
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) nginx.destroyForcibly();
        }
        nodes.forEach(Node::shutdown);
    }

    @Test
    void aGmAndAPlayerPlayThroughTheProxyOnOneHttpsOrigin() {
        Rest rest = new Rest(nodes.get(0).httpPort());
        Table table = Table.create(rest, "Behind the Proxy");
        JsonObject pip = table.join("Pip", "PLAYER");
        String pipToken;
        try (var gm = new Player(
                nodes.get(0).vertx(), nodes.get(0).bridgePort(), table.gmToken(), table.gmId(), table.roomId(), true)) {
            gm.join();
            gm.ok(
                    "vtt.in.map",
                    new JsonObject()
                            .put("op", "scene.create")
                            .put("name", "Gate")
                            .put("width", 1400)
                            .put("height", 1000)
                            .put("grid", new JsonObject().put("type", "square").put("size", 70)));
            long seq = gm.ok(
                            "vtt.in.map",
                            new JsonObject()
                                    .put("op", "token.create")
                                    .put("sceneId", activeScene(gm))
                                    .put("name", "Pip the Bold")
                                    .put("x", 315)
                                    .put("y", 385)
                                    .put("owners", new JsonArray().add(Table.userId(pip))))
                    .getLong("seq");
            pipToken = gm.awaitSeq(seq).getJsonObject("data").getString("tokenId");
        }

        Page gmPage = open(table.roomId(), table.gmId(), "GM Behind the Proxy", table.gmToken());
        Page pipPage = open(table.roomId(), Table.userId(pip), "Pip", pip.getString("token"));

        // The GM places a token at the table; the player's page gets it over its own bridge socket.
        gmPage.click("[data-testid=tab-gm]");
        gmPage.fill("[data-testid=token-name]", "Torch Bearer");
        gmPage.click("[data-testid=token-create]");
        for (Page page : List.of(gmPage, pipPage))
            waitFor(page, "() => __vertable.tokens().some(t => t.name === 'Torch Bearer')", null);

        // The player drags their own token; the GM sees it land.
        TableIT.mouseDrag(pipPage, pipToken, 315 + 140 + 12, 385 - 9);
        for (Page page : List.of(pipPage, gmPage)) waitFor(page, TableIT.AT, List.of(pipToken, 455, 385));

        assertThat(sockets)
                .as("every bridge socket went to the proxy's origin")
                .isNotEmpty()
                .allSatisfy(url -> assertThat(url).startsWith("wss://localhost:" + port + "/eventbus"));
        String log = read("access.log");
        for (Node node : nodes) {
            assertThat(log)
                    .as("the proxy sent pages or API calls to " + node.id())
                    .contains("127.0.0.1:" + node.httpPort());
        }
    }

    // ---- the browser ----

    static Page open(String roomId, String userId, String name, String token) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setIgnoreHTTPSErrors(true) // the throwaway certificate
                .setViewportSize(1280, 800));
        contexts.add(context);
        JsonObject stored = new JsonObject()
                .put("user", new JsonObject().put("id", userId).put("displayName", name))
                .put("token", token)
                .put("expiresAt", System.currentTimeMillis() + 50 * 60_000);
        context.addInitScript("localStorage.setItem('vertable.session', " + TableIT.jsString(stored.encode()) + ");");
        Page page = context.newPage();
        page.onWebSocket(ws -> sockets.add(ws.url()));
        page.navigate(origin() + "/table.html?room=" + roomId);
        try {
            page.waitForFunction(
                    "() => window.__vertable && __vertable.state().ready && __vertable.connection() === 'connected'",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "the table did not connect through the proxy: "
                            + page.evaluate("() => document.body.innerText") + "\nnginx error log:\n"
                            + read("error.log"),
                    e);
        }
        return page;
    }

    static void waitFor(Page page, String predicate, Object arg) {
        page.waitForFunction(predicate, arg, new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
    }

    static String activeScene(Player gm) {
        return gm.ok("vtt.in.room", new JsonObject().put("op", "join"))
                .getJsonObject("view")
                .getString("activeScene");
    }

    static String origin() {
        return "https://localhost:" + port;
    }

    // ---- nginx ----

    /** Debian's nginx; the test fails (not skips) without it, as the browser tests do without Chromium. */
    static Path nginxBinary() {
        return List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx")).stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("nginx is not installed: apt-get install -y nginx (see .ci/run)"));
    }

    /** A throwaway self-signed certificate for localhost, made with openssl (nginx reads PEM files). */
    static void certificate() throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=DNS:localhost",
                        "-keyout",
                        dir.resolve("key.pem").toString(),
                        "-out",
                        dir.resolve("cert.pem").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.out").toFile())
                .start();
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0)
            throw new IllegalStateException("openssl could not make a certificate: " + read("openssl.out"));
    }

    /**
     * The Ingress of {@code k8s/ingress.yaml} as plain nginx: the site and the bridge on one TLS origin, the WebSocket
     * upgrade passed on over HTTP/1.1, long timeouts and no buffering for the bridge, the client's address in
     * X-Forwarded-For (set, not appended, as ingress-nginx does by default). Everything lives in the test's folder.
     */
    static String config() {
        StringBuilder http = new StringBuilder();
        StringBuilder bridge = new StringBuilder();
        for (Node node : nodes) {
            http.append("    server 127.0.0.1:").append(node.httpPort()).append(";\n");
            bridge.append("    server 127.0.0.1:").append(node.bridgePort()).append(";\n");
        }
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        return user + "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\nerror_log "
                + dir.resolve("error.log") + " info;\nevents { worker_connections 256; }\nhttp {\n"
                + "  log_format proxied '$request $status $upstream_addr';\n"
                + "  access_log " + dir.resolve("access.log") + " proxied;\n"
                + "  client_body_temp_path " + dir.resolve("body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "  client_max_body_size 33m;\n"
                + "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
                + "  upstream vertable_http {\n" + http + "  }\n"
                + "  upstream vertable_bridge {\n" + bridge + "  }\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + port + " ssl;\n"
                + "    server_name localhost;\n"
                + "    ssl_certificate " + dir.resolve("cert.pem") + ";\n"
                + "    ssl_certificate_key " + dir.resolve("key.pem") + ";\n"
                + "    proxy_set_header Host $http_host;\n"
                + "    proxy_set_header X-Forwarded-For $remote_addr;\n"
                + "    proxy_set_header X-Forwarded-Proto $scheme;\n"
                + "    location / { proxy_pass http://vertable_http; }\n"
                + "    location /eventbus {\n"
                + "      proxy_pass http://vertable_bridge;\n"
                + "      proxy_http_version 1.1;\n"
                + "      proxy_set_header Host $http_host;\n"
                + "      proxy_set_header X-Forwarded-For $remote_addr;\n"
                + "      proxy_set_header Upgrade $http_upgrade;\n"
                + "      proxy_set_header Connection $connection_upgrade;\n"
                + "      proxy_read_timeout 3600s;\n"
                + "      proxy_send_timeout 3600s;\n"
                + "      proxy_buffering off;\n"
                + "    }\n"
                + "  }\n}\n";
    }

    static void awaitListening() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!nginx.isAlive())
                throw new IllegalStateException(
                        "nginx exited " + nginx.exitValue() + ": " + read("nginx.out") + read("error.log"));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100); // polling a port nginx is about to open, bounded by the deadline
            }
        }
        throw new IllegalStateException("nginx did not listen on " + port + ": " + read("error.log"));
    }

    static String read(String file) {
        try {
            Path path = dir.resolve(file);
            return Files.exists(path) ? Files.readString(path) : "";
        } catch (IOException e) {
            return "(unreadable " + file + ": " + e.getMessage() + ")";
        }
    }
}
