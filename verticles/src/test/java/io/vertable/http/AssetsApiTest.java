package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Rest.Reply;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Room images, replay state and dice statistics through the real REST API (multipart uploads as a browser's
 * FormData sends them), bridge, services and database of a standalone node.
 */
class AssetsApiTest {

    /** A small upload limit, so the over-limit case is cheap to send. */
    static final int MAX_BYTES = 64 * 1024;

    static PgUrl database;
    static Node node;
    static Rest rest;
    /** HTTP/1.1, as a browser speaks to a plain-http node (no h2c upgrade). */
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    Table table;
    JsonObject pipSession;
    String pipToken;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("assets");
        JsonObject overrides =
                TestNodes.standalone("assets-node", "http:1,bridge:1,persistence:1,map:1,dice:1,chat:1", database);
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true);
        overrides.put("uploads", new JsonObject().put("maxBytes", MAX_BYTES));
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    @BeforeEach
    void seat() {
        table = Table.create(rest, "Gallery");
        pipSession = table.join("Pip", "PLAYER");
        pipToken = pipSession.getString("token");
    }

    // ---- images made in the test ----

    static byte[] imageIo(String format) {
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff0000);
        var out = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(image, format, out))
                    .as("a writer for " + format)
                    .isTrue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A RIFF/WEBP container holding one lossless (VP8L) chunk header for a 1×1 image. */
    static byte[] webp() {
        byte[] vp8l = {0x2f, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + vp8l.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + vp8l.length);
        b.put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
        return b.array();
    }

    /** A real PNG followed by padding up to {@code size} bytes (decoders stop at IEND; the magic is what counts). */
    static byte[] pngOfSize(int size) {
        byte[] png = imageIo("png");
        return Arrays.copyOf(png, size);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anImportedRoomsImagesLoadForItsNewMembersAndItsSheetsComeAlong() throws Exception {
        byte[] png = imageIo("png");
        String assetId = upload(table.gmToken(), file("crypt.png", "image/png", png))
                .body()
                .getString("id");
        try (Player gm = Player.gm(node, table)) {
            gm.join();
            long seq = gm.ok(
                            "vtt.in.map",
                            new JsonObject()
                                    .put("op", "scene.create")
                                    .put("name", "Crypt")
                                    .put("image", assetId)
                                    .put("width", 700)
                                    .put("height", 500))
                    .getLong("seq");
            String sceneId = gm.awaitSeq(seq).getJsonObject("data").getString("sceneId");
            gm.ok(
                    "vtt.in.map",
                    new JsonObject()
                            .put("op", "token.create")
                            .put("sceneId", sceneId)
                            .put("name", "Statue")
                            .put("x", 70)
                            .put("y", 70)
                            .put("image", "/api/assets/" + assetId));
        }
        rest.post(
                "/api/rooms/" + table.roomId() + "/characters",
                table.gmToken(),
                new JsonObject()
                        .put("name", "Warden")
                        .put("ownerId", Table.userId(pipSession))
                        .put("attributes", new JsonObject().put("wis", 4))
                        .put("notes", "Guards the crypt."));
        JsonObject exported = rest.get("/api/rooms/" + table.roomId() + "/export?format=json", table.gmToken())
                .body();
        assertThat(exported.getJsonArray("characters").encode())
                .contains("Warden")
                .doesNotContain(Table.userId(pipSession));
        JsonObject badSheet = exported.copy();
        badSheet.getJsonArray("characters").getJsonObject(0).put("notes", "x".repeat(10_001));
        assertThat(rest.post("/api/rooms/import", table.gmToken(), badSheet).code())
                .isEqualTo("PAYLOAD_TOO_LARGE");

        Table elsewhere = Table.create(rest, "Elsewhere");
        Reply imported = rest.post("/api/rooms/import", elsewhere.gmToken(), exported);
        assertThat(imported.status()).as(imported.body().encode()).isEqualTo(201);
        String roomId = imported.body().getString("id");
        String newAsset = rest.get("/api/rooms/" + roomId + "/assets", elsewhere.gmToken())
                .body()
                .getJsonArray("assets")
                .getJsonObject(0)
                .getString("id");
        assertThat(newAsset).isNotEqualTo(assetId);
        JsonObject view = rest.get("/api/rooms/" + roomId + "/state", elsewhere.gmToken())
                .body()
                .getJsonObject("view");
        JsonObject scene =
                (JsonObject) view.getJsonObject("scenes").iterator().next().getValue();
        JsonObject token =
                (JsonObject) view.getJsonObject("tokens").iterator().next().getValue();
        assertThat(scene.getString("image")).isEqualTo(newAsset);
        assertThat(token.getString("image")).isEqualTo("/api/assets/" + newAsset);
        JsonObject sheet = rest.get("/api/rooms/" + roomId + "/characters", elsewhere.gmToken())
                .body()
                .getJsonArray("characters")
                .getJsonObject(0);
        assertThat(sheet.getString("name")).isEqualTo("Warden");
        assertThat(sheet.getString("ownerId")).isNull();
        assertThat(sheet.getJsonObject("attributes").getInteger("wis")).isEqualTo(4);
        assertThat(sheet.getString("notes")).isEqualTo("Guards the crypt.");

        // The new room's GM and a player invited into it load the image; the old id means nothing to them.
        JsonObject newcomer = new Table(rest, roomId, elsewhere.gmId(), elsewhere.gmToken()).join("Newcomer", "PLAYER");
        for (String token2 : List.of(elsewhere.gmToken(), newcomer.getString("token"))) {
            Reply image = rest.get("/api/assets/" + newAsset, token2);
            assertThat(image.status()).isEqualTo(200);
            assertThat(image.header("etag")).contains(sha256(png));
            assertThat(rest.get("/api/assets/" + assetId, token2).code()).isEqualTo("NOT_FOUND");
        }
    }

    // ---- HTTP ----

    record Part(String field, String filename, String contentType, byte[] content) {}

    static Part file(String filename, String contentType, byte[] content) {
        return new Part("file", filename, contentType, content);
    }

    static Part text(String field, String value) {
        return new Part(field, null, null, value.getBytes(StandardCharsets.UTF_8));
    }

    Reply upload(String token, Part... parts) {
        return upload(table.roomId(), token, parts);
    }

    /** POSTs a multipart/form-data body as a browser's FormData does. */
    static Reply upload(String roomId, String token, Part... parts) {
        String boundary = "----vtt" + UUID.randomUUID().toString().replace("-", "");
        var body = new ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--" + boundary + "\r\n");
            head.append("Content-Disposition: form-data; name=\"")
                    .append(part.field())
                    .append('"');
            if (part.filename() != null)
                head.append("; filename=\"").append(part.filename()).append('"');
            head.append("\r\n");
            if (part.contentType() != null)
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            head.append("\r\n");
            body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return post(
                "/api/rooms/" + roomId + "/assets",
                token,
                "multipart/form-data; boundary=" + boundary,
                body.toByteArray());
    }

    static Reply post(String path, String token, String contentType, byte[] body) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(15))
                .header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) request.header("authorization", "Bearer " + token);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Reply(
                    response.statusCode(), text.startsWith("{") ? new JsonObject(text) : new JsonObject(), response);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GETs an asset's bytes as the client's fetch does (Bearer token, optional If-None-Match). */
    static HttpResponse<byte[]> fetch(String url, String token, String ifNoneMatch) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + url))
                .timeout(Duration.ofSeconds(15))
                .GET();
        if (token != null) request.header("authorization", "Bearer " + token);
        if (ifNoneMatch != null) request.header("if-none-match", ifNoneMatch);
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    static String code(HttpResponse<byte[]> response) {
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("code");
    }

    List<String> listedIds() {
        Reply listed = rest.get("/api/rooms/" + table.roomId() + "/assets", table.gmToken());
        assertThat(listed.status()).as(listed.body().encode()).isEqualTo(200);
        return listed.body().getJsonArray("assets").stream()
                .map(a -> ((JsonObject) a).getString("id"))
                .toList();
    }

    String otherUserToken() {
        return Table.create(rest, "Elsewhere").gmToken();
    }

    // ---- uploads ----

    @Test
    void eachFormatIsRecognisedByItsBytesStoredAndListedWithoutBytes() throws Exception {
        Map<String, byte[]> images = new java.util.LinkedHashMap<>();
        images.put("image/png", imageIo("png"));
        images.put("image/jpeg", imageIo("jpg"));
        images.put("image/gif", imageIo("gif"));
        images.put("image/webp", webp());
        Map<String, JsonObject> uploaded = new HashMap<>();
        for (var image : images.entrySet()) {
            // The declared type and the name lie; the bytes decide.
            Reply reply = upload(table.gmToken(), file("map.bin", "application/octet-stream", image.getValue()));
            assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
            JsonObject asset = reply.body();
            assertThat(asset.fieldNames())
                    .containsExactlyInAnyOrder("id", "name", "contentType", "size", "sha256", "url", "createdAt");
            assertThat(asset.getString("contentType")).isEqualTo(image.getKey());
            assertThat(asset.getInteger("size")).isEqualTo(image.getValue().length);
            assertThat(asset.getString("sha256")).isEqualTo(sha256(image.getValue()));
            assertThat(asset.getString("url")).isEqualTo("/api/assets/" + asset.getString("id"));
            assertThat(asset.getString("name")).isEqualTo("map.bin");
            assertThat(java.time.OffsetDateTime.parse(asset.getString("createdAt")))
                    .isNotNull();
            uploaded.put(image.getKey(), asset);
        }
        Reply listed = rest.get("/api/rooms/" + table.roomId() + "/assets", table.gmToken());
        JsonArray assets = listed.body().getJsonArray("assets");
        assertThat(assets).hasSize(4);
        assertThat(listed.body().encode()).doesNotContain("content\"");
        for (Object a : assets) {
            JsonObject asset = (JsonObject) a;
            assertThat(asset).isEqualTo(uploaded.get(asset.getString("contentType")));
        }
    }

    @Test
    void theNameFieldNamesTheAssetAndFoldersAreDroppedFromFileNames() {
        Reply named = upload(table.gmToken(), text("name", "  Goblin  "), file("tok.png", "image/png", imageIo("png")));
        assertThat(named.body().getString("name")).isEqualTo("Goblin");
        Reply path = upload(table.gmToken(), file("C:\\maps\\cave.png", "image/png", imageIo("png")));
        assertThat(path.body().getString("name")).isEqualTo("cave.png");
    }

    @Test
    void contentThatIsNotAnImageIsRefusedWhateverItClaims() {
        byte[] text = "just some notes, not a picture at all".getBytes(StandardCharsets.UTF_8);
        byte[] html = "<!doctype html><script>alert(document.cookie)</script>".getBytes(StandardCharsets.UTF_8);
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>"
                .getBytes(StandardCharsets.UTF_8);
        byte[] truncatedPng = Arrays.copyOf(imageIo("png"), 8); // the signature alone is not an image
        for (Part part : List.of(
                file("notes.png", "image/png", text),
                file("page.html", "text/html", html),
                file("evil.png", "image/png", html),
                file("icon.svg", "image/svg+xml", svg),
                file("cut.png", "image/png", truncatedPng),
                file("empty.png", "image/png", new byte[0]))) {
            Reply reply = upload(table.gmToken(), part);
            assertThat(reply.status()).as(part.filename()).isEqualTo(415);
            assertThat(reply.code()).as(part.filename()).isEqualTo("ASSET_NOT_AN_IMAGE");
            assertThat(reply.header("content-type")).isEqualTo("application/problem+json");
        }
        assertThat(listedIds()).isEmpty();
    }

    @Test
    void anImageOverTheLimitIsRefusedAndNothingIsStoredWhileOneAtTheLimitIsTaken() throws Exception {
        Reply over = upload(table.gmToken(), file("big.png", "image/png", pngOfSize(MAX_BYTES + 1)));
        assertThat(over.status()).isEqualTo(413);
        assertThat(over.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(over.body().getString("detail")).contains(Integer.toString(MAX_BYTES));
        assertThat(listedIds()).isEmpty();

        // Far over the limit: refused from its declared length, before it is read.
        Reply huge = upload(table.gmToken(), file("huge.png", "image/png", pngOfSize(MAX_BYTES * 3)));
        assertThat(huge.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(listedIds()).isEmpty();

        byte[] atLimit = pngOfSize(MAX_BYTES);
        Reply taken = upload(table.gmToken(), file("limit.png", "image/png", atLimit));
        assertThat(taken.status()).as(taken.body().encode()).isEqualTo(201);
        assertThat(taken.body().getInteger("size")).isEqualTo(MAX_BYTES);
        HttpResponse<byte[]> served = fetch(taken.body().getString("url"), pipToken, null);
        assertThat(served.body()).isEqualTo(atLimit);
        // Uploads are read in memory: no upload folder appears in the node's working directory.
        assertThat(Files.exists(Path.of("file-uploads"))).isFalse();
    }

    @Test
    void malformedUploadsAreBadRequests() {
        Reply json = rest.post("/api/rooms/" + table.roomId() + "/assets", table.gmToken(), new JsonObject());
        assertThat(json.code()).isEqualTo("BAD_REQUEST");
        String path = "/api/rooms/" + table.roomId() + "/assets";
        Reply empty = post(path, table.gmToken(), "multipart/form-data; boundary=x", new byte[0]);
        assertThat(empty.code()).isEqualTo("BAD_REQUEST");
        Reply garbage = post(
                path,
                table.gmToken(),
                "multipart/form-data; boundary=x",
                "not a multipart body at all".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.code()).isEqualTo("BAD_REQUEST");
        Reply noFile = upload(table.gmToken(), text("name", "nothing attached"));
        assertThat(noFile.code()).isEqualTo("BAD_REQUEST");
        Reply wrongField = upload(table.gmToken(), new Part("image", "a.png", "image/png", imageIo("png")));
        assertThat(wrongField.code()).isEqualTo("BAD_REQUEST");
        Reply two = upload(
                table.gmToken(),
                file("a.png", "image/png", imageIo("png")),
                file("b.png", "image/png", imageIo("png")));
        assertThat(two.code()).isEqualTo("BAD_REQUEST");
        assertThat(listedIds()).isEmpty();
        // The node still serves this connection pool afterwards.
        assertThat(upload(table.gmToken(), file("ok.png", "image/png", imageIo("png")))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void onlyTheRoomsGmsUploadListAndDelete() {
        String assetId = upload(table.gmToken(), file("a.png", "image/png", imageIo("png")))
                .body()
                .getString("id");
        String room = "/api/rooms/" + table.roomId() + "/assets";

        Reply byPlayer = upload(pipToken, file("p.png", "image/png", imageIo("png")));
        assertThat(byPlayer.status()).isEqualTo(403);
        assertThat(byPlayer.code()).isEqualTo("GM_ONLY");
        assertThat(rest.get(room, pipToken).code()).isEqualTo("GM_ONLY");
        assertThat(rest.delete(room + "/" + assetId, pipToken).code()).isEqualTo("GM_ONLY");

        String stranger = otherUserToken();
        assertThat(upload(stranger, file("s.png", "image/png", imageIo("png"))).code())
                .isEqualTo("NOT_A_MEMBER");
        assertThat(rest.get(room, stranger).code()).isEqualTo("NOT_A_MEMBER");
        assertThat(rest.delete(room + "/" + assetId, stranger).code()).isEqualTo("NOT_A_MEMBER");

        // Who may upload is decided before the body is read: a player's over-limit body is refused for the role.
        assertThat(upload(pipToken, file("big.png", "image/png", pngOfSize(MAX_BYTES * 3)))
                        .code())
                .isEqualTo("GM_ONLY");
        assertThat(upload(null, file("big.png", "image/png", pngOfSize(MAX_BYTES * 3)))
                        .code())
                .isEqualTo("UNAUTHENTICATED");

        Reply anonymous = upload(null, file("n.png", "image/png", imageIo("png")));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(upload("nonexistentroom", table.gmToken(), file("r.png", "image/png", imageIo("png")))
                        .code())
                .isEqualTo("NOT_A_MEMBER");

        assertThat(listedIds()).containsExactly(assetId);
    }

    // ---- serving ----

    @Test
    void membersGetTheBytesWithHeadersThatKeepThemAnImage() throws Exception {
        byte[] png = imageIo("png");
        JsonObject asset = upload(
                        table.gmToken(),
                        text("name", "Grüße \"x\";\r\nSet-Cookie: a=b.png"),
                        file("x.html", "text/html", png))
                .body();
        JsonObject observer = table.join("Olly", "OBSERVER");
        for (String token : List.of(table.gmToken(), pipToken, observer.getString("token"))) {
            HttpResponse<byte[]> served = fetch(asset.getString("url"), token, null);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(png);
            assertThat(header(served, "content-type")).isEqualTo("image/png");
            assertThat(header(served, "x-content-type-options")).isEqualTo("nosniff");
            assertThat(header(served, "content-security-policy")).isEqualTo("default-src 'none'; sandbox");
            assertThat(header(served, "cache-control")).isEqualTo("private, max-age=86400");
            assertThat(header(served, "etag")).isEqualTo("\"" + sha256(png) + "\"");
            assertThat(served.headers().firstValue("set-cookie")).isEmpty();
            String disposition = header(served, "content-disposition");
            assertThat(disposition).startsWith("inline; filename=\"");
            String quoted = disposition.substring("inline; filename=\"".length(), disposition.indexOf("\";"));
            assertThat(quoted).doesNotContain("\"", "\\", "\r", "\n", ";");
            assertThat(disposition).contains("filename*=UTF-8''Gr%C3%BC%C3%9Fe");
        }
    }

    @Test
    void nonMembersAndBannedMembersAreToldTheAssetDoesNotExist() {
        String url = upload(table.gmToken(), file("a.png", "image/png", imageIo("png")))
                .body()
                .getString("url");
        HttpResponse<byte[]> stranger = fetch(url, otherUserToken(), null);
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(code(stranger)).isEqualTo("NOT_FOUND");
        HttpResponse<byte[]> missing = fetch("/api/assets/NoSuchAsset0000", pipToken, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new String(stranger.body(), StandardCharsets.UTF_8))
                .as("the same answer as for an asset that does not exist")
                .isEqualTo(new String(missing.body(), StandardCharsets.UTF_8)
                        .replace("NoSuchAsset0000", url.substring(12)));
        assertThat(code(fetch("/api/assets/bad.id", pipToken, null))).isEqualTo("NOT_FOUND");
        HttpResponse<byte[]> anonymous = fetch(url, null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);

        assertThat(fetch(url, pipToken, null).statusCode())
                .as("control: a member may")
                .isEqualTo(200);
        assertThat(rest.delete(
                                "/api/rooms/" + table.roomId() + "/members/" + Table.userId(pipSession) + "?ban=true",
                                table.gmToken())
                        .status())
                .isEqualTo(200);
        assertThat(fetch(url, pipToken, null).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnchangedAssetIsAnsweredNotModified() throws Exception {
        byte[] gif = imageIo("gif");
        String url =
                upload(table.gmToken(), file("g.gif", "image/gif", gif)).body().getString("url");
        String etag = header(fetch(url, pipToken, null), "etag");
        assertThat(etag).isEqualTo("\"" + sha256(gif) + "\"");
        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            HttpResponse<byte[]> cached = fetch(url, pipToken, ifNoneMatch);
            assertThat(cached.statusCode()).as(ifNoneMatch).isEqualTo(304);
            assertThat(cached.body()).isEmpty();
            assertThat(header(cached, "etag")).isEqualTo(etag);
            assertThat(header(cached, "cache-control")).isEqualTo("private, max-age=86400");
        }
        HttpResponse<byte[]> changed = fetch(url, pipToken, "\"" + "0".repeat(64) + "\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(gif);
        assertThat(fetch(url, otherUserToken(), etag).statusCode())
                .as("a matching tag reveals nothing to a non-member")
                .isEqualTo(404);
    }

    @Test
    void aDeletedAssetIsGoneAndOnlyItsOwnRoomMayDeleteIt() {
        String id = upload(table.gmToken(), file("a.png", "image/png", imageIo("png")))
                .body()
                .getString("id");
        String kept = upload(table.gmToken(), file("b.png", "image/png", imageIo("png")))
                .body()
                .getString("id");
        Table other = Table.create(rest, "Other");
        assertThat(rest.delete("/api/rooms/" + other.roomId() + "/assets/" + id, other.gmToken())
                        .code())
                .as("another room's GM, through their own room")
                .isEqualTo("NOT_FOUND");
        assertThat(fetch("/api/assets/" + id, pipToken, null).statusCode()).isEqualTo(200);

        Reply deleted = rest.delete("/api/rooms/" + table.roomId() + "/assets/" + id, table.gmToken());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(fetch("/api/assets/" + id, pipToken, null).statusCode()).isEqualTo(404);
        assertThat(listedIds()).containsExactly(kept);
        assertThat(rest.delete("/api/rooms/" + table.roomId() + "/assets/" + id, table.gmToken())
                        .code())
                .isEqualTo("NOT_FOUND");
        assertThat(rest.delete("/api/rooms/" + table.roomId() + "/assets/bad.id", table.gmToken())
                        .code())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void aRoomHoldsAtMostItsBudgetOfImages() {
        byte[] png = imageIo("png");
        for (int i = 0; i < io.vertable.shared.asset.AssetLimits.MAX_PER_ROOM; i++) {
            Reply reply = upload(table.gmToken(), file("t" + i + ".png", "image/png", png));
            assertThat(reply.status())
                    .as("upload " + i + ": " + reply.body().encode())
                    .isEqualTo(201);
        }
        Reply over = upload(table.gmToken(), file("one-more.png", "image/png", png));
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.code()).isEqualTo("ASSET_LIMIT");
        assertThat(listedIds()).hasSize(io.vertable.shared.asset.AssetLimits.MAX_PER_ROOM);
        // Deleting one makes room for one.
        String first = listedIds().get(0);
        assertThat(rest.delete("/api/rooms/" + table.roomId() + "/assets/" + first, table.gmToken())
                        .status())
                .isEqualTo(204);
        assertThat(upload(table.gmToken(), file("one-more.png", "image/png", png))
                        .status())
                .isEqualTo(201);
    }

    // ---- replay state ----

    private Player gmAtTable() {
        Player gm = Player.gm(node, table);
        gm.join();
        return gm;
    }

    private Reply stateAt(String query, String token) {
        return rest.get("/api/rooms/" + table.roomId() + "/state" + query, token);
    }

    @Test
    void theStateAtASeqIsTheRoomAsItWasThenEvenAcrossSnapshots() {
        try (Player gm = gmAtTable()) {
            long sceneSeq = gm.map("scene.create", new JsonObject().put("name", "Crypt"))
                    .getLong("seq");
            String scene = gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                    .getJsonObject("view")
                    .getString("activeScene");
            JsonObject created = gm.map(
                    "token.create",
                    new JsonObject()
                            .put("sceneId", scene)
                            .put("x", 100)
                            .put("y", 100)
                            .put("name", "Orc"));
            long createdSeq = created.getLong("seq");
            String tokenId = gm.awaitSeq(createdSeq).getJsonObject("data").getString("tokenId");
            // 130 moves: x = 100 + 10·i at seq createdSeq + i, so snapshot 100 lies inside the range.
            long lastSeq = createdSeq;
            for (int i = 1; i <= 130; i++) {
                JsonObject moved = gm.map(
                        "token.move",
                        new JsonObject()
                                .put("tokenId", tokenId)
                                .put("x", 100 + 10 * i)
                                .put("y", 100));
                assertThat(moved.getLong("seq")).isEqualTo(createdSeq + i);
                lastSeq = moved.getLong("seq");
            }

            // The owner stored a snapshot at 100 on its way: later points start from it, earlier ones from nothing.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> snapshotSeqs()
                    .contains(100L));

            Reply latest = stateAt("", table.gmToken());
            assertThat(latest.status()).as(latest.body().encode()).isEqualTo(200);
            assertThat(latest.body().getLong("seq")).isEqualTo(lastSeq);
            assertThat(latest.body().getLong("at")).isEqualTo(lastSeq);
            assertThat(xOf(latest, tokenId)).isEqualTo(100 + 10 * 130);
            assertThat(latest.body().getJsonObject("view"))
                    .as("the same view a GM joining now gets")
                    .isEqualTo(gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                            .getJsonObject("view"));

            for (long at : List.of(createdSeq, createdSeq + 5, 99L, 100L, 101L, createdSeq + 120)) {
                Reply then = stateAt("?at=" + at, table.gmToken());
                assertThat(then.body().getLong("at")).isEqualTo(at);
                assertThat(then.body().getLong("seq")).isEqualTo(lastSeq);
                assertThat(xOf(then, tokenId)).as("at " + at).isEqualTo(100 + 10 * (at - createdSeq));
            }
            Reply beforeToken = stateAt("?at=" + sceneSeq, table.gmToken());
            assertThat(beforeToken.body().getJsonObject("view").getJsonObject("tokens"))
                    .isEmpty();
            assertThat(beforeToken.body().getJsonObject("view").getJsonObject("scenes"))
                    .hasSize(1);
            Reply empty = stateAt("?at=0", table.gmToken());
            assertThat(empty.body().getJsonObject("view").getJsonObject("scenes"))
                    .isEmpty();
            Reply clamped = stateAt("?at=999999", table.gmToken());
            assertThat(clamped.body().getLong("at")).isEqualTo(lastSeq);
            assertThat(xOf(clamped, tokenId)).isEqualTo(100 + 10 * 130);

            for (String bad : List.of("-1", "abc", "1.5", "", "99999999999999999999")) {
                Reply refused = stateAt("?at=" + bad, table.gmToken());
                assertThat(refused.status()).as("at=" + bad).isEqualTo(400);
                assertThat(refused.code()).as("at=" + bad).isEqualTo("BAD_REQUEST");
            }
            assertThat(stateAt("?at=1", pipToken).code()).isEqualTo("GM_ONLY");
            assertThat(stateAt("", otherUserToken()).code()).isEqualTo("NOT_A_MEMBER");
        }
    }

    @Test
    void theStateOfARoomWithNoEventsIsTheEmptyRoom() {
        Reply state = stateAt("", table.gmToken());
        assertThat(state.status()).isEqualTo(200);
        assertThat(state.body().getLong("seq")).isZero();
        assertThat(state.body().getLong("at")).isZero();
        assertThat(state.body().getJsonObject("view").getJsonObject("tokens")).isEmpty();
    }

    private List<Long> snapshotSeqs() throws java.sql.SQLException {
        try (var connection = TestStorage.jdbc(database);
                var query = connection.prepareStatement("SELECT seq FROM snapshots WHERE room_id = ?")) {
            query.setString(1, table.roomId());
            List<Long> seqs = new ArrayList<>();
            try (var rows = query.executeQuery()) {
                while (rows.next()) seqs.add(rows.getLong(1));
            }
            return seqs;
        }
    }

    private static double xOf(Reply state, String tokenId) {
        return state.body()
                .getJsonObject("view")
                .getJsonObject("tokens")
                .getJsonObject(tokenId)
                .getDouble("x");
    }

    // ---- dice statistics ----

    @Test
    void diceStatisticsCountEveryDieOfEveryRollerInEveryMode() {
        JsonObject quinSession = table.join("Quin", "PLAYER");
        try (Player gm = gmAtTable();
                Player pip = new Player(
                        node.vertx(), node.bridgePort(), pipToken, Table.userId(pipSession), table.roomId(), false);
                Player quin = Player.member(node, table, quinSession)) {
            pip.join();
            quin.join();
            List<Long> seqs = new ArrayList<>();
            seqs.add(pip.chat("/r 2d20kh1 + 3").getLong("seq")); // one die dropped, still rolled
            seqs.add(pip.chat("/gmroll 3d6").getLong("seq"));
            seqs.add(pip.chat("/sr 1d20").getLong("seq")); // a self roll: the GM's stream gets a stub
            seqs.add(quin.chat("/br 1d20").getLong("seq"));
            seqs.add(quin.chat("I swing [[1d20+5]] and deal [[2d6]]").getLong("seq"));
            seqs.add(gm.chat("/r 4d6k3").getLong("seq"));
            seqs.add(pip.chat("no dice here").getLong("seq"));
            for (long seq : seqs) assertThat(seq).isPositive();

            // What was rolled, as the rollers' own copies show it (a self roll reaches only its roller).
            Map<String, Map<Integer, List<Integer>>> rolled = new HashMap<>();
            Map<String, Integer> rollCounts = new HashMap<>();
            collect(rolled, rollCounts, pip.userId, pip.awaitPrivate(seqs.get(2)));
            for (int i : List.of(0, 1, 3, 4, 5)) collect(rolled, rollCounts, null, gm.awaitSeq(seqs.get(i)));

            Reply stats = rest.get("/api/rooms/" + table.roomId() + "/dice/stats", table.gmToken());
            assertThat(stats.status()).as(stats.body().encode()).isEqualTo(200);
            JsonArray players = stats.body().getJsonArray("players");
            assertThat(players).hasSize(3);
            Map<String, JsonObject> byUser = new HashMap<>();
            players.forEach(p -> byUser.put(((JsonObject) p).getString("userId"), (JsonObject) p));
            assertThat(byUser.get(pip.userId).getString("displayName")).isEqualTo("Pip");
            assertThat(byUser.get(quin.userId).getString("displayName")).isEqualTo("Quin");
            assertThat(byUser.get(pip.userId).getLong("rolls")).isEqualTo(3);
            assertThat(byUser.get(quin.userId).getLong("rolls")).isEqualTo(3);
            assertThat(byUser.get(table.gmId()).getLong("rolls")).isEqualTo(1);
            assertThat(players.getJsonObject(0).getLong("rolls"))
                    .as("busiest roller first")
                    .isEqualTo(3);

            for (var user : rolled.entrySet()) {
                JsonObject player = byUser.get(user.getKey());
                JsonObject dice = player.getJsonObject("dice");
                assertThat(dice.fieldNames())
                        .containsExactlyInAnyOrderElementsOf(user.getValue().keySet().stream()
                                .map(String::valueOf)
                                .toList());
                for (var faces : user.getValue().entrySet()) {
                    JsonObject die = dice.getJsonObject(Integer.toString(faces.getKey()));
                    List<Integer> values = faces.getValue();
                    assertThat(die.getLong("count")).isEqualTo(values.size());
                    assertThat(die.getLong("sum"))
                            .isEqualTo(values.stream()
                                    .mapToLong(Integer::longValue)
                                    .sum());
                    Map<String, Long> histogram = new HashMap<>();
                    values.forEach(v -> histogram.merge(Integer.toString(v), 1L, Long::sum));
                    JsonObject counted = die.getJsonObject("faces");
                    assertThat(counted.fieldNames()).containsExactlyInAnyOrderElementsOf(histogram.keySet());
                    histogram.forEach((value, n) -> assertThat(counted.getLong(value))
                            .as("d" + faces.getKey() + " = " + value)
                            .isEqualTo(n));
                }
                List<Integer> d20 = user.getValue().getOrDefault(20, List.of());
                assertThat(player.getLong("nat20"))
                        .isEqualTo(d20.stream().filter(v -> v == 20).count());
                assertThat(player.getLong("nat1"))
                        .isEqualTo(d20.stream().filter(v -> v == 1).count());
            }
            assertThat(byUser.get(pip.userId)
                            .getJsonObject("dice")
                            .getJsonObject("20")
                            .getLong("count"))
                    .as("2d20kh1 counts both dice, plus the self roll's")
                    .isEqualTo(3);
            assertThat(byUser.get(table.gmId())
                            .getJsonObject("dice")
                            .getJsonObject("6")
                            .getLong("count"))
                    .as("4d6k3 counts the dropped die")
                    .isEqualTo(4);

            assertThat(rest.get("/api/rooms/" + table.roomId() + "/dice/stats", pipToken)
                            .code())
                    .isEqualTo("GM_ONLY");
            assertThat(rest.get("/api/rooms/" + table.roomId() + "/dice/stats", otherUserToken())
                            .code())
                    .isEqualTo("NOT_A_MEMBER");
        }
    }

    @Test
    void aRoomWithoutRollsHasNoStatistics() {
        Reply stats = rest.get("/api/rooms/" + table.roomId() + "/dice/stats", table.gmToken());
        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.body().getJsonArray("players")).isEmpty();
    }

    /** Adds every die of a chat.message event to its roller's faces → values. */
    private static void collect(
            Map<String, Map<Integer, List<Integer>>> rolled,
            Map<String, Integer> rollCounts,
            String roller,
            JsonObject event) {
        assertThat(event.getString("type")).as(event.encode()).isEqualTo("chat.message");
        JsonObject data = event.getJsonObject("data");
        String userId = roller != null ? roller : data.getString("from");
        for (Object r : data.getJsonArray("rolls")) {
            rollCounts.merge(userId, 1, Integer::sum);
            for (Object t : ((JsonObject) r).getJsonArray("dice")) {
                JsonObject term = (JsonObject) t;
                for (Object d : term.getJsonArray("rolls")) {
                    rolled.computeIfAbsent(userId, u -> new HashMap<>())
                            .computeIfAbsent(term.getInteger("faces"), f -> new ArrayList<>())
                            .add(((JsonObject) d).getInteger("value"));
                }
            }
        }
    }
}
