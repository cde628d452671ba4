package io.vertable.http;

import io.vertable.security.Identity;
import io.vertable.security.RateLimiter.Limit;
import io.vertable.shared.RoomRole;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.BridgeControl;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rooms, invites and members. Membership changes close the affected bridge sockets cluster-wide. */
final class RoomRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(RoomRoutes.class);

    private final Api api;
    private final String publicUrl;
    private final Limit writes;
    private final Limit acceptPerIp;
    private final DeviceCookies devices;
    private final long importBytes;

    RoomRoutes(Api api, JsonObject config) {
        this.api = api;
        this.publicUrl = config.getJsonObject("http").getString("publicUrl");
        this.devices = new DeviceCookies(publicUrl);
        this.importBytes = ArchiveLimits.of(config).maxBytes();
        this.writes =
                Limit.perMinute("rest-write", config.getJsonObject("rateLimits").getInteger("restWritesPerMinute"));
        this.acceptPerIp =
                Limit.perMinute("invite-ip", config.getJsonObject("rateLimits").getInteger("loginPerMinute") * 3);
    }

    void mount(Router router) {
        router.route("/api/rooms*").handler(api::authenticate);
        router.route("/api/rooms*")
                .method(HttpMethod.POST)
                .method(HttpMethod.PATCH)
                .method(HttpMethod.DELETE)
                .handler(api.limited(writes, ctx -> Api.identity(ctx).userId()));
        // Bodies only now, from a caller known and within the write rate: whole-room imports large, the rest small.
        router.post("/api/rooms/import").handler(api.bodies.read(importBytes));
        router.route("/api/rooms*")
                .method(HttpMethod.POST)
                .method(HttpMethod.PATCH)
                .method(HttpMethod.PUT)
                .handler(api.bodies.read(Bodies.SMALL));
        router.post("/api/rooms").handler(ctx -> api.respond(ctx, 201, () -> create(ctx)));
        router.get("/api/rooms").handler(ctx -> api.respond(ctx, 200, () -> list(ctx)));
        router.get("/api/rooms/:roomId").handler(ctx -> api.respond(ctx, 200, () -> get(ctx)));
        router.patch("/api/rooms/:roomId").handler(ctx -> api.respond(ctx, 200, () -> update(ctx)));
        router.delete("/api/rooms/:roomId").handler(ctx -> api.respond(ctx, 200, () -> delete(ctx)));
        router.delete("/api/rooms/:roomId/bans/:userId").handler(ctx -> api.respond(ctx, 200, () -> unban(ctx)));
        router.get("/api/rooms/:roomId/roster").handler(ctx -> api.respond(ctx, 200, () -> roster(ctx)));
        router.get("/api/rooms/:roomId/members")
                .handler(ctx -> api.respond(
                        ctx, 200, () -> gm(ctx, () -> api.stores.rooms().members(roomId(ctx)))));
        router.patch("/api/rooms/:roomId/members/:userId").handler(ctx -> api.respond(ctx, 200, () -> changeRole(ctx)));
        router.delete("/api/rooms/:roomId/members/:userId").handler(ctx -> api.respond(ctx, 200, () -> remove(ctx)));
        router.delete("/api/rooms/:roomId/members/:userId/devices")
                .handler(ctx -> api.respond(ctx, 200, () -> signOutDevices(ctx)));
        router.post("/api/rooms/:roomId/invites").handler(ctx -> api.respond(ctx, 201, () -> invite(ctx)));
        router.get("/api/rooms/:roomId/invites").handler(ctx -> api.respond(ctx, 200, () -> listInvites(ctx)));
        router.delete("/api/rooms/:roomId/invites/:code")
                .handler(ctx -> api.respond(
                        ctx,
                        200,
                        () -> gm(ctx, () -> api.stores.rooms().revokeInvite(roomId(ctx), ctx.pathParam("code")))));

        router.get("/api/invites/:code")
                .handler(api.limited(acceptPerIp, Api::clientIp))
                .handler(ctx -> api.respond(ctx, 200, () -> preview(ctx)));
        router.post("/api/invites/:code/accept")
                .handler(api.limited(acceptPerIp, Api::clientIp))
                .handler(api::authenticateIfPresent)
                .handler(api.bodies.read(Bodies.SMALL))
                .handler(ctx -> api.respond(ctx, 200, () -> accept(ctx)));
    }

    private Future<JsonObject> create(RoutingContext ctx) {
        String name = Api.text(Api.body(ctx), "name", 1, 80);
        String owner = Api.identity(ctx).userId();
        return api.stores
                .rooms()
                .create(name, owner)
                .onSuccess(room ->
                        LOG.info("room created node={} room={} gm={}", api.nodeId, room.getString("id"), owner));
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        return api.stores.rooms().listForUser(Api.identity(ctx).userId());
    }

    private Future<JsonObject> get(RoutingContext ctx) {
        return api.roleIn(ctx)
                .compose(role -> api.stores.rooms().get(roomId(ctx)).map(room -> room.put("role", role.name())));
    }

    /**
     * Who is in the room, for every member: names and roles (the whisper picker, the party list). The GM's member
     * list adds bans and join times.
     */
    private Future<JsonObject> roster(RoutingContext ctx) {
        return api.roleIn(ctx)
                .compose(role -> api.stores.rooms().members(roomId(ctx)))
                .map(answer -> {
                    var people = new io.vertx.core.json.JsonArray();
                    answer.getJsonArray("members").stream()
                            .map(JsonObject.class::cast)
                            .filter(member -> !member.getBoolean("banned"))
                            .forEach(member -> people.add(new JsonObject()
                                    .put("userId", member.getString("userId"))
                                    .put("displayName", member.getString("displayName"))
                                    .put("role", member.getString("role"))));
                    return new JsonObject().put("members", people);
                });
    }

    /** Rename and archive (or bring back from the archive): {@code {name?, archived?}}. */
    private Future<JsonObject> update(RoutingContext ctx) {
        JsonObject body = Api.body(ctx);
        JsonObject change = new JsonObject();
        if (body.getValue("name") != null) change.put("name", Api.text(body, "name", 1, 80));
        if (body.getValue("archived") != null) {
            if (!(body.getValue("archived") instanceof Boolean archived))
                throw new FailureException(ErrorCode.BAD_REQUEST, "archived must be true or false");
            change.put("archived", archived);
        }
        if (change.isEmpty()) throw new FailureException(ErrorCode.BAD_REQUEST, "send a name, archived, or both");
        return gm(ctx, () -> api.stores.rooms().update(roomId(ctx), change))
                .onSuccess(room -> LOG.info(
                        "room changed node={} room={} change={} by={}",
                        api.nodeId,
                        room.getString("id"),
                        change.fieldNames(),
                        Api.identity(ctx).userId()));
    }

    /**
     * Deletes the room and everything in it. The caller repeats the room's name ({@code ?name=}) so a slip of the
     * finger cannot delete the wrong room; every member's sockets are closed with {@code ROOM_DELETED}.
     */
    private Future<JsonObject> delete(RoutingContext ctx) {
        String typed = ctx.queryParams().get("name");
        String roomId = ctx.pathParam("roomId");
        return api.requireGm(ctx)
                .compose(ok -> api.stores.rooms().get(roomId))
                .compose(room -> {
                    if (!room.getString("name").equals(typed))
                        throw new FailureException(
                                ErrorCode.ROOM_NAME_MISMATCH, "type the room's name exactly to delete it");
                    return api.stores.rooms().delete(roomId);
                })
                .onSuccess(done -> {
                    api.vertx
                            .eventBus()
                            .publish(
                                    Addresses.BRIDGE_CONTROL,
                                    BridgeControl.roomDeleted(roomId).toJson());
                    LOG.info(
                            "room deleted node={} room={} by={}",
                            api.nodeId,
                            roomId,
                            Api.identity(ctx).userId());
                });
    }

    /** Lifts a ban: the person may join again through an invite, as a new member. */
    private Future<JsonObject> unban(RoutingContext ctx) {
        String userId = memberId(ctx);
        return gm(ctx, () -> api.stores.rooms().unban(roomId(ctx), userId))
                .onSuccess(done -> LOG.info(
                        "ban lifted node={} room={} user={} by={}",
                        api.nodeId,
                        ctx.pathParam("roomId"),
                        userId,
                        Api.identity(ctx).userId()));
    }

    /** A room operation only the room's GMs may ask for. */
    private Future<JsonObject> gm(RoutingContext ctx, java.util.function.Supplier<Future<JsonObject>> operation) {
        return api.requireGm(ctx).compose(ok -> operation.get());
    }

    /** Each invite with the link to share, built like the one the create answer gives (it honours the public URL). */
    private Future<JsonObject> listInvites(RoutingContext ctx) {
        return gm(ctx, () -> api.stores.rooms().listInvites(roomId(ctx))).map(answer -> {
            answer.getJsonArray("invites").forEach(invite -> ((JsonObject) invite)
                    .put("url", joinUrl(ctx, ((JsonObject) invite).getString("code"))));
            return answer;
        });
    }

    private Future<JsonObject> changeRole(RoutingContext ctx) {
        RoomRole role = Api.role(Api.body(ctx));
        String userId = memberId(ctx);
        return gm(ctx, () -> api.stores.rooms().setRole(roomId(ctx), userId, role))
                .onSuccess(done -> membershipChanged(ctx, userId, BridgeControl.Change.ROLE, role));
    }

    private Future<JsonObject> remove(RoutingContext ctx) {
        boolean ban = "true".equals(ctx.queryParams().get("ban"));
        String userId = memberId(ctx);
        return gm(ctx, () -> api.stores.rooms().removeMember(roomId(ctx), userId, ban))
                .onSuccess(done -> membershipChanged(
                        ctx, userId, ban ? BridgeControl.Change.BANNED : BridgeControl.Change.KICKED, null));
    }

    private Future<JsonObject> invite(RoutingContext ctx) {
        JsonObject body = Api.body(ctx);
        RoomRole role = body.containsKey("role") ? Api.role(body) : RoomRole.PLAYER;
        Integer maxUses = boundedInt(body, "maxUses", 1, 1000);
        Integer expires = boundedInt(body, "expiresInMinutes", 1, 60 * 24 * 365);
        JsonObject request = new JsonObject()
                .put("role", role.name())
                .put("createdBy", Api.identity(ctx).userId())
                .put("maxUses", maxUses)
                .put("expiresInMinutes", expires);
        return gm(ctx, () -> api.stores.rooms().createInvite(roomId(ctx), request))
                .map(invite -> invite.put("url", joinUrl(ctx, invite.getString("code"))));
    }

    private Future<JsonObject> preview(RoutingContext ctx) {
        return api.stores.rooms().previewInvite(code(ctx));
    }

    private Future<JsonObject> accept(RoutingContext ctx) {
        Identity caller = Api.identity(ctx);
        String code = code(ctx);
        return (caller != null
                        ? api.stores.rooms().acceptInvite(code, caller.userId(), null)
                        : api.stores.rooms().acceptInvite(code, null, Api.displayName(Api.body(ctx))))
                .compose(joined -> caller != null ? Future.succeededFuture(joined) : withDevice(ctx, joined))
                .map(joined -> {
                    JsonObject user = joined.getJsonObject("user");
                    String token = caller != null
                            ? Api.bearer(ctx)
                            : api.tokens.issue(user.getString("id"), user.getString("displayName"), true, false);
                    LOG.info(
                            "invite accepted node={} room={} user={} role={}",
                            api.nodeId,
                            joined.getString("roomId"),
                            user.getString("id"),
                            joined.getString("role"));
                    return joined.put("token", token).put("expiresIn", api.tokens.ttlSeconds());
                });
    }

    /** {@code what}: {@code {change: "kicked"|"banned"|"role", role?}}; the bridge tells the person which. */
    /** A new guest's browser gets its way back (a device credential cookie) with the first session. */
    private Future<JsonObject> withDevice(RoutingContext ctx, JsonObject joined) {
        String userId = joined.getJsonObject("user").getString("id");
        return api.stores.accounts().issueDevice(userId).map(issued -> {
            devices.set(ctx, issued.getString("credential"));
            return joined;
        });
    }

    /**
     * The GM signs a guest member's browsers out: their device credentials stop working and every session they had
     * ends at once (tokens refused on REST and the bridge, open tables closed with the reason).
     */
    private Future<JsonObject> signOutDevices(RoutingContext ctx) {
        String userId = memberId(ctx);
        return gm(ctx, () -> api.stores.rooms().members(roomId(ctx)))
                .compose(answer -> {
                    boolean guest = answer.getJsonArray("members").stream()
                            .map(JsonObject.class::cast)
                            .anyMatch(m -> m.getString("userId").equals(userId) && m.getBoolean("guest"));
                    if (!guest) throw new FailureException(ErrorCode.NOT_FOUND, "no guest of this room has that id");
                    // The devices' credentials go, and so do the sessions they opened (their tokens and sockets).
                    return api.stores.accounts().revokeDevices(userId).compose(done -> api.tokens
                            .revocations()
                            .revokeUser(userId)
                            .map(done));
                })
                .onSuccess(done -> LOG.info(
                        "guest devices signed out node={} room={} user={} count={} by={}",
                        api.nodeId,
                        ctx.pathParam("roomId"),
                        userId,
                        done.getInteger("revoked"),
                        Api.identity(ctx).userId()));
    }

    private void membershipChanged(RoutingContext ctx, String userId, BridgeControl.Change change, RoomRole role) {
        String roomId = ctx.pathParam("roomId");
        BridgeControl control = BridgeControl.membership(roomId, userId, change, role);
        api.vertx.eventBus().publish(Addresses.BRIDGE_CONTROL, control.toJson());
        LOG.info(
                "membership changed node={} room={} user={} change={} role={} by={}",
                api.nodeId,
                roomId,
                userId,
                change,
                role,
                Api.identity(ctx).userId());
    }

    private static String roomId(RoutingContext ctx) {
        return ctx.pathParam("roomId");
    }

    private static String memberId(RoutingContext ctx) {
        String userId = ctx.pathParam("userId");
        if (!StreamAddress.isId(userId)) throw new FailureException(ErrorCode.NOT_FOUND, "no such member");
        return userId;
    }

    private static String code(RoutingContext ctx) {
        String code = ctx.pathParam("code");
        if (code == null || !code.matches("[0-9A-Za-z]{1,32}"))
            throw new FailureException(ErrorCode.INVITE_INVALID, null);
        return code.toUpperCase(java.util.Locale.ROOT);
    }

    private static Integer boundedInt(JsonObject body, String field, int min, int max) {
        Object value = body.getValue(field);
        if (value == null) return null;
        if (!(value instanceof Integer || value instanceof Long)
                || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw new FailureException(
                    ErrorCode.BAD_REQUEST, field + " must be a whole number from " + min + " to " + max);
        }
        return ((Number) value).intValue();
    }

    private String joinUrl(RoutingContext ctx, String code) {
        String base = publicUrl.isEmpty()
                ? ctx.request().scheme() + "://" + ctx.request().authority()
                : publicUrl;
        return base.replaceAll("/+$", "") + "/join/" + code;
    }
}
