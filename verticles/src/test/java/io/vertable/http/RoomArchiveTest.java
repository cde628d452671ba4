package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Room archives through the real REST API, bridge and database of a standalone node: a large room goes out as a
 * streamed ZIP and comes back as the same room for new members; each kind of bad archive is refused with its code and
 * leaves no room behind.
 */
class RoomArchiveTest {

    static final int IMAGES = 50;
    static final int EVENTS = 20_000;

    static PgUrl database;
    static Node node;
    static Rest rest;
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("archives");
        JsonObject overrides =
                TestNodes.standalone("archive-node", "http:1,bridge:1,persistence:1,map:1,dice:1,chat:1", database);
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        overrides.put("rateLimits", new JsonObject().put("restWritesPerMinute", 10_000));
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    // ---- the round trip ----

    @Test
    void aRoomOfFiftyImagesAndTwentyThousandEventsComesBackTheSameForItsNewMembers() throws Exception {
        Table table = Table.create(rest, "Big archive");
        List<String> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) images.add(upload(table, png(i)));
        appendLog(table.roomId(), images);
        assertThat(rest.post(
                                "/api/rooms/" + table.roomId() + "/characters",
                                table.gmToken(),
                                new JsonObject()
                                        .put("name", "Vala")
                                        .put("attributes", new JsonObject().put("str", 3))
                                        .put("notes", "carries the lamp"))
                        .status())
                .isEqualTo(201);
        JsonObject before;
        try (Player gm = Player.gm(node, table)) {
            before = gm.join().getJsonObject("view");
        }

        long started = System.nanoTime();
        byte[] archive = export(table.roomId(), table.gmToken());
        long exportMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, byte[]> entries = unzip(archive);
        JsonObject manifest = new JsonObject(new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
        assertThat(manifest.getJsonObject("counts").getInteger("events")).isEqualTo(EVENTS);
        assertThat(manifest.getJsonObject("counts").getInteger("images")).isEqualTo(IMAGES);
        assertThat(entries.keySet())
                .contains("events/000001.jsonl", "events/000004.jsonl", "sheets.json", "notes.json");
        assertThat(entries.keySet().stream().filter(n -> n.startsWith("images/")))
                .hasSize(IMAGES);

        started = System.nanoTime();
        Rest.Reply imported = importZip(archive, table.gmToken());
        long importMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(imported.status()).as(imported.body().encode()).isEqualTo(201);
        String copy = imported.body().getString("id");
        System.out.printf(
                "room archive: %d events, %d images: ZIP of %d bytes exported in %d ms, imported in %d ms%n",
                EVENTS, IMAGES, archive.length, exportMs, importMs);

        assertSameContent(entries, unzip(export(copy, table.gmToken())));

        JsonObject after;
        try (Player gm = new Player(node.vertx(), node.bridgePort(), table.gmToken(), table.gmId(), copy, true)) {
            after = gm.join().getJsonObject("view");
        }
        assertThat(after.getJsonObject("tokens"))
                .hasSize(before.getJsonObject("tokens").size());
        assertThat(imagesAsChecksums(after, table.gmToken())).isEqualTo(imagesAsChecksums(before, table.gmToken()));
        assertThat(rest.get("/api/rooms/" + copy + "/characters", table.gmToken())
                        .body()
                        .getJsonArray("characters"))
                .hasSize(1);

        // A player invited to the copy loads its state and its images.
        Table copied = new Table(rest, copy, table.gmId(), table.gmToken());
        JsonObject pip = copied.join("Pip", "PLAYER");
        try (Player player =
                new Player(node.vertx(), node.bridgePort(), pip.getString("token"), Table.userId(pip), copy, false)) {
            JsonObject view = player.join().getJsonObject("view");
            // Only the copy's images are served to its members: every reference must have been rewritten.
            assertThat(imagesAsChecksums(view, pip.getString("token")).getJsonObject("tokens"))
                    .isEqualTo(imagesAsChecksums(before, table.gmToken()).getJsonObject("tokens"));
            JsonObject token = view.getJsonObject("tokens").getJsonObject("t7");
            assertThat(token.getDouble("x"))
                    .isEqualTo(
                            before.getJsonObject("tokens").getJsonObject("t7").getDouble("x"));
            assertThat(sha256(image(token.getString("image"), pip.getString("token"))))
                    .isEqualTo(sha256(png(7)));
            assertThat(sha256(image(
                            view.getJsonObject("scenes").getJsonObject("s1").getString("image"),
                            pip.getString("token"))))
                    .isEqualTo(sha256(png(0)));
        }
    }

    /**
     * The copy's own archive holds the same log, sheets and notes byte for byte once its image ids are mapped back
     * (matched by the images' checksums), and the same image bytes.
     */
    private static void assertSameContent(Map<String, byte[]> original, Map<String, byte[]> copy) {
        Map<String, String> oldIdBySha = new java.util.HashMap<>();
        for (Object i : manifest(original).getJsonArray("images"))
            oldIdBySha.put(((JsonObject) i).getString("sha256"), ((JsonObject) i).getString("id"));
        Map<String, String> oldIdByNewId = new java.util.HashMap<>();
        for (Object i : manifest(copy).getJsonArray("images"))
            oldIdByNewId.put(((JsonObject) i).getString("id"), oldIdBySha.get(((JsonObject) i).getString("sha256")));
        assertThat(oldIdByNewId).hasSize(IMAGES).doesNotContainValue(null);
        for (String name : original.keySet()) {
            if (!name.startsWith("events/") && !name.equals("sheets.json") && !name.equals("notes.json")) continue;
            String text = new String(copy.get(name), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> id : oldIdByNewId.entrySet())
                text = text.replace(id.getKey(), id.getValue());
            assertThat(text).as(name).isEqualTo(new String(original.get(name), StandardCharsets.UTF_8));
        }
        assertThat(copy.keySet().stream().filter(n -> n.startsWith("events/"))).hasSize(4);
    }

    private static JsonObject manifest(Map<String, byte[]> entries) {
        return new JsonObject(new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
    }

    /** The view with every image reference replaced by the SHA-256 of the bytes it serves, and without its room id. */
    private static JsonObject imagesAsChecksums(JsonObject view, String token) throws Exception {
        JsonObject copy = view.copy();
        copy.remove("room");
        replaceImages(copy, token);
        return copy;
    }

    private static void replaceImages(Object value, String token) throws Exception {
        if (value instanceof JsonObject object) {
            for (String key : new ArrayList<>(object.fieldNames())) {
                Object inner = object.getValue(key);
                if ("image".equals(key) && inner instanceof String ref)
                    object.put(key, "sha256:" + sha256(image(ref, token)));
                else replaceImages(inner, token);
            }
        } else if (value instanceof JsonArray array) {
            for (Object inner : array) replaceImages(inner, token);
        }
    }

    /** The bytes an image reference (an id or its URL) serves to the token's user. */
    private static byte[] image(String ref, String token) throws Exception {
        String path = ref.startsWith("/api/assets/") ? ref : "/api/assets/" + ref;
        HttpResponse<byte[]> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                        .header("authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /**
     * The log straight into the store (as a room's owner appends it, a thousand at a time): a scene on image 0,
     * fifty tokens each on its image (half by id, half by URL), a handout with a picture, then moves up to
     * {@link #EVENTS}.
     */
    private static void appendLog(String roomId, List<String> images) {
        List<JsonObject> log = new ArrayList<>();
        log.add(event(
                1,
                "scene.created",
                new JsonObject()
                        .put("sceneId", "s1")
                        .put("name", "Hall")
                        .put("image", images.get(0))
                        .put("width", 2000.0)
                        .put("height", 2000.0)
                        .put("grid", new JsonObject().put("type", "square").put("size", 70.0))));
        log.add(event(2, "scene.activated", new JsonObject().put("sceneId", "s1")));
        for (int i = 0; i < IMAGES; i++) {
            log.add(event(
                    log.size() + 1,
                    "token.created",
                    new JsonObject()
                            .put("tokenId", "t" + i)
                            .put("sceneId", "s1")
                            .put("name", "Token " + i)
                            .put("image", i % 2 == 0 ? images.get(i) : "/api/assets/" + images.get(i))
                            .put("x", 0.0)
                            .put("y", 0.0)
                            .put("hidden", false)
                            .put("locked", false)
                            .put("layer", "tokens")
                            .put("owners", new JsonArray())));
        }
        log.add(event(
                log.size() + 1,
                "note.created",
                new JsonObject()
                        .put("noteId", "n1")
                        .put("title", "Map of the hall")
                        .put("body", "shown to all")
                        .put("gmOnly", false)
                        .put("author", "gm")
                        .put("image", images.get(3))));
        while (log.size() < EVENTS) {
            int seq = log.size() + 1;
            log.add(event(
                    seq,
                    "token.moved",
                    new JsonObject()
                            .put("tokenId", "t" + (seq % IMAGES))
                            .put("x", (double) seq)
                            .put("y", (double) (seq % 97))));
        }
        for (int from = 0; from < log.size(); from += 1_000) {
            JsonArray batch = new JsonArray(new ArrayList<>(log.subList(from, Math.min(log.size(), from + 1_000))));
            node.vertx()
                    .eventBus()
                    .request(
                            Addresses.PERSIST_EVENTS,
                            new JsonObject()
                                    .put("op", "append")
                                    .put("roomId", roomId)
                                    .put("events", batch))
                    .await();
        }
    }

    private static JsonObject event(long seq, String type, JsonObject data) {
        return new JsonObject()
                .put("seq", seq)
                .put("type", type)
                .put("actor", null)
                .put("ts", 1_700_000_000_000L + seq)
                .put("audience", "all")
                .put("data", data);
    }

    // ---- refusals ----

    @Test
    void anEntryNamedOutsideTheArchiveIsRefusedAndNoRoomIsMade() throws Exception {
        Table table = Table.create(rest, "Traversal");
        Map<String, byte[]> entries = unzip(export(table.roomId(), table.gmToken()));
        for (String name : List.of("../../etc/cron.d/evil", "/tmp/evil", "images/../../evil.png")) {
            Map<String, byte[]> bad = new LinkedHashMap<>(entries);
            bad.put(name, "x".getBytes(StandardCharsets.UTF_8));
            refused(zip(withChecksums(bad)), table.gmToken(), "ARCHIVE_UNSAFE_PATH", 400);
        }
    }

    @Test
    void aZipBombIsStoppedByTheBytesItInflatesNotByItsHeaders() throws Exception {
        Table table = Table.create(rest, "Bomb");
        Map<String, byte[]> entries = unzip(export(table.roomId(), table.gmToken()));
        entries.put("events/000002.jsonl", new byte[64 * 1024 * 1024]); // 64 MiB of zeros deflate to ~64 KiB
        byte[] bomb = zip(entries);
        assertThat(bomb.length).isLessThan(1024 * 1024);
        Rest.Reply reply = refused(bomb, table.gmToken(), "ARCHIVE_TOO_LARGE", 413);
        assertThat(reply.body().getString("detail")).contains("times its own size");
    }

    @Test
    void anEntryThatDoesNotMatchItsChecksumIsRefused() throws Exception {
        Table table = Table.create(rest, "Checksum");
        Map<String, byte[]> entries = unzip(export(table.roomId(), table.gmToken()));
        entries.put("sheets.json", "[{\"name\":\"Forged\"}]".getBytes(StandardCharsets.UTF_8));
        Rest.Reply reply = refused(zip(entries), table.gmToken(), "ARCHIVE_CHECKSUM_MISMATCH", 400);
        assertThat(reply.body().getString("detail")).contains("sheets.json");
    }

    @Test
    void anArchiveOfANewerFormatVersionIsRefused() throws Exception {
        Table table = Table.create(rest, "Future");
        Map<String, byte[]> entries = unzip(export(table.roomId(), table.gmToken()));
        JsonObject manifest = new JsonObject(new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
        entries.put("manifest.json", manifest.put("version", 2).encode().getBytes(StandardCharsets.UTF_8));
        entries.put("layers/000001.bin", new byte[] {1, 2, 3}); // what a later version might add
        Rest.Reply reply = refused(zip(entries), table.gmToken(), "ARCHIVE_VERSION_UNSUPPORTED", 400);
        assertThat(reply.body().getString("detail")).contains("version 2");
    }

    @Test
    void anImageThatIsNotAnImageIsRefusedEvenWithMatchingChecksums() throws Exception {
        Table table = Table.create(rest, "Not an image");
        upload(table, png(1));
        Map<String, byte[]> entries = unzip(export(table.roomId(), table.gmToken()));
        String image = entries.keySet().stream()
                .filter(n -> n.startsWith("images/"))
                .findFirst()
                .orElseThrow();
        entries.put(image, "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
        Rest.Reply reply = refused(zip(withChecksums(entries)), table.gmToken(), "ASSET_NOT_AN_IMAGE", 415);
        assertThat(reply.body().getString("detail")).contains(image);
    }

    @Test
    void theOlderJsonExportStillImportsAndAFileThatIsNeitherIsRefused() throws Exception {
        Table table = Table.create(rest, "Both kinds");
        JsonObject document = rest.get("/api/rooms/" + table.roomId() + "/export?format=json", table.gmToken())
                .body();
        assertThat(document.getString("format")).isEqualTo("vertable-room/1");
        assertThat(rest.post("/api/rooms/import", table.gmToken(), document).status())
                .isEqualTo(201);
        refused(
                "PK\u0003\u0004 but not really a zip".getBytes(StandardCharsets.UTF_8),
                table.gmToken(),
                "ARCHIVE_INVALID",
                400);
    }

    /** Imports the bytes, expects the refusal, and checks that the number of rooms did not change. */
    private static Rest.Reply refused(byte[] archive, String token, String code, int status) throws Exception {
        long rooms = roomCount();
        Rest.Reply reply = importZip(archive, token);
        assertThat(reply.code()).as(reply.body().encode()).isEqualTo(code);
        assertThat(reply.status()).isEqualTo(status);
        assertThat(roomCount()).as("no room half-imported").isEqualTo(rooms);
        return reply;
    }

    private static long roomCount() throws Exception {
        try (Connection c = TestStorage.jdbc(database)) {
            ResultSet count = c.createStatement().executeQuery("SELECT count(*) FROM rooms");
            count.next();
            return count.getLong(1);
        }
    }

    // ---- archives and images ----

    private static byte[] export(String roomId, String token) throws Exception {
        HttpResponse<byte[]> response = CLIENT.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + node.httpPort() + "/api/rooms/" + roomId + "/export"))
                        .timeout(Duration.ofSeconds(120))
                        .header("authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/zip");
        return response.body();
    }

    private static Rest.Reply importZip(byte[] archive, String token) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/rooms/import"))
                        .timeout(Duration.ofSeconds(120))
                        .header("authorization", "Bearer " + token)
                        .header("content-type", "application/zip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(archive))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Rest.Reply(
                response.statusCode(), text.startsWith("{") ? new JsonObject(text) : new JsonObject(), response);
    }

    private static Map<String, byte[]> unzip(byte[] archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry())
                entries.put(e.getName(), zip.readAllBytes());
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** The manifest rewritten to list every other entry with its true checksum, as a careful forger would. */
    private static Map<String, byte[]> withChecksums(Map<String, byte[]> entries) throws Exception {
        JsonObject manifest = new JsonObject(new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
        JsonObject sums = new JsonObject();
        for (Map.Entry<String, byte[]> e : entries.entrySet())
            if (!e.getKey().equals("manifest.json")) sums.put(e.getKey(), sha256(e.getValue()));
        Map<String, byte[]> copy = new LinkedHashMap<>(entries);
        copy.put("manifest.json", manifest.put("entries", sums).encode().getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    private static String upload(Table table, byte[] png) {
        Rest.Reply reply = AssetsApiTestUpload.upload(node.httpPort(), table.roomId(), table.gmToken(), png);
        assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
        return reply.body().getString("id");
    }

    /** A 48×48 PNG of noise, distinct for each seed. */
    static byte[] png(int seed) throws IOException {
        BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < 48; y++) for (int x = 0; x < 48; x++) image.setRGB(x, y, random.nextInt(0xffffff));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A multipart/form-data upload of one PNG, as a browser's FormData sends it. */
    static final class AssetsApiTestUpload {
        static Rest.Reply upload(int port, String roomId, String token, byte[] png) {
            String boundary = "----vtt" + UUID.randomUUID().toString().replace("-", "");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(
                    ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"map.png\"\r\n"
                                    + "Content-Type: image/png\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(png);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                HttpResponse<String> response = CLIENT.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/rooms/" + roomId + "/assets"))
                                .header("authorization", "Bearer " + token)
                                .header("content-type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Rest.Reply(response.statusCode(), new JsonObject(response.body()), response);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
