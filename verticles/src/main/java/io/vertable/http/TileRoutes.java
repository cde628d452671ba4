package io.vertable.http;

import io.vertable.kit.rooms.RoomOwnerClient;
import io.vertable.security.RateLimiter.Limit;
import io.vertable.security.RoomMember;
import io.vertable.shared.room.SceneTiles;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scene's map image, tile by tile (docs/vision.md): the room's owner says whether the caller may have the tile
 * (players of a vision scene only the tiles they explored, with the cells they are not shown painted black) and which
 * image to cut it from; the image is cut once per scene size and the tiles kept in memory.
 */
final class TileRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(TileRoutes.class);
    static final String TILE = "/api/rooms/:roomId/scenes/:sceneId/tiles/:col/:row";

    private final Api api;
    private final RoomOwnerClient owners;
    private final MapTiles.Cache<MapTiles.TileSet> cache =
            new MapTiles.Cache<>(SceneTiles.CACHE_BYTES, MapTiles.TileSet::bytes);
    /** A player's tiles with unexplored cells painted black, by tile and cells shown. */
    private final MapTiles.Cache<MapTiles.Tile> maskedCache =
            new MapTiles.Cache<>(SceneTiles.CACHE_BYTES / 4, tile -> tile.bytes().length);
    /** Cuts under way, so tiles asked for at once share one decode. */
    private final Map<String, Future<MapTiles.TileSet>> cutting = new HashMap<>();

    TileRoutes(Api api) {
        this.api = api;
        this.owners = new RoomOwnerClient(api.vertx, api.nodeId);
    }

    /**
     * {@code /api/rooms*} is authenticated by {@link RoomRoutes}; tiles have a rate of their own per user, generous
     * enough for a page fetching a large explored map at once, as each asks the room's owner.
     */
    void mount(Router router) {
        router.get(TILE)
                .handler(api.limited(TILE_RATE, ctx -> Api.identity(ctx).userId()))
                .handler(this::serve);
    }

    /** 40 a second, a burst of 2,000 (a 16,000-pixel-wide explored map is under 1,000 tiles). */
    static final Limit TILE_RATE = new Limit("map-tiles", 40, 2_000);

    private record Wanted(String roomId, String sceneId, int col, int row) {}

    private void serve(RoutingContext ctx) {
        Api.attempt(() -> {
                    Wanted wanted = wanted(ctx);
                    return allowedAsset(ctx, wanted).compose(answer -> tiles(wanted.roomId(), answer)
                            .compose(tiles -> shownPart(wanted, answer, tiles)));
                })
                .onSuccess(tile -> send(ctx, tile))
                .onFailure(e -> api.problem(ctx, e));
    }

    private static Wanted wanted(RoutingContext ctx) {
        String roomId = ctx.pathParam("roomId"), sceneId = ctx.pathParam("sceneId");
        if (!StreamAddress.isId(roomId) || !StreamAddress.isId(sceneId))
            throw new FailureException(ErrorCode.NOT_FOUND, "no such scene");
        return new Wanted(roomId, sceneId, index(ctx.pathParam("col")), index(ctx.pathParam("row")));
    }

    private static int index(String text) {
        if (text == null || !text.matches("[0-9]{1,5}"))
            throw new FailureException(ErrorCode.NOT_FOUND, "no such tile");
        return Integer.parseInt(text);
    }

    /** The owner's answer {@code {asset, width, height}} for this member, or its refusal. */
    private Future<JsonObject> allowedAsset(RoutingContext ctx, Wanted wanted) {
        JsonObject question = new JsonObject()
                .put("op", "tile")
                .put("sceneId", wanted.sceneId())
                .put("col", wanted.col())
                .put("row", wanted.row());
        return api.roleIn(ctx)
                .compose(role -> owners.query(
                        wanted.roomId(),
                        question,
                        RoomMember.of(Api.identity(ctx), role).headers(),
                        Deadlines.ROUTE_MS));
    }

    private static String setKey(String roomId, JsonObject answer) {
        return roomId + "/" + answer.getString("asset") + "@" + answer.getDouble("width") + "x"
                + answer.getDouble("height");
    }

    /** A tile as this member may see it. */
    private record Served(MapTiles.Tile tile, boolean masked) {}

    /** The whole tile, or, when the owner answered a mask, the tile with the cells this player is not shown blacked. */
    private Future<Served> shownPart(Wanted wanted, JsonObject answer, MapTiles.TileSet tiles) {
        MapTiles.Tile whole = tiles.tile(wanted.col(), wanted.row());
        SceneTiles.Mask mask = SceneTiles.Mask.from(answer);
        if (mask == null) return Future.succeededFuture(new Served(whole, false));
        String key = setKey(wanted.roomId(), answer) + "/" + wanted.col() + "," + wanted.row() + "/" + mask.cell() + "/"
                + mask.shown();
        MapTiles.Tile cached = maskedCache.get(key);
        if (cached != null) return Future.succeededFuture(new Served(cached, true));
        double width = answer.getDouble("width"), height = answer.getDouble("height");
        return api.vertx
                .executeBlocking(() -> MapTiles.masked(whole, width, height, wanted.col(), wanted.row(), mask), false)
                .map(masked -> {
                    maskedCache.put(key, masked);
                    return new Served(masked, true);
                });
    }

    /** The cut tiles of the answer's image at the answer's scene size: from memory, else read and cut once. */
    private Future<MapTiles.TileSet> tiles(String roomId, JsonObject answer) {
        String asset = answer.getString("asset");
        double width = answer.getDouble("width"), height = answer.getDouble("height");
        String key = setKey(roomId, answer);
        MapTiles.TileSet cached = cache.get(key);
        if (cached != null) return Future.succeededFuture(cached);
        return cutting.computeIfAbsent(key, k -> api.stores
                .assets()
                .content(roomId, asset)
                .compose(found -> api.vertx.executeBlocking(
                        () -> MapTiles.cut(found.getBuffer("content").getBytes(), width, height), false))
                .onSuccess(tiles -> {
                    cache.put(k, tiles);
                    LOG.info(
                            "map cut into tiles node={} room={} asset={} tiles={} bytes={}",
                            api.nodeId,
                            roomId,
                            asset,
                            tiles.tiles().length,
                            tiles.bytes());
                })
                .onComplete(done -> cutting.remove(k)));
    }

    /**
     * A masked tile is not kept by the browser: the same address serves more of the tile once more is explored, and the
     * page asks for it again then.
     */
    private static void send(RoutingContext ctx, Served served) {
        MapTiles.Tile tile = served.tile();
        ctx.response()
                .putHeader("content-type", tile.contentType())
                .putHeader("cache-control", served.masked() ? "private, no-store" : AssetRoutes.CACHE)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("content-security-policy", AssetRoutes.SAFE_CSP)
                .end(io.vertx.core.buffer.Buffer.buffer(tile.bytes()));
    }
}
