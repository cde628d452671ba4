package io.vertable.http;

import io.vertable.kit.rooms.RoomOwnerClient;
import io.vertable.security.RateLimiter.Limit;
import io.vertable.security.RoomMember;
import io.vertable.shared.RoomRole;
import io.vertable.shared.asset.AssetLimits;
import io.vertable.shared.asset.ImageType;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room images: GMs upload, list and delete them; any member of the room fetches one. An upload
 * is read into memory (never a temporary file), checked by its first bytes, and stored by persistence; it is served
 * with headers that keep a browser from reading it as anything but an image.
 */
final class AssetRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AssetRoutes.class);

    static final String ROOM_ASSETS = "/api/rooms/:roomId/assets";

    /** Room for the multipart envelope around the image: boundaries, part headers, the name field. */
    static final long MULTIPART_SLACK = 64 * 1024;

    /** At most this many entity tags of an If-None-Match header are compared. */
    private static final int MAX_ETAGS = 8;

    static final String SAFE_CSP = "default-src 'none'; sandbox";
    static final String CACHE = "private, max-age=86400";

    private final Api api;
    private final RoomOwnerClient owners;
    private final long maxBytes;
    private final Limit writes;

    AssetRoutes(Api api, JsonObject config) {
        this.api = api;
        this.owners = new RoomOwnerClient(api.vertx, api.nodeId);
        this.maxBytes = config.getJsonObject("uploads").getInteger("maxBytes");
        this.writes =
                Limit.perMinute("rest-write", config.getJsonObject("rateLimits").getInteger("restWritesPerMinute"));
    }

    /**
     * The upload route, mounted before the other room routes (whose small body limit would refuse it): the body
     * waits, unread, until the caller is known to be a GM of the room within the write rate.
     */
    void mountUpload(Router router) {
        router.post(ROOM_ASSETS)
                .handler(api::authenticate)
                .handler(api.limited(writes, ctx -> Api.identity(ctx).userId()))
                .handler(this::requireGm)
                .handler(this::readUpload);
    }

    /** The other routes; {@code /api/rooms*} is authenticated and write-limited by {@link RoomRoutes}. */
    void mount(Router router) {
        router.get(ROOM_ASSETS).handler(ctx -> api.respond(ctx, 200, () -> list(ctx)));
        router.delete(ROOM_ASSETS + "/:assetId").handler(ctx -> api.respond(ctx, 204, () -> delete(ctx)));
        router.get(AssetLimits.URL_PREFIX + ":assetId")
                .handler(api::authenticate)
                .handler(this::serve);
    }

    // ---- upload ----

    private void requireGm(RoutingContext ctx) {
        api.requireGm(ctx).onSuccess(ok -> ctx.next()).onFailure(e -> api.problem(ctx, e));
    }

    private void readUpload(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String type = request.getHeader("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            api.problem(
                    ctx, new FailureException(ErrorCode.BAD_REQUEST, "send multipart/form-data, the image in 'file'"));
            return;
        }
        if (request.isEnded() || declaredLength(request) == 0) {
            api.problem(ctx, new FailureException(ErrorCode.BAD_REQUEST, "send one image, in the field 'file'"));
            return;
        }
        if (declaredLength(request) > maxBytes + MULTIPART_SLACK) {
            api.problem(ctx, tooLarge());
            return;
        }
        if (!api.bodies.reserve(ctx, maxBytes + MULTIPART_SLACK)) return;
        Upload upload = new Upload();
        request.setExpectMultipart(true);
        request.uploadHandler(part -> upload.part(ctx, part));
        request.exceptionHandler(
                e -> api.problem(ctx, new FailureException(ErrorCode.BAD_REQUEST, "unreadable upload")));
        request.endHandler(end -> {
            if (!ctx.response().ended()) api.respond(ctx, 201, () -> store(ctx, upload));
        });
        request.resume();
    }

    /** What the multipart body held: the one {@code file} part, in memory and within the limit. */
    private final class Upload {
        Buffer content = Buffer.buffer();
        String filename;
        int files;
        boolean tooLarge;

        void part(RoutingContext ctx, HttpServerFileUpload part) {
            if (!"file".equals(part.name()) || ++files > 1) {
                part.handler(ignored -> {});
                return;
            }
            filename = part.filename();
            part.handler(chunk -> {
                if (ctx.request().bytesRead() > maxBytes + MULTIPART_SLACK
                        && !ctx.response().ended()) {
                    api.problem(ctx, tooLarge()); // a body without a length that keeps coming
                }
                if (tooLarge || content.length() + chunk.length() > maxBytes) {
                    tooLarge = true;
                    content = Buffer.buffer();
                    return;
                }
                content.appendBuffer(chunk);
            });
        }
    }

    private Future<JsonObject> store(RoutingContext ctx, Upload upload) {
        if (upload.tooLarge) throw tooLarge();
        if (upload.files != 1) throw new FailureException(ErrorCode.BAD_REQUEST, "send one image, in the field 'file'");
        byte[] bytes = upload.content.getBytes();
        ImageType type = ImageType.of(bytes)
                .orElseThrow(() -> new FailureException(
                        ErrorCode.ASSET_NOT_AN_IMAGE, "the file's content is not a PNG, JPEG, GIF or WebP image"));
        String roomId = ctx.pathParam("roomId");
        String userId = Api.identity(ctx).userId();
        JsonObject stored = new JsonObject()
                .put("uploadedBy", userId)
                .put("name", assetName(ctx.request().getFormAttribute("name"), upload.filename, type))
                .put("contentType", type.contentType())
                .put("sha256", sha256(bytes))
                .put("content", upload.content);
        return api.stores
                .assets()
                .create(roomId, stored)
                .onSuccess(asset -> LOG.info(
                        "asset uploaded node={} room={} user={} asset={} type={} bytes={}",
                        api.nodeId,
                        roomId,
                        userId,
                        asset.getString("id"),
                        type.contentType(),
                        bytes.length));
    }

    private FailureException tooLarge() {
        return new FailureException(
                ErrorCode.PAYLOAD_TOO_LARGE, "an image may be at most " + maxBytes + " bytes (uploads.maxBytes)");
    }

    private static long declaredLength(HttpServerRequest request) {
        try {
            String length = request.getHeader("content-length");
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The name the GM gave, else the file's own name without its folders, else the format; clean and bounded. */
    static String assetName(String given, String filename, ImageType type) {
        for (String candidate : new String[] {given, filename == null ? null : filename.replaceAll(".*[/\\\\]", "")}) {
            if (candidate == null) continue;
            String clean = candidate.replaceAll("\\p{Cntrl}", "").strip();
            if (!clean.isEmpty())
                return clean.length() > AssetLimits.MAX_NAME ? clean.substring(0, AssetLimits.MAX_NAME) : clean;
        }
        return "image." + type.extension();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- list, delete ----

    private Future<JsonObject> list(RoutingContext ctx) {
        return api.requireGm(ctx).compose(ok -> api.stores.assets().list(ctx.pathParam("roomId")));
    }

    private Future<JsonObject> delete(RoutingContext ctx) {
        String roomId = ctx.pathParam("roomId");
        String assetId = assetId(ctx);
        String userId = Api.identity(ctx).userId();
        return api.requireGm(ctx)
                .compose(ok -> api.stores.assets().delete(roomId, assetId))
                .onSuccess(done -> LOG.info(
                        "asset deleted node={} room={} user={} asset={}", api.nodeId, roomId, userId, assetId));
    }

    private static String assetId(RoutingContext ctx) {
        String assetId = ctx.pathParam("assetId");
        if (!StreamAddress.isId(assetId)) throw new FailureException(ErrorCode.NOT_FOUND, "no such asset");
        return assetId;
    }

    // ---- serving ----

    /**
     * The bytes, to a member of the asset's room only (to anyone else the asset does not exist), and never the whole map
     * of a scene whose players get it tile by tile to one who is not a GM.
     */
    private void serve(RoutingContext ctx) {
        Api.attempt(() -> api.stores
                        .assets()
                        .get(
                                assetId(ctx),
                                Api.identity(ctx).userId(),
                                etags(ctx.request().getHeader("if-none-match")))
                        .compose(asset -> wholeImageAllowed(ctx, asset).map(asset)))
                .onSuccess(asset -> send(ctx, asset))
                .onFailure(e -> api.problem(ctx, e));
    }

    /** A GM may have any image whole; anyone else asks the room's owner whether it is a map shown in tiles. */
    private Future<Void> wholeImageAllowed(RoutingContext ctx, JsonObject asset) {
        String roomId = asset.getString("roomId");
        return api.roleIn(ctx, roomId)
                .compose(role -> role == RoomRole.GM
                        ? Future.succeededFuture()
                        : owners.query(
                                        roomId,
                                        new JsonObject().put("op", "wholeImage").put("assetId", asset.getString("id")),
                                        RoomMember.of(Api.identity(ctx), role).headers(),
                                        Deadlines.ROUTE_MS)
                                .mapEmpty());
    }

    /** The entity tags of an If-None-Match header, unquoted and without weak markers ({@code *} stays). */
    static JsonArray etags(String header) {
        JsonArray tags = new JsonArray();
        if (header == null) return tags;
        for (String tag : header.split(",")) {
            String clean = tag.strip().replaceFirst("^W/", "").replace("\"", "");
            if (!clean.isEmpty() && tags.size() < MAX_ETAGS) tags.add(clean);
        }
        return tags;
    }

    private static void send(RoutingContext ctx, JsonObject asset) {
        HttpServerResponse response = ctx.response()
                .putHeader("etag", "\"" + asset.getString("sha256") + "\"")
                .putHeader("cache-control", CACHE)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("content-security-policy", SAFE_CSP);
        if (asset.getBoolean("notModified", false)) {
            response.setStatusCode(304).end();
            return;
        }
        Buffer content = asset.getBuffer("content");
        // Served as the type its bytes show (an imported room's record could claim anything); else not as a page.
        var type = ImageType.of(content.getBytes());
        response.putHeader("content-type", type.map(ImageType::contentType).orElse("application/octet-stream"))
                .putHeader(
                        "content-disposition",
                        (type.isPresent() ? "inline" : "attachment") + "; "
                                + filenameParameters(asset.getString("name")))
                .end(content);
    }

    /**
     * {@code filename="…"} with only harmless ASCII (no quote, backslash, control or separator can break out of it),
     * and the real name in {@code filename*} (RFC 6266, RFC 8187).
     */
    static String filenameParameters(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9 ._()-]", "_");
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A");
        return "filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
