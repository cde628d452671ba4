package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are read only for callers a route has accepted, within the route's limit and the node's budget: a
 * stranger declaring a huge body is answered after its headers, without the node reading the body.
 */
class RequestBodiesTest {

    static final long HUGE = 30L * 1024 * 1024;
    static final int SENT = 64 * 1024;

    static PgUrl database;
    static Node node;
    static Rest rest;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("bodies");
        node = Node.start(TestNodes.config(TestNodes.standalone("bodies", "http:1,persistence:1", database)));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    /** An answer read off a raw connection: status and JSON body. */
    record Answer(int status, Map<String, String> headers, JsonObject body) {
        String code() {
            return body.getString("code");
        }
    }

    /**
     * Opens a connection, sends the request head declaring {@code declared} bytes and only the first {@code sent} of
     * them, then reads the answer; the rest is never sent, so a node waiting for the body never answers.
     */
    static Answer partial(int port, String method, String path, String token, long declared, int sent)
            throws IOException {
        try (Socket socket = open(port, method, path, token, declared, sent)) {
            return read(socket.getInputStream());
        }
    }

    static Socket open(int port, String method, String path, String token, long declared, int sent) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        String head = method + " " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                + (token == null ? "" : "authorization: Bearer " + token + "\r\n")
                + "content-length: " + declared + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[sent]);
        out.flush();
        return socket;
    }

    static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        String text = new String(body, StandardCharsets.UTF_8);
        return new Answer(
                Integer.parseInt(statusLine.split(" ")[1]),
                headers,
                text.startsWith("{") ? new JsonObject(text) : new JsonObject());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("connection closed before the answer");
            if (b != '\r') bytes.write(b);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void strangersSendingHugeBodiesToAuthenticatedRoutesAreAnsweredBeforeTheBodyIsRead() throws IOException {
        List<String[]> routes = List.of(
                new String[] {"POST", "/api/rooms/import"},
                new String[] {"POST", "/api/rooms"},
                new String[] {"POST", "/api/rooms/r1/invites"},
                new String[] {"PATCH", "/api/rooms/r1/members/u1"},
                new String[] {"POST", "/api/rooms/r1/characters"},
                new String[] {"PATCH", "/api/rooms/r1/characters/c1"},
                new String[] {"POST", "/api/rooms/r1/assets"},
                new String[] {"PUT", "/api/admin/nodes/n1/verticles/map"},
                new String[] {"POST", "/api/auth/logout"},
                new String[] {"POST", "/api/auth/refresh"});
        for (String[] route : routes) {
            Answer answer = partial(node.httpPort(), route[0], route[1], null, HUGE, SENT);
            assertThat(answer.code()).as(route[0] + " " + route[1]).isEqualTo("UNAUTHENTICATED");
            assertThat(answer.status()).isEqualTo(401);
        }
    }

    @Test
    void membersAreAuthorizedBeforeTheirBodyIsRead() throws IOException {
        Table table = Table.create(rest, "Doors");
        String player = table.join("Pip", "PLAYER").getString("token");
        Answer notAdmin = partial(node.httpPort(), "PUT", "/api/admin/nodes/n1/verticles/map", player, HUGE, SENT);
        assertThat(notAdmin.code()).isEqualTo("ADMIN_ONLY");
        Answer notGm =
                partial(node.httpPort(), "POST", "/api/rooms/" + table.roomId() + "/assets", player, 1 << 20, SENT);
        assertThat(notGm.code()).isEqualTo("GM_ONLY");
    }

    @Test
    void publicRoutesRefuseAnOversizedBodyFromItsDeclaredLength() throws IOException {
        for (String path :
                List.of("/api/auth/register", "/api/auth/login", "/api/invites/abc/accept", "/api/dice/roll")) {
            Answer answer = partial(node.httpPort(), "POST", path, null, HUGE, SENT);
            assertThat(answer.code()).as(path).isEqualTo("PAYLOAD_TOO_LARGE");
        }
        JsonObject login = new JsonObject().put("username", "nobody").put("password", "not this one");
        assertThat(rest.post("/api/auth/login", null, login).code())
                .as("a small body is still read")
                .isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void theNodesBudgetOfBodyBytesInFlightRefusesWhatDoesNotFitNow() throws IOException {
        JsonObject overrides = TestNodes.standalone("budget", "http:1,persistence:1", database);
        overrides.getJsonObject("http").put("bodyBudgetBytes", 256 * 1024);
        Node small = Node.start(TestNodes.config(overrides));
        try {
            Rest smallRest = new Rest(small.httpPort());
            String gm = Table.create(smallRest, "Budget").gmToken();
            String notJson = "x".repeat(100_000);
            assertThat(partial(small.httpPort(), "POST", "/api/rooms/import", gm, 300_000, 1000)
                            .code())
                    .as("larger than the whole budget")
                    .isEqualTo("PAYLOAD_TOO_LARGE");
            try (Socket slow = open(small.httpPort(), "POST", "/api/rooms/import", gm, 200_000, 1000)) {
                // The slow import holds 200 KB of the 256 KB budget while it trickles in: 100 KB more do not fit.
                Rest.Reply busy = await().atMost(Duration.ofSeconds(20))
                        .until(() -> smallRest.post("/api/rooms/import", gm, notJson), r -> "SERVER_BUSY"
                                .equals(r.code()));
                assertThat(busy.status()).isEqualTo(503);
                assertThat(busy.header("retry-after")).isNotNull();
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> smallRest
                                    .post("/api/rooms/import", gm, notJson)
                                    .code(),
                            "BODY_NOT_JSON"::equals);
        } finally {
            small.shutdown();
        }
    }

    @Test
    void aBodyThatTricklesPastItsDeadlineIsCutOffAndFreesItsBudget() throws IOException {
        JsonObject overrides = TestNodes.standalone("slow-body", "http:1,persistence:1", database);
        overrides.getJsonObject("http").put("bodyBudgetBytes", 256 * 1024).put("bodyReadSeconds", 2);
        Node small = Node.start(TestNodes.config(overrides));
        try {
            Rest smallRest = new Rest(small.httpPort());
            String gm = Table.create(smallRest, "Trickle").gmToken();
            try (Socket slow = open(small.httpPort(), "POST", "/api/rooms/import", gm, 200_000, 1000)) {
                // Nothing more is sent: the node answers at the deadline instead of holding 200 KB for ever.
                Answer cut = read(slow.getInputStream());
                assertThat(cut.code()).isEqualTo("BODY_TOO_SLOW");
                assertThat(cut.status()).isEqualTo(408);
                assertThat(slow.getInputStream().read()).as("connection closed").isEqualTo(-1);
            }
            assertThat(smallRest
                            .post("/api/rooms/import", gm, "x".repeat(100_000))
                            .code())
                    .as("the budget it held is free again")
                    .isEqualTo("BODY_NOT_JSON");
        } finally {
            small.shutdown();
        }
    }

    @Test
    void oneCallerHoldsAtMostAQuarterOfTheBudgetWhileOthersStillGetIn() throws IOException {
        JsonObject overrides = TestNodes.standalone("body-share", "http:1,persistence:1", database);
        overrides.getJsonObject("http").put("bodyBudgetBytes", 1024 * 1024);
        Node small = Node.start(TestNodes.config(overrides));
        try {
            Rest smallRest = new Rest(small.httpPort());
            String greedy = Table.create(smallRest, "Greedy").gmToken();
            String other = Table.create(smallRest, "Other").gmToken();
            String notJson = "x".repeat(100_000);
            try (Socket slow = open(small.httpPort(), "POST", "/api/rooms/import", greedy, 200_000, 1000)) {
                // 200 KB held of a 256 KB share: the same caller's next 100 KB wait, someone else's do not.
                Rest.Reply busy = await().atMost(Duration.ofSeconds(20))
                        .until(() -> smallRest.post("/api/rooms/import", greedy, notJson), r -> "SERVER_BUSY"
                                .equals(r.code()));
                assertThat(busy.header("retry-after")).isNotNull();
                assertThat(smallRest.post("/api/rooms/import", other, notJson).code())
                        .as("another caller's body is read")
                        .isEqualTo("BODY_NOT_JSON");
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> smallRest
                                    .post("/api/rooms/import", greedy, notJson)
                                    .code(),
                            "BODY_NOT_JSON"::equals);
        } finally {
            small.shutdown();
        }
    }
}
