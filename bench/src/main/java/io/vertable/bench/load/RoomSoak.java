package io.vertable.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The idle-room soak: one node (the built jar, embedded PostgreSQL and Redis, rooms let go after
 * {@code VTT_ROOM_IDLE_UNLOAD_SECONDS}); a GM opens N rooms (REST create, then a join over the bridge, which loads
 * each into its owner), leaves them all, and the owner lets them go. The node's heap after a full GC is read at each
 * step: before, with N rooms loaded, and once none is owned any more.
 *
 * <pre>java -cp bench/target/vertable-bench.jar io.vertable.bench.load.RoomSoak [rooms] [outDir]</pre>
 */
public final class RoomSoak {

    private static final int IDLE_UNLOAD_SECONDS = 20;
    private static final int JOINS_IN_FLIGHT = 16;
    private static final int ROOMS_PER_SOCKET = 60;
    private static final AtomicLong NEXT_REPLY = new AtomicLong();

    private final HttpClient http = HttpClient.newHttpClient();
    private int httpPort;
    private int bridgePort;
    private Peer node;
    private Path dataDir;

    public static void main(String[] args) throws Exception {
        int rooms = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path out = Path.of(args.length > 1 ? args[1] : "bench/results/soak-" + System.currentTimeMillis());
        Files.createDirectories(out);
        RoomSoak soak = new RoomSoak();
        try {
            String report = soak.run(rooms, out);
            Files.writeString(out.resolve("soak.md"), report);
            System.out.println(report);
        } finally {
            if (soak.node != null) soak.node.close();
            Bench.deleteTree(soak.dataDir);
        }
        System.exit(0);
    }

    String run(int rooms, Path out) throws Exception {
        Path data = Files.createTempDirectory("vertable-soak-");
        dataDir = data;
        httpPort = Peer.freePort();
        bridgePort = Peer.freePort();
        Path config = out.resolve("soak-config.json");
        Files.writeString(config, Bench.vertableConfig().encodePrettily());
        node = Peer.start(
                "vertable",
                List.of(
                        "java",
                        "-Xmx1g",
                        "-jar",
                        Path.of("verticles/target/vertable.jar").toString()),
                Map.of(
                        "VTT_HTTP_PORT", String.valueOf(httpPort),
                        "VTT_BRIDGE_PORT", String.valueOf(bridgePort),
                        "VTT_DATA_DIR", data.toString(),
                        "VTT_CONFIG", config.toString(),
                        "VTT_ROOM_IDLE_UNLOAD_SECONDS", String.valueOf(IDLE_UNLOAD_SECONDS),
                        "VTT_DEPLOY", "http:1,bridge:1,map:1,persistence:1"),
                out,
                null);
        node.awaitHttpReady("http://127.0.0.1:" + httpPort + "/health/ready", Duration.ofSeconds(120));
        long before = heapAfterGc();

        long t0 = System.nanoTime();
        VertableSetup setup = new VertableSetup(httpPort);
        List<String> ids = create(setup, rooms);
        long created = System.nanoTime();
        joinAll(setup.gmToken, ids);
        long joined = System.nanoTime();
        double owned = metric("vertable_rooms_owned");
        long loaded = heapAfterGc();

        long left = System.nanoTime();
        while (metric("vertable_rooms_owned") > 0) {
            if (System.nanoTime() - left > TimeUnit.MINUTES.toNanos(15))
                throw new IllegalStateException("rooms still owned after 15 min: " + metric("vertable_rooms_owned"));
            Thread.sleep(1_000); // polling the node's meter
        }
        long unloaded = System.nanoTime();
        long after = heapAfterGc();
        setup.close();

        return String.format(
                "# Idle-room soak%n%n%d rooms: created over REST in %.0f s, each joined over the bridge (loaded by its"
                        + " owner) in %.0f s; %.0f owned after the joins. The GM then left every room; with"
                        + " `VTT_ROOM_IDLE_UNLOAD_SECONDS=%d` the owner had let all of them go %.0f s later.%n%n"
                        + "| step | heap after a full GC (MB) |%n|---|---:|%n| node started | %.1f |%n"
                        + "| %d rooms loaded | %.1f |%n| all let go | %.1f |%n%n"
                        + "Per loaded room: %.1f KB; returned on unload: %.0f %% of what loading took.%n",
                rooms,
                (created - t0) / 1e9,
                (joined - created) / 1e9,
                owned,
                IDLE_UNLOAD_SECONDS,
                (unloaded - left) / 1e9,
                before / 1e6,
                rooms,
                loaded / 1e6,
                after / 1e6,
                (loaded - before) / 1024.0 / rooms,
                loaded == before ? 100.0 : 100.0 * (loaded - after) / (loaded - before));
    }

    private static List<String> create(VertableSetup setup, int rooms) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> pending = new ArrayList<>();
        for (int i = 0; i < rooms; i++) {
            String name = "soak-" + i;
            pending.add(pool.submit(
                    () -> setup.call("POST", "/api/rooms", setup.gmToken, new JsonObject().put("name", name), 201)
                            .getString("id")));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> id : pending) ids.add(id.get());
        pool.shutdown();
        return ids;
    }

    /**
     * Joins every room over the bridge, a few at a time, 60 rooms per socket (a socket may know 64), closing each
     * socket after its rooms: the GM leaves them all.
     */
    private void joinAll(String token, List<String> ids) throws Exception {
        Vertx vertx = Vertx.vertx();
        WebSocketClient client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setMaxFrameSize(16 << 20).setMaxMessageSize(16 << 20));
        try {
            for (int from = 0; from < ids.size(); from += ROOMS_PER_SOCKET)
                joinOverOneSocket(client, token, ids.subList(from, Math.min(ids.size(), from + ROOMS_PER_SOCKET)));
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private void joinOverOneSocket(WebSocketClient client, String token, List<String> ids) throws Exception {
        Map<String, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();
        // No Origin header: the bridge refuses origins it does not know, and this is no browser.
        io.vertx.core.http.WebSocket socket = client.connect(new io.vertx.core.http.WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(bridgePort)
                        .setURI("/eventbus/websocket?token=" + token)
                        .setAllowOriginHeader(false))
                .await(30, TimeUnit.SECONDS);
        // Text or binary frames alike: the bridge writes some of its frames as binary.
        socket.handler(data -> {
            JsonObject frame = new JsonObject(data.toString());
            String address = frame.getString("address");
            CompletableFuture<JsonObject> reply = address == null ? null : waiting.remove(address);
            if (reply != null) reply.complete(frame);
        });
        Semaphore inFlight = new Semaphore(JOINS_IN_FLIGHT);
        List<CompletableFuture<JsonObject>> all = new ArrayList<>();
        for (String id : ids) {
            inFlight.acquire();
            String replyAddress = "soak-" + NEXT_REPLY.incrementAndGet();
            CompletableFuture<JsonObject> reply = new CompletableFuture<>();
            waiting.put(replyAddress, reply);
            reply.whenComplete((frame, e) -> inFlight.release());
            all.add(reply);
            socket.writeTextMessage(new JsonObject()
                    .put("type", "send")
                    .put("address", "vtt.in.room")
                    .put("body", new JsonObject().put("room", id).put("op", "join"))
                    .put("replyAddress", replyAddress)
                    .encode());
        }
        for (CompletableFuture<JsonObject> reply : all) {
            JsonObject frame = reply.get(60, TimeUnit.SECONDS);
            if ("err".equals(frame.getString("type"))) throw new IllegalStateException("join refused: " + frame);
        }
        socket.close().await(30, TimeUnit.SECONDS);
    }

    /** The node's used heap after a full GC (jcmd GC.run, then its Prometheus meter). */
    private long heapAfterGc() throws Exception {
        Process gc = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(node.process.pid()),
                        "GC.run")
                .redirectErrorStream(true)
                .start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(60, TimeUnit.SECONDS);
        return (long) metric("jvm_memory_used_bytes{area=\"heap\"");
    }

    /** Sums a Prometheus meter's samples whose line starts with {@code prefix}. */
    private double metric(String prefix) throws Exception {
        String text = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }
}
