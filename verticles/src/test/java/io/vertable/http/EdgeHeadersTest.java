package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries the security headers, the bridge is the only other place a page may connect to, and a
 * forwarded client address counts only when a listed proxy sent it.
 */
class EdgeHeadersTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Node direct;
    static Node proxied;
    static final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void start() {
        // Reached directly: no proxy is trusted, so X-Forwarded-For is whatever a client made up.
        direct = start("edge-direct", new JsonObject());
        // Behind a proxy on loopback serving one public https origin.
        proxied = start(
                "edge-proxied",
                new JsonObject()
                        // Ranges, as a cluster's pod network is listed: loopback is the proxy, 10/8 a proxy chain.
                        .put(
                                "trustedProxies",
                                new JsonArray().add("127.0.0.0/8").add("10.0.0.0/8"))
                        .put("publicUrl", "https://vtt.example.com"));
    }

    private static Node start(String id, JsonObject http) {
        JsonObject overrides = TestNodes.standalone(id, "http:1,bridge:1,persistence:1", TestStorage.freshDatabase(id));
        overrides.getJsonObject("http").mergeIn(http);
        // One wrong login per minute per username, three per address: small enough to reach in a test.
        overrides.getJsonObject("rateLimits").put("loginPerMinute", 1);
        Node node = Node.start(TestNodes.config(overrides));
        nodes.add(node);
        return node;
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Node::shutdown);
    }

    @Test
    void everyPageAndApiAnswerCarriesTheSecurityHeaders() throws Exception {
        for (String path : List.of("/", "/table.html", "/api/config", "/api/me", "/api/nope", "/health/live")) {
            HttpResponse<String> answer = send(direct, "GET", path, null, null);
            var headers = answer.headers();
            String policy = headers.firstValue("Content-Security-Policy").orElse("");
            assertThat(policy).as(path).contains("script-src 'self';", "frame-ancestors 'none'", "object-src 'none'");
            assertThat(policy).as("no inline script, no eval").doesNotContain("'unsafe-eval'");
            assertThat(policy.replaceAll("style-src [^;]*;", "")).doesNotContain("'unsafe-inline'");
            assertThat(policy)
                    .contains("connect-src 'self' http://127.0.0.1:" + direct.bridgePort() + " ws://127.0.0.1:"
                            + direct.bridgePort() + ";");
            assertThat(headers.firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(headers.firstValue("Referrer-Policy")).contains("no-referrer");
            assertThat(headers.firstValue("X-Frame-Options")).contains("DENY");
            assertThat(headers.firstValue("Strict-Transport-Security"))
                    .as("plain http")
                    .isEmpty();
        }
        // An uploaded image keeps its own, stricter policy (checked with its route in AssetsApiTest).
    }

    @Test
    void theBridgeServesDataNeverAPage() throws Exception {
        // SockJS's iframe page (and the library it would load from a CDN) is not served at all.
        var iframe = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + direct.bridgePort() + "/eventbus/iframe.html"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(iframe.statusCode()).isEqualTo(404);
        assertThat(iframe.body()).doesNotContain("<script");
        assertThat(iframe.headers().firstValue("Content-Security-Policy"))
                .contains("default-src 'none'; frame-ancestors 'none'");
        assertThat(iframe.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void behindAProxyTheBridgeIsOnThePublicOriginAndHttpsIsStrict() throws Exception {
        JsonObject config =
                new JsonObject(send(proxied, "GET", "/api/config", null, null).body());
        assertThat(config.getString("bridgeUrl")).isEqualTo("https://vtt.example.com/eventbus");
        assertThat(new JsonObject(send(direct, "GET", "/api/config", null, null).body()).getValue("bridgeUrl"))
                .as("reached directly, the page's host and the bridge port")
                .isNull();
        var headers = send(proxied, "GET", "/", null, null).headers();
        assertThat(headers.firstValue("Content-Security-Policy").orElse(""))
                .contains("connect-src 'self' https://vtt.example.com wss://vtt.example.com;");
        assertThat(headers.firstValue("Strict-Transport-Security")).isPresent();
    }

    @Test
    void aForwardedAddressCountsOnlyFromATrustedProxy() throws Exception {
        // Behind the trusted proxy, each forwarded client has its own bucket of three wrong logins.
        for (int i = 0; i < 3; i++)
            assertThat(wrongLogin(proxied, "198.51.100.1")).isEqualTo(401);
        assertThat(wrongLogin(proxied, "198.51.100.1")).isEqualTo(429);
        assertThat(wrongLogin(proxied, "198.51.100.2"))
                .as("another client behind the same proxy")
                .isEqualTo(401);
        // The proxy's own hop and anything it forwards before the client are its word: the nearest untrusted hop
        // counts.
        assertThat(wrongLogin(proxied, "198.51.100.1, 127.0.0.1")).isEqualTo(429);
        assertThat(wrongLogin(proxied, "198.51.100.1, 10.20.30.40"))
                .as("a hop inside a trusted range vouches for the client before it")
                .isEqualTo(429);
        assertThat(wrongLogin(proxied, "10.20.30.40, 198.51.100.3"))
                .as("an untrusted hop nearer than a trusted-looking one is the client")
                .isEqualTo(401);

        // Reached directly, a made-up header changes nothing: one address, one bucket.
        for (int i = 0; i < 3; i++)
            assertThat(wrongLogin(direct, "203.0.113." + i)).isEqualTo(401);
        assertThat(wrongLogin(direct, "203.0.113.99")).isEqualTo(429);
    }

    private static int wrongLogin(Node node, String forwardedFor) throws Exception {
        JsonObject body = new JsonObject()
                .put("username", "nobody-" + UUID.randomUUID().toString().substring(0, 8))
                .put("password", "not the password");
        return send(node, "POST", "/api/auth/login", body.encode(), forwardedFor)
                .statusCode();
    }

    private static HttpResponse<String> send(Node node, String method, String path, String body, String forwardedFor)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        if (forwardedFor != null) request.header("X-Forwarded-For", forwardedFor);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
