package io.vertable.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.testing.Http;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * 100,000 generated inputs at a real node — half bridge frames over the WebSocket, half REST bodies — of random shapes,
 * depths up to near the parser's limit, sizes over the limits, numbers huge and tiny, strings with every Unicode class
 * (controls, bidi and zero-width marks, lone surrogates). Seeded, so a failure reproduces. Every input must be answered
 * with a catalog code or accepted, nothing may overflow or log an error, and the node must be healthy afterwards.
 */
class InputFuzzTest {

    private static final long SEED = 14_2026L;
    private static final int BRIDGE_FRAMES = 50_000;
    private static final int REST_BODIES = 50_000;
    /** Requests in flight per connection: enough to keep the node busy, not a flood. */
    private static final int WINDOW = 16;

    /**
     * The code that means input crashed a handler. TIMEOUT and SERVICE_UNAVAILABLE are catalog answers too, and are
     * counted and printed: the admin route is fuzzed as well, and a generated {@code {"instances": 0}} scales the dice
     * service to nothing, after which dice rolls and sheets answer SERVICE_UNAVAILABLE, as they should.
     */
    private static final List<String> SERVER_FAULTS = List.of(ErrorCode.INTERNAL.name());

    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final List<String> unanswered = new CopyOnWriteArrayList<>();

    @Test
    void generatedInputIsAnsweredWithCatalogCodesAndLeavesTheNodeHealthy() throws Exception {
        LogProblems log = captureLog();
        PgUrl database = TestStorage.freshDatabase("fuzz");
        JsonObject overrides = TestNodes.standalone(
                        "fuzz-1", "http:1,bridge:1,map:1,dice:1,chat:1,persistence:1", database)
                .mergeIn(TestNodes.generousBridgeLimits(), true);
        Node node = Node.start(TestNodes.config(overrides));
        Vertx vertx = Vertx.vertx();
        try {
            Rest rest = new Rest(node.httpPort());
            Table table = Table.create(rest, "Fuzz");
            JsonObject player = table.join("Pip", "PLAYER");
            List<String> ids = seedRoom(vertx, node, table);
            long heapBefore = usedHeapAfterGc();
            long started = System.nanoTime();

            FuzzInput gmInput = new FuzzInput(SEED, table.roomId(), ids);
            FuzzInput playerInput = new FuzzInput(SEED + 1, table.roomId(), ids);
            FuzzInput restInput = new FuzzInput(SEED + 2, table.roomId(), ids);
            Future<Void> bridge = Future.all(
                            fuzzBridge(vertx, node.bridgePort(), table.gmToken(), gmInput, BRIDGE_FRAMES / 2),
                            fuzzBridge(
                                    vertx,
                                    node.bridgePort(),
                                    player.getString("token"),
                                    playerInput,
                                    BRIDGE_FRAMES / 2))
                    .mapEmpty();
            Future<Void> restRun = fuzzRest(vertx, node.httpPort(), table, player.getString("token"), restInput);
            Future.all(bridge, restRun).await(4, TimeUnit.MINUTES);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;

            System.out.printf(
                    "fuzz: %d bridge frames and %d REST bodies in %d s; outcomes %s%n",
                    BRIDGE_FRAMES, REST_BODIES, seconds, new TreeMap<>(outcomes));
            assertThat(unanswered)
                    .as("inputs answered with neither acceptance nor a catalog code")
                    .isEmpty();
            assertThat(outcomes.keySet()).as("server faults").doesNotContainAnyElementsOf(SERVER_FAULTS);
            assertThat(outcomes.keySet()).contains("JSON_TOO_DEEP", "PAYLOAD_TOO_LARGE", "BAD_REQUEST", "accepted");
            assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum())
                    .isEqualTo(BRIDGE_FRAMES + REST_BODIES);

            // Afterwards: ready, an ordinary call works, no transaction left open, the heap back near where it was.
            await().atMost(Duration.ofSeconds(20)).until(() -> "UP"
                    .equals(Http.getJson(node.httpPort(), "/health/ready").getString("status")));
            assertThat(rest.get("/api/me", table.gmToken()).status()).isEqualTo(200);
            assertThat(idleInTransaction(database)).isZero();
            long heapGrowth = usedHeapAfterGc() - heapBefore;
            System.out.printf("fuzz: heap grew %d MiB%n", heapGrowth >> 20);
            assertThat(heapGrowth).as("heap growth in bytes").isLessThan(256L << 20);

            assertThat(log.seen).as("errors and stack overflows in the log").isEmpty();
        } finally {
            vertx.close().await();
            node.shutdown();
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        }
    }

    // ---- bridge ----

    /** Sends {@code count} frames on one socket, {@link #WINDOW} at a time, each waiting for its own answer. */
    private Future<Void> fuzzBridge(Vertx vertx, int port, String token, FuzzInput input, int count) {
        WebSocketClient client = vertx.createWebSocketClient();
        var options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/eventbus/websocket?token=" + token)
                .setAllowOriginHeader(false);
        return client.connect(options).compose(socket -> pump(vertx, socket, input, count));
    }

    private Future<Void> pump(Vertx vertx, WebSocket socket, FuzzInput input, int count) {
        Promise<Void> done = Promise.promise();
        Map<String, String> pending = new HashMap<>();
        int[] sent = {0};
        Runnable fill = () -> {
            while (pending.size() < WINDOW && sent[0] < count) {
                String replyAddress = "fz-" + sent[0]++;
                String frame = input.frame(replyAddress);
                pending.put(replyAddress, frame.length() > 300 ? frame.substring(0, 300) + "…" : frame);
                socket.writeTextMessage(frame);
            }
            if (pending.isEmpty()) done.tryComplete();
        };
        socket.handler(data -> {
            JsonObject answer = new JsonObject(data.toString());
            String address = answer.getString("address");
            if (address == null || pending.remove(address) == null) return; // the bridge's own trailing "rejected"
            record(bridgeOutcome(answer), address);
            fill.run();
        });
        long pinger = vertx.setPeriodic(5_000, id -> socket.writeTextMessage("{\"type\":\"ping\"}"));
        socket.closeHandler(v -> {
            vertx.cancelTimer(pinger);
            if (done.future().isComplete()) return; // closed by us at the end
            unanswered.add("socket closed with " + pending.size() + " waiting, after " + sent[0] + ": "
                    + pending.values().stream().limit(3).toList());
            done.tryComplete();
        });
        fill.run();
        return done.future().onComplete(v -> {
            vertx.cancelTimer(pinger);
            socket.close();
        });
    }

    /** "accepted" for a reply, else the catalog code the refusal carries (at top level or in its message). */
    private static String bridgeOutcome(JsonObject answer) {
        if ("rec".equals(answer.getString("type"))) return "accepted";
        String code = answer.getString("code");
        if (code == null && answer.getValue("message") instanceof String message && message.startsWith("{")) {
            code = new JsonObject(message).getString("code");
        }
        return code == null ? "uncoded " + answer.encode() : code;
    }

    // ---- REST ----

    private record Endpoint(HttpMethod method, String path) {}

    private Future<Void> fuzzRest(Vertx vertx, int port, Table table, String playerToken, FuzzInput input) {
        String room = "/api/rooms/" + table.roomId();
        List<Endpoint> endpoints = List.of(
                new Endpoint(HttpMethod.POST, room + "/characters"),
                new Endpoint(HttpMethod.POST, room + "/characters"),
                new Endpoint(HttpMethod.PATCH, room + "/characters/none"),
                new Endpoint(HttpMethod.POST, "/api/dice/roll"),
                new Endpoint(HttpMethod.POST, "/api/dice/roll"),
                new Endpoint(HttpMethod.POST, room + "/invites"),
                new Endpoint(HttpMethod.POST, "/api/rooms/import"),
                new Endpoint(HttpMethod.POST, "/api/rooms/import"),
                new Endpoint(HttpMethod.POST, "/api/rooms"),
                new Endpoint(HttpMethod.PUT, "/api/admin/nodes/fuzz-1/verticles/dice"));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(8));
        Promise<Void> done = Promise.promise();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            int index = sent.getAndIncrement();
            if (index >= REST_BODIES) return;
            Endpoint endpoint = endpoints.get(input.nextInt(endpoints.size()));
            String token =
                    switch (input.nextInt(10)) {
                        case 0 -> playerToken;
                        case 1 -> "garbage";
                        default -> table.gmToken();
                    };
            String body = input.nextInt(50) == 0 ? "not json " + input.string(20) : input.body();
            RequestOptions request = new RequestOptions()
                    .setMethod(endpoint.method())
                    .setURI(endpoint.path())
                    .putHeader("content-type", "application/json")
                    .putHeader("authorization", "Bearer " + token)
                    .setTimeout(30_000);
            client.request(request)
                    .compose(req -> req.send(Buffer.buffer(body)))
                    .compose(response -> response.body().map(text -> restOutcome(response.statusCode(), text)))
                    .onComplete(result -> {
                        record(
                                result.succeeded() ? result.result() : "uncoded " + result.cause(),
                                endpoint + " " + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
                        if (finished.incrementAndGet() == REST_BODIES) done.tryComplete();
                        else next[0].run();
                    });
        };
        for (int i = 0; i < WINDOW; i++) next[0].run();
        return done.future().eventually(client::close);
    }

    private static String restOutcome(int status, Buffer text) {
        if (status < 300) return "accepted";
        try {
            String code = new JsonObject(text).getString("code");
            if (code != null && ErrorCode.fromName(code).isPresent()) return code;
        } catch (RuntimeException notJson) {
            // falls through
        }
        return "uncoded " + status + " " + text;
    }

    private void record(String outcome, String input) {
        boolean coded =
                outcome.equals("accepted") || ErrorCode.fromName(outcome).isPresent();
        if (!coded || SERVER_FAULTS.contains(outcome)) unanswered.add(outcome + " ← " + input);
        outcomes.computeIfAbsent(coded ? outcome : "uncoded", k -> new AtomicInteger())
                .incrementAndGet();
    }

    // ---- setup and checks ----

    /** A scene and two tokens, so map commands can find real ids among the generated ones. */
    private static List<String> seedRoom(Vertx vertx, Node node, Table table) {
        try (Player gm = new Player(vertx, node.bridgePort(), table.gmToken(), table.gmId(), table.roomId(), true)) {
            gm.join();
            gm.ok(Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Field"));
            List<String> ids = new ArrayList<>();
            ids.add(gm.createTokenOnActiveScene("One"));
            ids.add(gm.createTokenOnActiveScene("Two"));
            ids.add(gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                    .getJsonObject("view")
                    .getString("activeScene"));
            return ids;
        }
    }

    /** Keeps only the log events that must not happen: errors, and stack overflows at any level. */
    private static final class LogProblems extends AppenderBase<ILoggingEvent> {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR) || overflowed(event)) {
                seen.add(event.getLoggerName() + ": " + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null
                                ? ""
                                : " " + event.getThrowableProxy().getClassName()));
            }
        }
    }

    private static LogProblems captureLog() {
        LogProblems appender = new LogProblems();
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        return appender;
    }

    private static boolean overflowed(ILoggingEvent event) {
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            if (cause.getClassName().equals(StackOverflowError.class.getName())) return true;
        }
        return event.getFormattedMessage().contains("StackOverflowError");
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static int idleInTransaction(PgUrl database) throws Exception {
        try (Connection c = TestStorage.jdbc(database);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                                + " AND datname = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
