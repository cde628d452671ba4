package io.vertable.http;

import io.vertable.security.RateLimiter.Limit;
import io.vertable.security.RoomMember;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Commands;
import io.vertable.shared.wire.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Chat history and search, character sheets and stateless rolls over REST. Room routes ask the same chat
 * and dice services the bridge does, as the calling member, so both doors apply one set of rules.
 */
final class TableRoutes {

    private static final long SERVICE_TIMEOUT_MS = Deadlines.ROUTE_MS;

    private final Api api;
    private final Limit rollsPerIp;

    TableRoutes(Api api, JsonObject config) {
        this.api = api;
        this.rollsPerIp =
                Limit.perMinute("dice-ip", config.getJsonObject("rateLimits").getInteger("restWritesPerMinute"));
    }

    void mount(Router router) {
        router.get("/api/rooms/:roomId/chat").handler(ctx -> api.respond(ctx, 200, () -> chat(ctx, "history")));
        router.get("/api/rooms/:roomId/chat/search").handler(ctx -> api.respond(ctx, 200, () -> chat(ctx, "search")));
        router.get("/api/rooms/:roomId/characters")
                .handler(ctx -> api.respond(ctx, 200, () -> dice(ctx, "character.list", new JsonObject())));
        router.post("/api/rooms/:roomId/characters")
                .handler(ctx -> api.respond(ctx, 201, () -> dice(ctx, "character.create", Api.body(ctx))));
        router.get("/api/rooms/:roomId/characters/:characterId")
                .handler(ctx -> api.respond(ctx, 200, () -> dice(ctx, "character.get", new JsonObject())));
        router.patch("/api/rooms/:roomId/characters/:characterId")
                .handler(ctx -> api.respond(ctx, 200, () -> dice(ctx, "character.update", Api.body(ctx))));
        router.get("/api/rooms/:roomId/dice/stats").handler(ctx -> api.respond(ctx, 200, () -> diceStats(ctx)));
        router.post("/api/dice/roll")
                .handler(api.limited(rollsPerIp, Api::clientIp))
                .handler(api.bodies.read(Bodies.SMALL))
                .handler(ctx -> api.respond(ctx, 200, () -> api.call(Addresses.DICE_ROLL, Api.body(ctx))));
    }

    /** Per roller, every die the room's stored rolls show, whatever their mode: the GMs' statistics chart. */
    private Future<JsonObject> diceStats(RoutingContext ctx) {
        return api.requireGm(ctx).compose(ok -> api.stores.chat().diceStats(ctx.pathParam("roomId")));
    }

    private Future<JsonObject> chat(RoutingContext ctx, String op) {
        JsonObject request = Commands.named(op);
        copyNumber(ctx, request, "before");
        copyNumber(ctx, request, "limit");
        if (ctx.queryParams().get("q") != null)
            request.put("q", ctx.queryParams().get("q"));
        return asMember(ctx, Addresses.CHAT_COMMAND, request);
    }

    private Future<JsonObject> dice(RoutingContext ctx, String op, JsonObject body) {
        JsonObject request = body.copy().put(Commands.OP, op);
        if (ctx.pathParam("characterId") != null) request.put("id", ctx.pathParam("characterId"));
        return asMember(ctx, Addresses.DICE_COMMAND, request);
    }

    /** Sends the request to a service with the caller's trusted identity, as the bridge would. */
    private Future<JsonObject> asMember(RoutingContext ctx, String address, JsonObject request) {
        String roomId = ctx.pathParam("roomId");
        var identity = Api.identity(ctx);
        return api.roleIn(ctx).compose(role -> {
            RoomMember member = RoomMember.of(identity, role);
            return api.vertx
                    .eventBus()
                    .<JsonObject>request(
                            address, request.put("room", roomId), member.deliveryOptions(SERVICE_TIMEOUT_MS))
                    .map(reply -> {
                        JsonObject answer = reply.body().copy();
                        answer.remove("ok");
                        return answer;
                    });
        });
    }

    private static void copyNumber(RoutingContext ctx, JsonObject request, String name) {
        String text = ctx.queryParams().get(name);
        if (text == null) return;
        try {
            request.put(name, Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new io.vertable.shared.wire.FailureException(
                    io.vertable.shared.wire.ErrorCode.BAD_REQUEST, name + " must be a whole number");
        }
    }
}
